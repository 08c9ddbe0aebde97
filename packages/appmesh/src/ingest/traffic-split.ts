import {
  checkDns1123Subdomain,
  deriveName,
  escapeRegexLiteral,
  manifestOrigin,
  manifestRef,
  nodeKey,
  sourceMetadata,
  type HeaderMatchNode,
  type HTTPRouteGroupNode,
  type HttpMatchNode,
  type HttpMethod,
  type TrafficSplitNode,
} from '@meshlingo/core';
import { isDeepStrictEqual } from 'node:util';
import { HINT_ANNOTATION, hintedFallback, parseHint, type RouteHint } from '../common/hint.js';
import {
  fromHeaderCondition,
  fromPathMatch,
  toHeaderMatches,
  toPathMatch,
} from '../common/http-match.js';
import { weightedNodes, type BackendWeight } from '../common/targets.js';
import { gcd } from '../common/weights.js';
import { fieldName } from './cursor.js';
import type { DeriveContext } from './context.js';
import type {
  ParsedHeader,
  ParsedListener,
  ParsedNode,
  ParsedPath,
  ParsedRoute,
  ParsedRouter,
  ParsedVirtualService,
} from './parsed.js';
import {
  routesOnListener,
  sendsToRoot,
  type ResolvedService,
  type TargetShare,
} from './topology.js';

/** Where a route sends traffic, by Service (merged) and by node. */
interface RouteTargets {
  readonly backends: readonly BackendWeight[];
  readonly shares: readonly TargetShare[];
}

/** One SMI match made from one route (before method fan-outs are merged). */
interface MatchEntry {
  readonly group?: string;
  readonly name: string;
  readonly pathRegex?: string;
  readonly method?: string;
  readonly headers: readonly HeaderMatchNode[];
  readonly route: ParsedRoute;
}

/** What the routes of one listener mean in SMI terms. */
type ListenerMeaning =
  | { readonly kind: 'root' }
  | {
      readonly kind: 'split';
      readonly targets: RouteTargets;
      readonly first: ParsedRoute;
      readonly matches?: readonly MatchEntry[];
    };

/** Backends with their weights divided by the common divisor, sorted: equal means same shares. */
function shareKey(backends: readonly BackendWeight[]): string {
  const positive = backends.filter((b) => b.weight > 0);
  const divisor = positive.reduce((acc, b) => gcd(acc, b.weight), 0) || 1;
  return JSON.stringify(
    positive
      .map((b) => [b.service, b.weight / divisor])
      .sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
  );
}

function isCatchAll(route: ParsedRoute): boolean {
  if (route.kind === 'tcp') return true;
  if (route.kind === 'grpc')
    return route.grpc?.serviceName === undefined && (route.grpc?.metadata.length ?? 0) === 0;
  const m = route.http;
  return (
    m !== undefined &&
    'prefix' in m.path &&
    m.path.prefix === '/' &&
    m.method === undefined &&
    m.headers.length === 0 &&
    m.query.length === 0 &&
    m.scheme === undefined
  );
}

function pathSpecOf(path: ParsedPath): unknown {
  return 'prefix' in path ? { prefix: path.prefix } : { path };
}

/**
 * Turns App Mesh VirtualRouters back into TrafficSplits (and the HTTPRouteGroups their matched
 * routes need). Per router listener, routes are taken in priority order: the first catch-all
 * route is what unmatched requests get; the matched routes before it become SMI matches when
 * they all send traffic to the same targets. A router whose traffic all goes to the root
 * Service's own pods (equal weights over its VirtualNodes, or one node reached through the root's
 * own name) is no split at all.
 */
export function deriveTrafficSplits(dc: DeriveContext): {
  splits: TrafficSplitNode[];
  groups: HTTPRouteGroupNode[];
} {
  const splits: TrafficSplitNode[] = [];
  const groups = new Map<string, HTTPRouteGroupNode>();
  for (const vs of dc.topology.objects.services) {
    const router = dc.topology.routerOf(vs);
    if (router === undefined) continue;
    const root = dc.topology.serviceOfVirtualService(vs);
    const split = deriveOne(dc, vs, router, root, groups);
    if (split !== undefined) splits.push(split);
  }
  return { splits, groups: [...groups.values()] };
}

