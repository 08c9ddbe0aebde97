import {
  manifestOrigin,
  sourceMetadata,
  type BackendNode,
  type HTTPRouteGroupNode,
  type HttpMatchNode,
  type Manifest,
  type TrafficSplitNode,
} from '@meshlingo/core';
import { entryId, type ChainTarget, type ConsulConfig } from '../evaluator.js';
import { fromCriteria } from '../http-match.js';
import { identityKey, k8sNamespacesOf, type ConsulName } from '../identity.js';
import { objectRef, type Parsed, type Route, type ServiceRouterSpec } from '../native.js';
import { fieldOf, restoredName, type ConsulIngestContext } from './context.js';
import { backendsFor, type ChainReader } from './service-splitter.js';

/** The part of the model that routing objects become. */
export interface RoutingModel {
  readonly trafficSplits: TrafficSplitNode[];
  readonly httpRouteGroups: HTTPRouteGroupNode[];
}

const DESTINATION_OPTIONS = [
  'prefixRewrite',
  'requestTimeout',
  'idleTimeout',
  'numRetries',
  'retryOnConnectFailure',
  'retryOn',
  'retryOnStatusCodes',
  'requestHeaders',
  'responseHeaders',
] as const;

function backendsKey(backends: readonly BackendNode[]): string {
  return JSON.stringify([...backends].map((b) => [b.service, b.weight]).sort());
}

interface ReadRoute {
  readonly index: number;
  readonly match?: Omit<HttpMatchNode, 'name' | 'origin'>;
  readonly backends: BackendNode[];
}

/** One route as an SMI match and backends, or undefined (with a diagnostic) when SMI cannot carry it. */
function readRoute(
  reader: ChainReader,
  router: Parsed<ServiceRouterSpec>,
  route: Route,
  index: number,
  root: ConsulName,
  namespace: string,
): ReadRoute | undefined {
  const { ctx } = reader;
  const path = ['spec', 'routes', index];
  const data = { index, service: root.name };
  const http = route.match?.http;
  if ((http?.queryParam ?? []).length > 0) {
    ctx.report('route-dropped', {
      at: fieldOf(router, [...path, 'match', 'http', 'queryParam']),
      data: { ...data, reason: 'SMI matches have no query parameter conditions' },
    });
    return undefined;
  }
  let match: Omit<HttpMatchNode, 'name' | 'origin'> | undefined;
  if (http !== undefined) {
    const read = fromCriteria(http, [...path, 'match', 'http']);
    if (!read.ok) {
      ctx.report('route-dropped', {
        at: fieldOf(router, read.problems[0]?.path ?? path),
        data: { ...data, reason: 'SMI matches have no inverted header conditions' },
      });
      return undefined;
    }
    match = read.match;
  }
  const d = route.destination;
  const dropped = DESTINATION_OPTIONS.filter((f) => d?.[f] !== undefined);
  if (dropped.length > 0)
    ctx.report('route-options-dropped', {
      at: fieldOf(router, [...path, 'destination', dropped[0] ?? '']),
      data: { ...data, fields: dropped.join(', ') },
    });
  if (d?.partition !== undefined) {
    ctx.report('route-dropped', {
      at: fieldOf(router, [...path, 'destination', 'partition']),
      data: { ...data, reason: `its destination is in partition ${d.partition}` },
    });
    return undefined;
  }
  const target: ChainTarget = {
    id: { name: d?.service ?? root.name, namespace: d?.namespace ?? root.namespace },
    ...(d?.serviceSubset !== undefined && { subset: d.serviceSubset }),
  };
  const origin = manifestOrigin(router.manifest, path);
  const backends = backendsFor(
    reader,
    target,
    namespace,
    origin,
    fieldOf(router, [...path, 'destination']),
    root.namespace,
  );
  if (backends === undefined) return undefined;
  const empty = match === undefined || Object.keys(match).length === 0;
  return { index, ...(match !== undefined && !empty && { match }), backends };
}

function k8sNamespace(id: ConsulName, parsed: Parsed<unknown>, reader: ChainReader): string {
  const mapped = k8sNamespacesOf(id.namespace, reader.ctx.options);
  return mapped === undefined || mapped === 'any'
    ? parsed.namespace
    : (mapped[0] ?? parsed.namespace);
}

/**
 * One TrafficSplit for a root service. With a ServiceRouter: the routes (first match wins, all
 * ORed in SMI) that lead to one set of backends become the split's matches; a match-all route
 * makes a split without matches. Without one: the root's splitter, or its resolver's redirect or
 * default subset. Nothing is written when traffic stays with the root.
 */
