import {
  matchesFully,
  type AccessDecision,
  type AccessRequest,
  type EvaluationEnv,
  type HttpRequestInfo,
  type KubeObject,
  type RouteDecision,
  type RouteRequest,
} from '@meshlingo/core';
import { field, integer, list, text } from './json.js';
import type { GatewayApiOptions } from './options.js';
import { GATEWAY_GROUP, ROUTE_KINDS, type RouteKindName } from './types.js';

/**
 * Access under Gateway API objects alone. Gateway API (v1.6) defines no authorization (GEP-3779
 * is not released), so routes grant nothing: no request is allowed by them. What a mesh does
 * with traffic no policy covers is that mesh's default; TrafficTargets need a composed
 * authorization target (`--to gateway-api,istio`).
 */
export function authorizeGatewayApi(
  _objects: readonly KubeObject[],
  _request: AccessRequest,
  _env: EvaluationEnv<GatewayApiOptions>,
): AccessDecision {
  return { allowed: false, allowedBy: [] };
}

interface BoundRoute {
  readonly kind: RouteKindName;
  readonly key: string;
  readonly created: string;
  readonly rules: readonly unknown[];
}

const KIND_RANK: Readonly<Record<RouteKindName, number>> = {
  GRPCRoute: 0,
  HTTPRoute: 1,
  TCPRoute: 2,
};

function routeKind(object: KubeObject): RouteKindName | undefined {
  const group = object.apiVersion.split('/')[0];
  if (group !== GATEWAY_GROUP) return undefined;
  return ROUTE_KINDS.find((k) => k === object.kind);
}

/**
 * Whether a parentRef binds the route to the requested Service port: a producer route (same
 * namespace) with a `group: ""` Service parent, and `port` (or `sectionName`, the Service port
 * name) naming the requested port, or neither (every port).
 */
function bindsTo(
  ref: unknown,
  namespace: string,
  request: RouteRequest,
  env: EvaluationEnv<GatewayApiOptions>,
): boolean {
  if (field(ref, 'group') !== '' || field(ref, 'kind') !== 'Service') return false;
  if (field(ref, 'name') !== request.service) return false;
  const parentNamespace = text(field(ref, 'namespace')) ?? namespace;
  if (parentNamespace !== namespace || namespace !== request.namespace) return false;
  const port = integer(field(ref, 'port'));
  const section = text(field(ref, 'sectionName'));
  if (request.port === undefined) return true;
  if (port !== undefined && port !== request.port) return false;
  if (section !== undefined) {
    const named = env.cluster
      .service(namespace, request.service)
      ?.ports.find((p) => p.name === section);
    return named?.port === request.port;
  }
  return true;
}

function boundRoutes(
  objects: readonly KubeObject[],
  request: RouteRequest,
  env: EvaluationEnv<GatewayApiOptions>,
): BoundRoute[] {
  const bound: BoundRoute[] = [];
  for (const object of objects) {
    const kind = routeKind(object);
    if (kind === undefined) continue;
    const namespace = object.metadata?.namespace ?? 'default';
    const spec = field(object, 'spec');
    if (!list(field(spec, 'parentRefs')).some((p) => bindsTo(p, namespace, request, env))) continue;
    bound.push({
      kind,
      key: `${namespace}/${object.metadata?.name ?? ''}`,
      created: text(object.metadata?.creationTimestamp) ?? '',
      rules: list(field(spec, 'rules')),
    });
  }
  // Among routes of one kind the oldest wins ties, then namespace/name in alphabetical order.
  return bound.sort((a, b) =>
    a.created !== b.created
      ? a.created < b.created
        ? -1
        : 1
      : a.key < b.key
        ? -1
        : a.key > b.key
          ? 1
          : 0,
  );
}

function backendsOf(rule: unknown, namespace: string): RouteDecision['backends'] {
  return list(field(rule, 'backendRefs')).flatMap((ref) => {
    const name = text(field(ref, 'name'));
    if (name === undefined) return [];
    const ns = text(field(ref, 'namespace'));
    const weight = integer(field(ref, 'weight')) ?? 1;
    return [{ service: ns === undefined || ns === namespace ? name : `${name}.${ns}`, weight }];
  });
}

function headerOf(request: HttpRequestInfo, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(request.headers ?? {}))
    if (k.toLowerCase() === lower) return v;
  return undefined;
}

function valueMatches(type: unknown, expected: string, actual: string): boolean {
  return type === 'RegularExpression' ? matchesFully(expected, actual) : expected === actual;
}