function deriveOne(
  dc: DeriveContext,
  vs: ParsedVirtualService,
  router: ParsedRouter,
  root: ResolvedService,
  registry: Map<string, HTTPRouteGroupNode>,
): TrafficSplitNode | undefined {
  const { topology, sink } = dc;
  const info = dc.cluster.service(root.namespace, root.service);
  const rootNodes = info === undefined ? [] : topology.nodesOfService(info);
  const rootServes = info === undefined || rootNodes.length > 0;
  const hint = parseHint(router.manifest.object.metadata?.annotations?.[HINT_ANNOTATION]);
  const routeHints = new Map((hint.routes ?? []).map((h) => [h.route, h]));

  const targetsOf = (route: ParsedRoute): RouteTargets => {
    const shares: TargetShare[] = [];
    const backends: BackendWeight[] = [];
    for (const target of route.targets) {
      const node = target.node === undefined ? undefined : topology.node(target.node);
      if (node === undefined) {
        if (target.node !== undefined) {
          const ref = target.node;
          dc.once(`missing:${fieldName(target.path)}:${router.manifest.docIndex}`, () =>
            sink.report('reference-not-found', router.manifest, target.path, {
              data: { kind: 'VirtualNode', ...ref },
              effect: 'changes-routing',
            }),
          );
        }
        continue;
      }
      const service = topology.serviceOfNode(node) ?? {
        namespace: node.namespace,
        service: node.name,
        guessedFrom: { from: 'VirtualNode without service discovery', value: node.name },
      };
      reportGuess(dc, node.manifest, ['spec', 'serviceDiscovery'], service);
      if (service.namespace !== root.namespace) {
        sink.report('cross-namespace-target', router.manifest, target.path, {
          data: { node: `${node.namespace}/${node.name}`, namespace: root.namespace },
        });
        continue;
      }
      shares.push({ node, service: service.service, weight: target.weight });
      const existing = backends.findIndex((b) => b.service === service.service);
      if (existing === -1) backends.push({ service: service.service, weight: target.weight });
      else {
        const prev = backends[existing];
        if (prev !== undefined)
          backends[existing] = { service: prev.service, weight: prev.weight + target.weight };
      }
    }
    return { backends, shares };
  };

  const isRoot = (t: RouteTargets, route: ParsedRoute): boolean =>
    sendsToRoot(t.shares, root.service, rootNodes, hintedFallback(hint, route.name));

  const matchOf = (route: ParsedRoute): MatchEntry => {
    const h = routeHints.get(route.name);
    const group =
      h !== undefined && checkDns1123Subdomain(h.group) === undefined ? h.group : undefined;
    if (route.kind === 'grpc') {
      const g = route.grpc ?? { metadata: [] };
      sink.report('grpc-route', router.manifest, route.path, {
        data: { route: route.name, service: g.serviceName ?? '*', method: g.methodName ?? '*' },
      });
      const service = g.serviceName === undefined ? undefined : escapeRegexLiteral(g.serviceName);
      const pathRegex =
        service === undefined
          ? undefined
          : g.methodName === undefined
            ? `/${service}/`
            : `/${service}/${escapeRegexLiteral(g.methodName)}$`;
      return {
        name: route.name,
        ...(pathRegex !== undefined && { pathRegex }),
        headers: headersOf(dc, router, route, g.metadata),
        route,
      };
    }
    const m = route.http;
    for (const q of m?.query ?? []) widened(dc, router, route, q.path);
    if (m?.scheme !== undefined) widened(dc, router, route, m.scheme.path);
    const headers = headersOf(dc, router, route, m?.headers ?? []);
    const derivedPath = m === undefined ? undefined : fromPathMatch(m.path);
    const pathRegex = hintedPath(h, m?.path) ?? derivedPath;
    return {
      ...(group !== undefined && { group }),
      name: group !== undefined && h !== undefined ? h.match : route.name,
      ...(pathRegex !== undefined && { pathRegex }),
      ...(m?.method !== undefined && { method: m.method }),
      headers: hintedHeaders(h, m?.headers ?? []) ?? headers,
      route,
    };
  };

  const listeners: (ParsedListener | undefined)[] =
    router.listeners.length > 0
      ? [...router.listeners].sort((a, b) => a.port - b.port)
      : [undefined];
  const meanings = listeners.map((listener) => {
    const routes = routesOnListener(router, listener)
      .filter((r) =>
        listener === undefined
          ? true
          : listener.protocol === 'tcp'
            ? r.kind === 'tcp'
            : r.kind !== 'tcp',
      )
      .map((r, i) => ({ r, i }))
      .sort((a, b) => (a.r.priority ?? 1001) - (b.r.priority ?? 1001) || a.i - b.i)
      .map(({ r }) => r);
    return {
      listener,
      meaning: meaningOf(dc, {
        router,
        root,
        ordered: routes,
        rootServes,
        targetsOf,
        isRoot,
        matchOf,
      }),
    };
  });

  const primary = meanings.find((m) => m.meaning.kind === 'split');
  if (primary === undefined || primary.meaning.kind !== 'split') return undefined;
  const main = primary.meaning;
  for (const other of meanings) {
    if (other === primary) continue;
    const o = other.meaning;
    const same =
      o.kind === 'split'
        ? shareKey(o.targets.backends) === shareKey(main.targets.backends) &&
          isDeepStrictEqual(matchContents(o.matches), matchContents(main.matches))
        : main.matches !== undefined && other.listener?.protocol === 'tcp';
    if (!same) {
      sink.report('listeners-differ', router.manifest, ['spec', 'listeners'], {
        data: {
          router: `${router.namespace}/${router.name}`,
          port: other.listener?.port ?? 0,
          first: primary.listener?.port ?? 0,
        },
      });
    }
  }

  const namespace = root.namespace;
  const origin = manifestOrigin(router.manifest);
  const sourceName = [...router.sources, ...vs.sources].find(
    (r) => r.kind === 'TrafficSplit' && r.namespace === namespace,
  )?.name;
  const name = dc.names.claim('TrafficSplit', namespace, sourceName ?? root.service);
  const metadata = sourceMetadata([
    manifestRef(vs.manifest.object),
    manifestRef(router.manifest.object),
  ]);
  const backends =
    hintedBackends(dc, hint.backends, main.first, namespace) ?? main.targets.backends;
  const groups =
    main.matches === undefined
      ? []
      : buildGroups(dc, registry, name, namespace, main.matches, router);
  const split: TrafficSplitNode = {
    name,
    namespace,
    ...metadata,
    origin,
    service: root.service,
    backends: backends.map((b) => ({
      service: b.service,
      weight: b.weight,
      origin: manifestOrigin(router.manifest, main.first.path),
    })),
    ...(groups.length > 0 && {
      matches: groups.map((g) => ({ kind: 'HTTPRouteGroup' as const, name: g.name, origin })),
    }),
  };
  return split;
}