function rootSplit(
  reader: ChainReader,
  root: ConsulName,
  owner: Parsed<unknown>,
  model: RoutingModel,
): void {
  const { config, ctx } = reader;
  const namespace = k8sNamespace(root, owner, reader);
  const router = config.routers.get(identityKey(root));
  const splitter = config.splitters.get(identityKey(root));
  let backends: BackendNode[] | undefined;
  let matches: Omit<HttpMatchNode, 'name' | 'origin'>[] | undefined;
  let matchIndexes: number[] = [];
  if (router !== undefined) {
    const routes = router.spec.routes.flatMap(
      (r, i) => readRoute(reader, router, r, i, root, namespace) ?? [],
    );
    const first = routes[0];
    if (first !== undefined) {
      const kept = routes.filter((r) => backendsKey(r.backends) === backendsKey(first.backends));
      if (kept.length < routes.length)
        ctx.report('router-destinations-differ', {
          at: fieldOf(router, ['spec', 'routes']),
          data: { service: root.name, kept: first.backends.map((b) => b.service).join(',') },
        });
      backends = first.backends;
      if (kept.every((r) => r.match !== undefined)) {
        matches = kept.map((r) => r.match ?? {});
        matchIndexes = kept.map((r) => r.index);
      }
      if (splitter !== undefined && matches !== undefined)
        ctx.report('router-default-split', { at: fieldOf(splitter), data: { service: root.name } });
    }
  }
  if (backends === undefined && router === undefined) {
    const origin = manifestOrigin(owner.manifest);
    backends = backendsFor(
      reader,
      { id: root },
      namespace,
      origin,
      fieldOf(owner, splitter === owner ? ['spec', 'splits'] : ['spec']),
    );
  }
  if (backends === undefined || backends.length === 0) return;
  const main = router ?? owner;
  const only = backends[0];
  if (backends.length === 1 && only !== undefined && only.service === root.name) {
    ctx.report('routing-no-effect', { at: fieldOf(main), data: { service: root.name } });
    return;
  }
  const refs = [router, splitter, config.resolvers.get(identityKey(root))].flatMap((p) =>
    p === undefined ? [] : [objectRef(p)],
  );
  const meta = sourceMetadata(refs);
  const origin = manifestOrigin(main.manifest);
  const name = ctx.names.claim(
    'TrafficSplit',
    namespace,
    restoredName(main, 'TrafficSplit', namespace) ?? root.name,
  );
  let splitMatches: TrafficSplitNode['matches'];
  if (matches !== undefined && router !== undefined) {
    const group = ctx.names.claim(
      'HTTPRouteGroup',
      namespace,
      restoredName(router, 'HTTPRouteGroup', namespace) ?? `${root.name}-routes`,
    );
    model.httpRouteGroups.push({
      name: group,
      namespace,
      labels: meta.labels,
      annotations: meta.annotations,
      matches: matches.map((m, i) => ({
        ...m,
        name: `route-${matchIndexes[i] ?? i}`,
        origin: manifestOrigin(router.manifest, ['spec', 'routes', matchIndexes[i] ?? i, 'match']),
      })),
      origin,
    });
    splitMatches = [{ kind: 'HTTPRouteGroup', name: group, origin }];
  }
  model.trafficSplits.push({
    name,
    namespace,
    labels: meta.labels,
    annotations: meta.annotations,
    service: root.name,
    backends,
    ...(splitMatches !== undefined && { matches: splitMatches }),
    origin,
  });
}

/**
 * ServiceRouters, ServiceSplitters and ServiceResolvers to TrafficSplits, one per root service:
 * every service with a router, splitter, or redirecting resolver, except virtual services only
 * reached through another service's routes. Objects explained by a verified SMI annotation are
 * left to it.
 */
export function ingestRouting(
  config: ConsulConfig,
  consumed: ReadonlySet<Manifest>,
  ctx: ConsulIngestContext,
): RoutingModel {
  const reader: ChainReader = { config, ctx, reported: new Set() };
  const model: RoutingModel = { trafficSplits: [], httpRouteGroups: [] };
  // Services reached through routes; without a Kubernetes Service of their own they are virtual.
  const routed = new Set<string>();
  for (const router of config.routers.values()) {
    const from = entryId(router, ctx.options);
    for (const r of router.spec.routes)
      if (r.destination?.service !== undefined && r.destination.serviceSubset === undefined)
        routed.add(
          identityKey({
            name: r.destination.service,
            namespace: r.destination.namespace ?? from.namespace,
          }),
        );
  }
  const roots = new Map<string, { id: ConsulName; owner: Parsed<unknown> }>();
  const add = (owner: Parsed<unknown>): void => {
    const id = entryId(owner, ctx.options);
    const virtual =
      routed.has(identityKey(id)) && ctx.cluster.service(owner.namespace, owner.name) === undefined;
    if (!virtual && !roots.has(identityKey(id))) roots.set(identityKey(id), { id, owner });
  };
  const owners = (key: string): Parsed<unknown>[] =>
    [config.routers.get(key), config.splitters.get(key), config.resolvers.get(key)].flatMap((p) =>
      p === undefined ? [] : [p],
    );
  for (const router of config.routers.values()) add(router);
  for (const splitter of config.splitters.values()) add(splitter);
  for (const resolver of config.resolvers.values())
    if (resolver.spec.redirect !== undefined || resolver.spec.defaultSubset !== undefined)
      add(resolver);
  for (const key of [...roots.keys()].sort()) {
    const root = roots.get(key);
    if (root === undefined) continue;
    if (owners(key).some((p) => consumed.has(p.manifest))) continue;
    rootSplit(reader, root.id, root.owner, model);
  }
  return model;
}