/** Header conditions are ANDed; names compare case-insensitively and only the first of a name counts. */
function headersMatch(headers: readonly unknown[], request: HttpRequestInfo): boolean {
  const seen = new Set<string>();
  for (const h of headers) {
    const name = text(field(h, 'name'));
    if (name === undefined || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    const actual = headerOf(request, name);
    const value = text(field(h, 'value')) ?? '';
    if (actual === undefined || !valueMatches(field(h, 'type'), value, actual)) return false;
  }
  return true;
}

interface Candidate {
  readonly route: number;
  readonly rule: number;
  readonly match: number;
  /** Precedence keys, compared in order, larger first. */
  readonly keys: readonly number[];
}

function better(a: Candidate, b: Candidate): boolean {
  for (let i = 0; i < a.keys.length; i++) {
    const x = a.keys[i] ?? 0;
    const y = b.keys[i] ?? 0;
    if (x !== y) return x > y;
  }
  if (a.route !== b.route) return a.route < b.route;
  if (a.rule !== b.rule) return a.rule < b.rule;
  return a.match < b.match;
}

const PATH_RANK: Readonly<Record<string, number>> = {
  Exact: 3,
  PathPrefix: 2,
  RegularExpression: 1,
};

/**
 * One HTTPRouteMatch against a request and, when it matches, its precedence keys. Paths:
 * `Exact` is equality, `PathPrefix` compares whole segments (trailing `/` ignored),
 * `RegularExpression` is an RE2 full match. Query parameters never match: requests here carry
 * the path only.
 */
function httpMatch(match: unknown, request: HttpRequestInfo): number[] | undefined {
  const path = field(match, 'path');
  const type = text(field(path, 'type')) ?? 'PathPrefix';
  let value = text(field(path, 'value')) ?? '/';
  if (type === 'PathPrefix') {
    if (value !== '/' && value.endsWith('/')) value = value.slice(0, -1);
    if (value !== '/' && request.path !== value && !request.path.startsWith(`${value}/`))
      return undefined;
  } else if (!valueMatches(type, value, request.path)) return undefined;
  const method = text(field(match, 'method'));
  if (method !== undefined && method !== request.method) return undefined;
  const headers = list(field(match, 'headers'));
  if (!headersMatch(headers, request)) return undefined;
  const query = list(field(match, 'queryParams'));
  if (query.length > 0) return undefined;
  // Gateway API precedence: Exact, then the longest PathPrefix, then method, headers, query
  // parameters. Regex precedence is implementation-specific; Istio and Linkerd rank every
  // regex below every prefix, and longer regexes first.
  return [PATH_RANK[type] ?? 0, value.length, method === undefined ? 0 : 1, headers.length, 0];
}

/**
 * gRPC calls are POST requests to `/<service>/<method>`; a method match compares each part it
 * names (Exact or RE2 full match). Precedence: the longest matching service, then method, then
 * the most headers.
 */
function grpcMatch(match: unknown, request: HttpRequestInfo): number[] | undefined {
  const [lead, service = '', name = '', ...rest] = request.path.split('/');
  if (request.method !== 'POST' || lead !== '' || rest.length > 0) return undefined;
  const method = field(match, 'method');
  const type = field(method, 'type') ?? 'Exact';
  const wantService = text(field(method, 'service'));
  const wantMethod = text(field(method, 'method'));
  if (wantService !== undefined && !valueMatches(type, wantService, service)) return undefined;
  if (wantMethod !== undefined && !valueMatches(type, wantMethod, name)) return undefined;
  const headers = list(field(match, 'headers'));
  if (!headersMatch(headers, request)) return undefined;
  return [wantService?.length ?? 0, wantMethod?.length ?? 0, headers.length];
}

function selectRule(
  routes: readonly BoundRoute[],
  request: HttpRequestInfo,
  grpc: boolean,
): { route: BoundRoute; rule: unknown } | undefined {
  let best: (Candidate & { found: { route: BoundRoute; rule: unknown } }) | undefined;
  for (const [r, route] of routes.entries()) {
    for (const [i, rule] of route.rules.entries()) {
      const written = list(field(rule, 'matches'));
      // HTTPRoute rules without matches match every path (PathPrefix `/`); GRPCRoute rules every call.
      const matches = written.length > 0 ? written : [grpc ? {} : { path: {} }];
      for (const [j, m] of matches.entries()) {
        const keys = grpc ? grpcMatch(m, request) : httpMatch(m, request);
        if (keys === undefined) continue;
        const candidate = { route: r, rule: i, match: j, keys, found: { route, rule } };
        if (best === undefined || better(candidate, best)) best = candidate;
      }
    }
  }
  return best?.found;
}

/**
 * Where Gateway API (GAMMA) sends a request to a Service: the producer routes whose Service
 * parent binds the port decide, of one kind only (GRPCRoute, then HTTPRoute, then TCPRoute,
 * GEP-1294). HTTP and gRPC requests take the rule of the highest-precedence matching match; no
 * match means no backend (404). TCPRoutes send connections (and any HTTP on them) to their rule's
 * backends. Opaque TCP on a port an HTTPRoute or GRPCRoute binds is not routed by them. Without a
 * route the Service's own endpoints receive the traffic. Backends share by weight (default 1).
 */
export function routeGatewayApi(
  objects: readonly KubeObject[],
  request: RouteRequest,
  env: EvaluationEnv<GatewayApiOptions>,
): RouteDecision {
  const direct: RouteDecision = { backends: [{ service: request.service, weight: 1 }] };
  const bound = boundRoutes(objects, request, env);
  const winner = bound.reduce<RouteKindName | undefined>(
    (best, r) => (best === undefined || KIND_RANK[r.kind] < KIND_RANK[best] ? r.kind : best),
    undefined,
  );
  if (winner === undefined) return direct;
  const routes = bound.filter((r) => r.kind === winner);
  if (winner === 'TCPRoute') {
    const route = routes[0];
    if (route === undefined) return direct;
    return {
      backends: backendsOf(route.rules[0], request.namespace),
      decidedBy: route.key,
    };
  }
  if (request.protocol !== 'http' || request.http === undefined) return direct;
  const selected = selectRule(routes, request.http, winner === 'GRPCRoute');
  if (selected === undefined) return { backends: [] };
  return {
    backends: backendsOf(selected.rule, request.namespace),
    decidedBy: selected.route.key,
  };
}