/** What the routes of one router listener need to be read. */
interface ListenerInput {
  readonly router: ParsedRouter;
  readonly root: ResolvedService;
  /** Routes of the listener, by priority. */
  readonly ordered: readonly ParsedRoute[];
  /** False when the root Service is known to select no pods (unmatched requests fail in SMI too). */
  readonly rootServes: boolean;
  readonly targetsOf: (route: ParsedRoute) => RouteTargets;
  readonly isRoot: (t: RouteTargets, route: ParsedRoute) => boolean;
  readonly matchOf: (route: ParsedRoute) => MatchEntry;
}

function meaningOf(dc: DeriveContext, input: ListenerInput): ListenerMeaning {
  const { router, root, isRoot } = input;
  const where = `${router.namespace}/${router.name}`;
  const usable: { route: ParsedRoute; targets: RouteTargets }[] = [];
  for (const route of input.ordered) {
    const targets = input.targetsOf(route);
    // Targets that name no VirtualNode here were reported already.
    if (targets.shares.length === 0) continue;
    if (targets.shares.every((n) => n.weight === 0)) {
      dc.sink.report('weights-all-zero', router.manifest, route.path, {
        data: { route: route.name },
      });
      continue;
    }
    usable.push({ route, targets });
  }
  // Routes after the first catch-all route never see a request.
  const catchAllAt = usable.findIndex((u) => isCatchAll(u.route));
  const fallback = catchAllAt === -1 ? undefined : usable[catchAllAt];
  const matched = catchAllAt === -1 ? usable : usable.slice(0, catchAllAt);
  const [first, ...rest] = matched;
  if (first === undefined) {
    if (fallback === undefined || isRoot(fallback.targets, fallback.route)) return { kind: 'root' };
    return { kind: 'split', targets: fallback.targets, first: fallback.route };
  }
  const differs = (route: ParsedRoute, other: ParsedRoute): void =>
    dc.sink.report('routes-differ', router.manifest, route.path, {
      data: { route: route.name, router: where, first: other.name },
    });
  const base = shareKey(first.targets.backends);
  const kept = [first];
  for (const m of rest) {
    if (shareKey(m.targets.backends) === base) kept.push(m);
    else differs(m.route, first.route);
  }
  const fallbackIsRoot = fallback !== undefined && isRoot(fallback.targets, fallback.route);
  if (fallback !== undefined && !fallbackIsRoot && shareKey(fallback.targets.backends) === base) {
    // Every request ends up at the same backends: a split without matches.
    return { kind: 'split', targets: first.targets, first: first.route };
  }
  const noFallback = (): void =>
    dc.sink.report(
      'fallback-not-expressible',
      router.manifest,
      fallback?.route.path ?? ['spec', 'routes'],
      {
        data: {
          router: where,
          service: root.service,
          targets:
            fallback === undefined
              ? 'no route (requests fail)'
              : fallback.targets.backends.map((b) => `${b.service}:${b.weight}`).join(', '),
        },
      },
    );
  if (isRoot(first.targets, first.route)) {
    // Matched requests go where SMI sends every request; only another fallback is a split.
    if (fallback === undefined && input.rootServes) noFallback();
    if (fallback === undefined || fallbackIsRoot) return { kind: 'root' };
    for (const m of kept) differs(m.route, fallback.route);
    return { kind: 'split', targets: fallback.targets, first: fallback.route };
  }
  if (fallback === undefined ? input.rootServes : !fallbackIsRoot) noFallback();
  return {
    kind: 'split',
    targets: first.targets,
    first: first.route,
    matches: kept.map((k) => input.matchOf(k.route)),
  };
}

