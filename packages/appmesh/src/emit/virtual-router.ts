import {
  APPMESH_API_VERSION,
  type HeaderMatchSpec,
  type HttpRouteMatchSpec,
  type PathMatchSpec,
  type PortMappingSpec,
  type RouteSpec,
  type WeightedTargetSpec,
} from '../common/native.js';
import {
  deriveName,
  type HTTPRouteGroupNode,
  type HttpMatchNode,
  type KubeObject,
  type ResourceRef,
  type TrafficSplitNode,
} from '@meshlingo/core';
import { objectMetadata } from '../common/metadata.js';
import { formatHint, HINT_ANNOTATION, type RouteHint, type RouterHint } from '../common/hint.js';
import {
  fromHeaderCondition,
  fromPathMatch,
  routeMethods,
  toHeaderMatches,
  toPathMatch,
} from '../common/http-match.js';
import { weightedNodes, type BackendWeight } from '../common/targets.js';
import type { AppMeshEmitContext, NodePlan, PortPlan, ServicePlan, Topology } from './topology.js';

/** A VirtualRouter to write, with what access needs to know about it. */
export interface RouterPlan {
  readonly name: string;
  readonly namespace: string;
  readonly listeners: readonly PortMappingSpec[];
  readonly routes: readonly RouteSpec[];
  readonly sources: readonly ResourceRef[];
  readonly hint: RouterHint;
}

/** Where a route sends traffic: a node and its container port, with a weight. */
interface Target {
  readonly node: NodePlan;
  readonly port: number;
  readonly weight: number;
}

const MAX_TARGETS = 10;
const MAX_MATCHES = 99;

function targetSpecs(targets: readonly Target[], withPort: boolean): WeightedTargetSpec[] {
  return targets.map((t) => ({
    virtualNodeRef: { name: t.node.name },
    weight: t.weight,
    ...(withPort && { port: t.port }),
  }));
}

/** Equal weights over the nodes of a Service on one port: kube-proxy's share, per node. */
function equalTargets(port: PortPlan): Target[] {
  const weight = Math.floor(100 / Math.max(1, port.targets.size));
  return [...port.targets].map(([node, target]) => ({ node, port: target, weight }));
}

/** A route of one listener, with the match and port fields a router with several listeners needs. */
function routeOf(
  name: string,
  priority: number,
  listener: PortPlan,
  multi: boolean,
  targets: readonly Target[],
  http?: { match: HttpRouteMatchSpec },
): RouteSpec {
  const withPort = multi || targets.some((t) => t.node.listeners.size > 1);
  const action = { weightedTargets: targetSpecs(targets, withPort) };
  const port = multi ? { port: listener.port } : {};
  switch (listener.protocol) {
    case 'tcp':
      return {
        name,
        priority,
        tcpRoute: { ...(multi && { match: { port: listener.port } }), action },
      };
    case 'grpc':
      return { name, priority, grpcRoute: { match: port, action } };
    case 'http':
      return {
        name,
        priority,
        httpRoute: { match: { ...(http?.match ?? { prefix: '/' }), ...port }, action },
      };
    case 'http2':
      return {
        name,
        priority,
        http2Route: { match: { ...(http?.match ?? { prefix: '/' }), ...port }, action },
      };
  }
}

/**
 * Whether targets look like "to the root Service" when read back: only nodes reached through the
 * root's own name, or equal weights over exactly the root's nodes (as ingest and the evaluator
 * read routes without a hint).
 */
function looksLikeRoot(targets: readonly Target[], root: ServicePlan): boolean {
  const positive = targets.filter((t) => t.weight > 0);
  if (positive.length === 0) return false;
  if (positive.every((t) => t.node.host?.service.name === root.info.name)) return true;
  const nodes = new Set(positive.map((t) => t.node));
  return (
    new Set(positive.map((t) => t.weight)).size === 1 &&
    nodes.size === root.nodes.length &&
    root.nodes.every((n) => nodes.has(n))
  );
}

/** Route names unique within one router. */
function routeNamer(): (parts: readonly (string | number | undefined)[]) => string {
  const used = new Set<string>();
  return (parts) => {
    const base = deriveName(parts.filter((p): p is string | number => p !== undefined));
    let name = base;
    for (let n = 2; used.has(name); n++) name = deriveName([base, n]);
    used.add(name);
    return name;
  };
}

/**
 * The router of a Service no TrafficSplit splits but that App Mesh cannot serve with a node
 * provider (several workloads, or port differing from targetPort): one route per port, equal
 * weights over its VirtualNodes. Undefined (reported) when it selects more workloads than a
 * route can target.
 */
export function implicitRouter(ctx: AppMeshEmitContext, plan: ServicePlan): RouterPlan | undefined {
  const widest = Math.max(...plan.ports.map((p) => p.targets.size));
  if (widest > MAX_TARGETS) {
    ctx.report('too-many-targets', {
      at: { origin: plan.info.origin, field: ['spec', 'selector'] },
      data: { root: `${plan.info.namespace}/${plan.info.name}`, count: widest },
    });
    return undefined;
  }
  const multi = plan.ports.length > 1;
  const name = routeNamer();
  const routes = plan.ports
    .filter((p) => p.targets.size > 0)
    .map((p) =>
      routeOf(
        name([plan.info.name, 'default', multi ? p.port : undefined]),
        1000,
        p,
        multi,
        equalTargets(p),
      ),
    );
  return {
    name: plan.info.name,
    namespace: plan.info.namespace,
    listeners: plan.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
    routes,
    sources: [],
    hint: {},
  };
}

