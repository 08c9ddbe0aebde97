import {
  matchesFully,
  type AccessDecision,
  type AccessRequest,
  type EvaluationEnv,
  type HttpRequestInfo,
  type KubeObject,
  type Manifest,
  type RouteDecision,
  type RouteRequest,
} from '@meshlingo/core';
import { HINT_ANNOTATION, hintedFallback, parseHint } from './common/hint.js';
import { selectorSelects } from './common/labels.js';
import { isHttpLike, type ListenerProtocol } from './common/protocol.js';
import { SILENT_SINK } from './ingest/cursor.js';
import type { ParsedHeader, ParsedMesh, ParsedNode, ParsedRoute } from './ingest/parsed.js';
import { readAppMeshObjects } from './ingest/read.js';
import {
  buildTopology,
  routesOnListener,
  sendsToRoot,
  type TargetShare,
  type Topology,
} from './ingest/topology.js';
import { AppMeshOptionsSchema, type AppMeshOptions } from './options.js';

function topologyOf(objects: readonly KubeObject[], env: EvaluationEnv<AppMeshOptions>): Topology {
  const manifests: Manifest[] = objects.map((object, docIndex) => ({
    object,
    file: '<objects>',
    docIndex,
    pointer: '',
  }));
  const parsed = AppMeshOptionsSchema.safeParse(env.options);
  const options = parsed.success ? parsed.data : AppMeshOptionsSchema.parse({});
  return buildTopology(readAppMeshObjects(manifests, SILENT_SINK, 'default'), env.cluster, options);
}

/** The Mesh whose namespaceSelector takes a namespace (the only Mesh when there is one). */
function meshOf(
  topology: Topology,
  env: EvaluationEnv<AppMeshOptions>,
  namespace: string,
): ParsedMesh | undefined {
  const meshes = topology.objects.meshes;
  if (meshes.length <= 1) return meshes[0];
  const labels = env.cluster.namespace(namespace)?.labels ?? {};
  return meshes.find(
    (m) => m.namespaceSelector !== undefined && selectorSelects(m.namespaceSelector, labels),
  );
}

/** A listener that speaks HTTP only passes HTTP requests; a TCP listener passes any bytes. */
function passes(listener: ListenerProtocol, request: 'http' | 'tcp'): boolean {
  return !isHttpLike(listener) || request === 'http';
}

/**
 * App Mesh authorization, as the source's Envoy applies it. App Mesh has no server-side policy:
 * a meshed caller reaches a destination pod only through a VirtualService it lists as a backend
 * (egress filter DROP_ALL, the default), on a port a listener of the destination's VirtualNode
 * exposes, with a request that listener speaks; with ALLOW_ALL it reaches anything. Traffic App
 * Mesh does not proxy is not granted by it: UDP, and callers whose pods no VirtualNode selects.
 * A ServiceAccount whose workloads have several VirtualNodes is allowed only if all of them are.
 */
export function authorizeAppMesh(
  objects: readonly KubeObject[],
  request: AccessRequest,
  env: EvaluationEnv<AppMeshOptions>,
): AccessDecision {
  const protocol = request.protocol;
  if (protocol === 'udp') return { allowed: false };
  const topology = topologyOf(objects, env);
  const callers = [
    ...new Set(
      env.cluster
        .workloadsOf(request.source.namespace, request.source.name)
        .flatMap((w) => topology.nodesOfWorkload(w)),
    ),
  ];
  if (callers.length === 0) return { allowed: false };
  if (meshOf(topology, env, request.source.namespace)?.egress === 'ALLOW_ALL')
    return { allowed: true, allowedBy: ['egress ALLOW_ALL'] };
  const destination = request.destination;
  const podLabels = destination.podLabels;
  const receivers = new Set(
    podLabels !== undefined
      ? topology.objects.nodes.filter(
          (n) =>
            n.namespace === destination.namespace &&
            n.selector !== undefined &&
            selectorSelects(n.selector, podLabels),
        )
      : env.cluster
          .workloadsOf(destination.namespace, destination.name)
          .flatMap((w) => topology.nodesOfWorkload(w)),
  );
  const allowedBy = new Set<string>();
  for (const caller of callers) {
    const via = topology
      .backendsOf(caller)
      .found.filter((vs) =>
        topology
          .reach(vs)
          .some(
            (r) => receivers.has(r.node) && r.port === request.port && passes(r.protocol, protocol),
          ),
      );
    if (via.length === 0) return { allowed: false };
    for (const vs of via) allowedBy.add(`${vs.namespace}/${vs.name}`);
  }
  return { allowed: true, allowedBy: [...allowedBy].sort() };
}