function widened(
  dc: DeriveContext,
  router: ParsedRouter,
  route: ParsedRoute,
  path: readonly (string | number)[],
): void {
  dc.sink.report('match-widened', router.manifest, path, {
    data: { field: fieldName(path), route: route.name },
  });
}

function headersOf(
  dc: DeriveContext,
  router: ParsedRouter,
  route: ParsedRoute,
  headers: readonly ParsedHeader[],
): HeaderMatchNode[] {
  const out: HeaderMatchNode[] = [];
  for (const h of headers) {
    if (h.invert || h.condition.kind === 'range') {
      widened(dc, router, route, h.path);
      continue;
    }
    out.push({ name: h.name, value: fromHeaderCondition(h.condition) });
  }
  return out;
}

function reportGuess(
  dc: DeriveContext,
  manifest: ParsedNode['manifest'],
  path: readonly (string | number)[],
  service: ResolvedService,
): void {
  const guess = service.guessedFrom;
  if (guess === undefined) return;
  dc.once(`guess:${manifest.file}:${manifest.docIndex}:${manifest.pointer}`, () =>
    dc.sink.report('service-name-guessed', manifest, path, {
      data: { from: guess.from, value: guess.value, service: service.service },
    }),
  );
}

/** The hinted pathRegex, when writing it again gives the path match found. */
function hintedPath(hint: RouteHint | undefined, path: ParsedPath | undefined): string | undefined {
  if (hint?.pathRegex === undefined || path === undefined) return undefined;
  const again = toPathMatch(hint.pathRegex);
  return again.ok && isDeepStrictEqual(again.value, pathSpecOf(path)) ? hint.pathRegex : undefined;
}