/**
 * The router of a TrafficSplit root: on every root port, the split's weighted targets (each
 * backend's weight shared by its VirtualNodes, scaled to App Mesh weights). With `matches`, HTTP
 * ports get one route per match and method (App Mesh routes take one method) in match order,
 * and a last route that sends everything else to the root Service's own VirtualNodes, which is
 * where SMI sends unmatched requests; TCP ports carry no HTTP matches, so only that last route.
 * Undefined when the split cannot be written (reported).
 */
export function splitRouter(
  ctx: AppMeshEmitContext,
  split: TrafficSplitNode,
  root: ServicePlan,
  topology: Topology,
): RouterPlan | undefined {
  const ns = split.namespace;
  const backends: { service: ServicePlan; weight: number; index: number }[] = [];
  split.backends.forEach((b, index) => {
    const at = { origin: split.origin, field: ['spec', 'backends', index, 'service'] };
    const plan = topology.service(ns, b.service);
    if (plan === undefined || plan.nodes.length === 0) {
      const known = ctx.cluster.service(ns, b.service) !== undefined;
      ctx.report(known ? 'backend-not-meshed' : 'missing-service', {
        at,
        data: known ? { service: `${ns}/${b.service}` } : { namespace: ns, service: b.service },
      });
      return;
    }
    if (plan.nodes.length > 1)
      ctx.report('backend-multiple-nodes', {
        at,
        data: { service: `${ns}/${b.service}`, count: plan.nodes.length },
      });
    backends.push({ service: plan, weight: b.weight, index });
  });
  if (backends.length === 0) return undefined;

  const groups = (split.matches ?? [])
    .map((m) => ctx.index.httpRouteGroup(ns, m.name))
    .filter((g): g is HTTPRouteGroupNode => g !== undefined);
  const matches = groups.flatMap((g) => g.matches.map((m) => ({ group: g, match: m })));
  if (matches.length > MAX_MATCHES) {
    ctx.report('too-many-routes', {
      at: { origin: split.origin, field: ['spec', 'matches'] },
      data: { split: split.name, count: matches.length },
    });
    return undefined;
  }
  const multi = root.ports.length > 1;
  const name = routeNamer();
  const routes: RouteSpec[] = [];
  const hints: RouteHint[] = [];
  const fallbackNames: string[] = [];
  let ambiguous = false;
  let scaledReported = false;
  for (const listener of root.ports) {
    const portSuffix = multi ? listener.port : undefined;
    const onPort: BackendWeight[] = [];
    const targetPorts = new Map<NodePlan, number>();
    for (const b of backends) {
      const port = b.service.ports.find((p) => p.port === listener.port);
      if (port === undefined) {
        ctx.report('backend-port-mismatch', {
          at: { origin: split.origin, field: ['spec', 'backends', b.index] },
          data: {
            service: `${ns}/${b.service.info.name}`,
            port: listener.port,
            root: `${ns}/${split.service}`,
          },
        });
        continue;
      }
      for (const [node, target] of port.targets) targetPorts.set(node, target);
      onPort.push({ service: b.service.info.name, weight: b.weight });
    }
    const weighted = weightedNodes(onPort, (s) =>
      (topology.service(ns, s)?.nodes ?? []).filter((n) => targetPorts.has(n)),
    );
    if (weighted.targets.length > MAX_TARGETS) {
      ctx.report('too-many-targets', {
        at: { origin: split.origin, field: ['spec', 'backends'] },
        data: { root: `${ns}/${split.service}`, count: weighted.targets.length },
      });
      return undefined;
    }
    if (!scaledReported && weighted.weights.how !== 'verbatim') {
      scaledReported = true;
      const data = {
        from: onPort.map((b) => b.weight).join(','),
        to: weighted.weights.weights.join(','),
      };
      if (weighted.weights.bumped)
        ctx.report('weight-precision-loss', {
          at: { origin: split.origin, field: ['spec', 'backends'] },
          data,
        });
      else
        ctx.report('weights-scaled', {
          at: { origin: split.origin, field: ['spec', 'backends'] },
          data,
        });
    }
    const targets: Target[] = weighted.targets.map((t) => ({
      node: t.node,
      port: targetPorts.get(t.node) ?? listener.port,
      weight: t.weight,
    }));
    const fallback = listener.targets.size > 0 ? equalTargets(listener) : [];
    const fallbackRoute = (): void => {
      if (fallback.length === 0) return;
      const routeName = name([split.name, 'default', portSuffix]);
      fallbackNames.push(routeName);
      routes.push(routeOf(routeName, 1000, listener, multi, fallback));
    };
    if (!targets.some((t) => t.weight > 0)) {
      // No backend serves this port: it keeps going to the root Service.
      fallbackRoute();
      continue;
    }
    if (looksLikeRoot(targets, root)) ambiguous = true;
    if (split.matches === undefined) {
      routes.push(routeOf(name([split.name, portSuffix]), 1000, listener, multi, targets));
      continue;
    }
    if (listener.protocol === 'grpc') {
      ctx.report('split-matches-on-grpc', {
        at: { origin: split.origin, field: ['spec', 'matches'] },
        data: { split: split.name, port: listener.port },
      });
    }
    if (listener.protocol === 'http' || listener.protocol === 'http2') {
      matches.forEach(({ group, match }, i) => {
        const converted = convertMatch(ctx, group, match);
        if (converted === undefined) return;
        routeMethods(match).forEach((method, j) => {
          const routeName = name([split.name, match.name, method?.toLowerCase(), portSuffix]);
          const http: HttpRouteMatchSpec = {
            ...converted.path,
            ...(method !== undefined && { method }),
            ...(converted.headers.length > 0 && { headers: converted.headers }),
          };
          routes.push(
            routeOf(routeName, 10 * (i + 1) + j, listener, multi, targets, { match: http }),
          );
          hints.push(routeHint(routeName, group, match, converted));
        });
      });
    }
    fallbackRoute();
  }
  return {
    name: split.service,
    namespace: ns,
    listeners: root.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
    routes,
    sources: [split.origin.resource, ...groups.map((g) => g.origin.resource)],
    hint: {
      // Only needed when a split route could be read as "to the root" (see hintedFallback).
      ...(ambiguous && { fallback: fallbackNames }),
      ...backendsHint(split, topology),
      routes: hints,
    },
  };
}