function headerValue(http: HttpRequestInfo, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(http.headers ?? {})) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Envoy header matching: an absent header never matches, inverted or not. */
function headerMatches(header: ParsedHeader, http: HttpRequestInfo): boolean {
  const value = headerValue(http, header.name);
  if (value === undefined) return false;
  const c = header.condition;
  let hit: boolean;
  switch (c.kind) {
    case 'present':
      hit = true;
      break;
    case 'exact':
      hit = value === c.value;
      break;
    case 'prefix':
      hit = value.startsWith(c.value);
      break;
    case 'suffix':
      hit = value.endsWith(c.value);
      break;
    case 'regex':
      hit = matchesFully(c.value, value);
      break;
    case 'range': {
      const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
      hit = n >= c.start && n < c.end;
      break;
    }
  }
  return hit !== header.invert;
}

/**
 * Whether a route takes a request. Prefixes are string prefixes of the path, `path.exact` is
 * equality, regexes (path and headers) must match the whole value (RE2, as Envoy's safe_regex).
 * Requests carry no query string and use the `http` scheme.
 */
function routeMatches(route: ParsedRoute, request: RouteRequest): boolean {
  if (route.kind === 'tcp') return true;
  const http = request.http;
  if (request.protocol !== 'http' || http === undefined) return false;
  if (route.kind === 'grpc') {
    const g = route.grpc;
    if (g?.serviceName !== undefined) {
      const prefix = `/${g.serviceName}/`;
      if (!http.path.startsWith(prefix)) return false;
      if (g.methodName !== undefined && http.path !== `${prefix}${g.methodName}`) return false;
    }
    return (g?.metadata ?? []).every((h) => headerMatches(h, http));
  }
  const m = route.http;
  if (m === undefined) return false;
  const path = m.path;
  if (
    'prefix' in path
      ? !http.path.startsWith(path.prefix)
      : 'exact' in path
        ? http.path !== path.exact
        : !matchesFully(path.regex, http.path)
  )
    return false;
  if (m.method !== undefined && m.method !== http.method) return false;
  if (m.query.length > 0) return false;
  if (m.scheme !== undefined && m.scheme.value !== 'http') return false;
  return m.headers.every((h) => headerMatches(h, http));
}

/**
 * App Mesh routing for a request to a Service's VirtualService (found by its AWS name). A node
 * provider takes everything; a router takes the listener of the request's port and applies its
 * routes by priority (0 first; routes without one last), first match wins. The targets are read
 * back as Services through their nodes' DNS names; a route that sends traffic where the root
 * Service would is the Service itself. No matching route: the request fails (no backends).
 */
export function routeAppMesh(
  objects: readonly KubeObject[],
  request: RouteRequest,
  env: EvaluationEnv<AppMeshOptions>,
): RouteDecision {
  const direct: RouteDecision = { backends: [{ service: request.service, weight: 1 }] };
  const topology = topologyOf(objects, env);
  const service = topology.objects.services.find((s) => {
    const r = topology.serviceOfVirtualService(s);
    return r.namespace === request.namespace && r.service === request.service;
  });
  const router = service === undefined ? undefined : topology.routerOf(service);
  if (router === undefined) return direct;
  const listener =
    request.port === undefined
      ? router.listeners[0]
      : router.listeners.find((l) => l.port === request.port);
  if (listener === undefined && router.listeners.length > 0) return direct;
  const protocol = listener?.protocol;
  if (protocol !== undefined && !passes(protocol, request.protocol)) return { backends: [] };
  const route = routesOnListener(router, listener)
    .filter((r) => protocol === undefined || (protocol === 'tcp') === (r.kind === 'tcp'))
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.priority ?? 1001) - (b.r.priority ?? 1001) || a.i - b.i)
    .map(({ r }) => r)
    .find((r) => routeMatches(r, request));
  if (route === undefined) return { backends: [] };
  const shares: TargetShare[] = [];
  for (const target of route.targets) {
    const node: ParsedNode | undefined =
      target.node === undefined ? undefined : topology.node(target.node);
    if (node === undefined) continue;
    shares.push({
      node,
      service: topology.serviceOfNode(node)?.service ?? node.name,
      weight: target.weight,
    });
  }
  const info = env.cluster.service(request.namespace, request.service);
  const rootNodes = info === undefined ? [] : topology.nodesOfService(info);
  const decidedBy = `${router.namespace}/${router.name}/${route.name}`;
  const hint = parseHint(router.manifest.object.metadata?.annotations?.[HINT_ANNOTATION]);
  if (sendsToRoot(shares, request.service, rootNodes, hintedFallback(hint, route.name)))
    return { ...direct, decidedBy };
  const merged = new Map<string, number>();
  for (const s of shares) merged.set(s.service, (merged.get(s.service) ?? 0) + s.weight);
  return { backends: [...merged].map(([s, weight]) => ({ service: s, weight })), decidedBy };
}