/** The hinted header values, when writing them again gives the header matches found. */
function hintedHeaders(
  hint: RouteHint | undefined,
  headers: readonly ParsedHeader[],
): HeaderMatchNode[] | undefined {
  if (hint?.headers === undefined) return undefined;
  const again = toHeaderMatches(hint.headers);
  const found = headers.map((h) =>
    h.invert || (h.condition.kind !== 'exact' && h.condition.kind !== 'regex')
      ? undefined
      : { name: h.name, match: { [h.condition.kind]: h.condition.value } },
  );
  return again.ok && isDeepStrictEqual(again.value, found) ? hint.headers : undefined;
}

/** The hinted backends, when scaling them again gives the targets of the route found. */
function hintedBackends(
  dc: DeriveContext,
  hinted: readonly BackendWeight[] | undefined,
  route: ParsedRoute,
  namespace: string,
): readonly BackendWeight[] | undefined {
  if (hinted === undefined) return undefined;
  const nodesOf = (service: string): readonly ParsedNode[] => {
    const info = dc.cluster.service(namespace, service);
    return info === undefined ? [] : dc.topology.nodesOfService(info);
  };
  const again = weightedNodes(hinted, nodesOf).targets.map((t) => [
    nodeKey(t.node.namespace, t.node.name),
    t.weight,
  ]);
  const found = route.targets.map((t) => [
    t.node === undefined ? '' : nodeKey(t.node.namespace, t.node.name),
    t.weight,
  ]);
  const sort = (list: (string | number)[][]) =>
    [...list].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  return isDeepStrictEqual(sort(again), sort(found)) ? hinted : undefined;
}

function matchContents(matches: readonly MatchEntry[] | undefined): unknown {
  return matches?.map((m) => ({ p: m.pathRegex, m: m.method, h: m.headers }));
}

/**
 * Groups matched routes into HTTPRouteGroups, merging one-method routes of one SMI match. A
 * group another split already made with the same matches is shared, as it was in SMI.
 */
function buildGroups(
  dc: DeriveContext,
  registry: Map<string, HTTPRouteGroupNode>,
  split: string,
  namespace: string,
  entries: readonly MatchEntry[],
  router: ParsedRouter,
): HTTPRouteGroupNode[] {
  const fallbackGroup = deriveName([split, 'appmesh']);
  type Merged = { entry: MatchEntry; methods: (string | undefined)[] };
  const byGroup = new Map<string, Map<string, Merged>>();
  for (const entry of entries) {
    const group = entry.group ?? fallbackGroup;
    const matches = byGroup.get(group) ?? new Map<string, Merged>();
    byGroup.set(group, matches);
    // One SMI match per name and content: routes of one match differ only in their method.
    const key = JSON.stringify([entry.group, entry.name, entry.pathRegex, entry.headers]);
    const existing = matches.get(key);
    if (existing === undefined) matches.set(key, { entry, methods: [entry.method] });
    else existing.methods.push(entry.method);
  }
  const metadata = sourceMetadata([manifestRef(router.manifest.object)]);
  return [...byGroup].map(([group, matches]) => {
    const used = new Set<string>();
    const list: HttpMatchNode[] = [...matches.values()].map(({ entry, methods }) => {
      let name = entry.name;
      for (let n = 2; used.has(name); n++) name = `${entry.name}-${n}`;
      used.add(name);
      const any = methods.includes(undefined);
      const unique = [...new Set(methods.filter((m): m is string => m !== undefined))];
      return {
        name,
        ...(entry.pathRegex !== undefined && { pathRegex: entry.pathRegex }),
        ...(!any && { methods: unique as HttpMethod[] }),
        ...(entry.headers.length > 0 && { headers: entry.headers }),
        origin: manifestOrigin(router.manifest, entry.route.path),
      };
    });
    const content = (ms: readonly HttpMatchNode[]) =>
      ms.map((m) => [m.name, m.pathRegex, m.methods, m.headers]);
    const existing = registry.get(nodeKey(namespace, group));
    if (existing !== undefined && isDeepStrictEqual(content(existing.matches), content(list)))
      return existing;
    const node: HTTPRouteGroupNode = {
      name: dc.names.claim('HTTPRouteGroup', namespace, group),
      namespace,
      ...metadata,
      matches: list,
      origin: manifestOrigin(router.manifest),
    };
    registry.set(nodeKey(namespace, node.name), node);
    return node;
  });
}