interface ConvertedMatch {
  readonly path: PathMatchSpec;
  readonly headers: HeaderMatchSpec[];
}

function convertMatch(
  ctx: AppMeshEmitContext,
  group: HTTPRouteGroupNode,
  match: HttpMatchNode,
): ConvertedMatch | undefined {
  const path = toPathMatch(match.pathRegex);
  const headers = toHeaderMatches(match.headers ?? []);
  const problem = !path.ok ? path.reason : !headers.ok ? headers.reason : undefined;
  if (problem !== undefined || !path.ok || !headers.ok) {
    ctx.report('match-not-representable', {
      at: { origin: match.origin },
      data: { match: `${group.name}/${match.name}`, reason: problem ?? '' },
    });
    return undefined;
  }
  return { path: path.value, headers: headers.value };
}

/** The SMI names of a route, plus the spellings App Mesh would not give back. */
function routeHint(
  route: string,
  group: HTTPRouteGroupNode,
  match: HttpMatchNode,
  converted: ConvertedMatch,
): RouteHint {
  const path = converted.path;
  const back = fromPathMatch('prefix' in path ? { prefix: path.prefix } : path.path);
  const headers = match.headers ?? [];
  const headersBack = converted.headers.map((h) =>
    h.match !== undefined && 'exact' in h.match
      ? fromHeaderCondition({ kind: 'exact', value: h.match.exact })
      : fromHeaderCondition({ kind: 'regex', value: h.match?.regex ?? '' }),
  );
  return {
    route,
    group: group.name,
    match: match.name,
    ...(back !== match.pathRegex &&
      match.pathRegex !== undefined && { pathRegex: match.pathRegex }),
    ...(headersBack.some((v, i) => v !== headers[i]?.value) && {
      headers: headers.map((h) => ({ name: h.name, value: h.value })),
    }),
  };
}

/**
 * The original backends, when reading the router back would not give them: weights that had to
 * be scaled, or backends whose VirtualNodes are reached through other Service names.
 */
function backendsHint(split: TrafficSplitNode, topology: Topology): Pick<RouterHint, 'backends'> {
  const original = split.backends.map((b) => ({ service: b.service, weight: b.weight }));
  const readBack = weightedNodes(
    original,
    (s) => topology.service(split.namespace, s)?.nodes ?? [],
  );
  const merged = new Map<string, number>();
  for (const t of readBack.targets) {
    const service = t.node.host?.service.name ?? t.node.name;
    merged.set(service, (merged.get(service) ?? 0) + t.weight);
  }
  const sorted = (list: readonly (readonly [string, number])[]): string =>
    JSON.stringify([...list].sort(([a], [b]) => (a < b ? -1 : 1)));
  const same = sorted([...merged]) === sorted(original.map((b) => [b.service, b.weight] as const));
  return same ? {} : { backends: original };
}

/** The VirtualRouter object. */
export function virtualRouterObject(plan: RouterPlan): KubeObject {
  const hint = formatHint(plan.hint);
  return {
    apiVersion: APPMESH_API_VERSION,
    kind: 'VirtualRouter',
    metadata: objectMetadata(
      plan.name,
      plan.namespace,
      plan.sources,
      hint === undefined ? {} : { [HINT_ANNOTATION]: hint },
    ),
    spec: {
      awsName: `${plan.name}_${plan.namespace}`,
      listeners: plan.listeners.map((l) => ({
        portMapping: { port: l.port, protocol: l.protocol },
      })),
      routes: plan.routes,
    },
  };
}
