import {
  compileRe2,
  parseQuantity,
  type AccessDecision,
  type AccessRequest,
  type EvaluationEnv,
  type HttpRequestInfo,
  type KubeObject,
  type RouteDecision,
  type RouteRequest,
  type WorkloadInfo,
} from '@meshlingo/core';
import { networksAdmit, type NetworkEntry } from './cidr.js';
import { DEFAULT_POLICY_ANNOTATION } from './emit/namespace.js';
import { identityMatches, identityOf } from './identity.js';
import {
  attachesToServer,
  byAge,
  isCoreGroup,
  objectManifests,
  readAllNative,
  recordsOf,
  sameKind,
  type AuthorizationPolicyRecord,
  type BackendRef,
  type HttpMatch,
  type HttpRouteRecord,
  type NativeRecord,
  type ServerAuthorizationRecord,
  type ServerRecord,
} from './native.js';
import type { DefaultPolicy, LinkerdOptions } from './options.js';
import { selects } from './selector.js';
import { GATEWAY_GROUP, POLICY_GROUP } from './versions.js';

/**
 * Linkerd's semantics over its native objects, following the policy controller and the proxy
 * (linkerd2 `policy-controller`, linkerd2-proxy `app/inbound/src/policy`, `http/route`):
 *
 * - inbound: the Server of the pod and port (oldest first, then by name); without one, the
 *   default inbound policy (namespace annotation, else the cluster default); with routes attached,
 *   the request goes to the single best-matching route (404 when none matches) and is allowed
 *   when a route-level or Server-level authorization admits the client; non-HTTP connections
 *   only see Server-level authorizations;
 * - outbound: a ServiceProfile for the Service wins, else HTTPRoutes with the Service as parent
 *   (best rule by the same precedence), else TCPRoutes, else the Service itself.
 *
 * Clients are meshed pods of the request's ServiceAccount: they hold its mTLS identity and an
 * address inside the cluster networks, so a network requirement holds when it admits all of
 * them. UDP bypasses the proxy; Linkerd authorizes none of it, so UDP is answered with deny.
 */

type Env = EvaluationEnv<LinkerdOptions>;

/** Filters Linkerd accepts on routes; others make the route invalid. */
const ROUTE_FILTERS: Readonly<Record<string, readonly string[]>> = {
  [POLICY_GROUP]: ['RequestHeaderModifier', 'RequestRedirect'],
  [GATEWAY_GROUP]: ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect'],
};

interface Summary {
  readonly path: number;
  readonly method: number;
  readonly headers: number;
  readonly query: number;
}

function compareSummary(a: Summary, b: Summary): number {
  return a.path - b.path || a.method - b.method || a.headers - b.headers || a.query - b.query;
}

function headerOf(request: HttpRequestInfo, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(request.headers ?? {}))
    if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The proxy's regex check: the leftmost-first match must span the whole value. */
function regexSpans(pattern: string, value: string): boolean {
  const re = compileRe2(pattern);
  if (re instanceof Error) return false;
  const m = re.matcher(value);
  return m.find() && m.start() === 0 && m.end() === value.length;
}

function pathLength(path: HttpMatch['path'], requestPath: string): number | undefined {
  switch (path.type) {
    case 'Exact':
      return path.value === requestPath ? path.value.length : undefined;
    case 'RegularExpression':
      return regexSpans(path.value, requestPath) ? requestPath.length : undefined;
    case 'PathPrefix': {
      if (path.value === '/') return 1;
      const prefix = path.value.replace(/\/+$/, '');
      const trimmed = requestPath.replace(/\/+$/, '');
      if (!trimmed.startsWith(prefix)) return undefined;
      const rest = trimmed.slice(prefix.length);
      return rest === '' || rest.startsWith('/') ? prefix.length : undefined;
    }
  }
}

/** A match's precedence summary for a request, or undefined when it does not match. */
export function matchRequest(match: HttpMatch, request: HttpRequestInfo): Summary | undefined {
  if (match.method !== undefined && match.method !== request.method) return undefined;
  const path = pathLength(match.path, request.path);
  if (path === undefined) return undefined;
  for (const h of match.headers) {
    const value = headerOf(request, h.name);
    if (value === undefined) return undefined;
    if (h.type === 'Exact' ? value !== h.value : !regexSpans(h.value, value)) return undefined;
  }
  // Requests carry no query string here, so query parameter conditions cannot hold.
  if ((match.queryParams ?? []).length > 0) return undefined;
  return {
    path,
    method: match.method === undefined ? 0 : 1,
    headers: match.headers.length,
    query: 0,
  };
}

type HostRank = readonly [number, number];

function compareHostRank(a: HostRank, b: HostRank): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * How a route's hostnames match the request's host (linkerd2-proxy `HostMatch`), compared before
 * the matches: `[0, 0]` for a route without hostnames, then any wildcard (`[1, suffix length]`)
 * below any exact name (`[2, length]`); undefined when the route does not apply to the host.
 */
function hostRank(
  hostnames: readonly string[] | undefined,
  host: string | undefined,
): HostRank | undefined {
  if (hostnames === undefined || hostnames.length === 0) return [0, 0];
  if (host === undefined) return undefined;
  const bare = host.replace(/:\d+$/, '').toLowerCase();
  let best: HostRank | undefined;
  for (const h of hostnames) {
    const name = h.toLowerCase();
    let rank: HostRank | undefined;
    if (name.startsWith('*.')) {
      if (bare.endsWith(name.slice(1))) rank = [1, name.length - 1];
    } else if (name === bare) {
      rank = [2, name.length];
    }
    if (rank !== undefined && (best === undefined || compareHostRank(rank, best) > 0)) best = rank;
  }
  return best;
}

function routeValid(route: HttpRouteRecord): boolean {
  const allowed = ROUTE_FILTERS[route.group] ?? [];
  return route.rules.every(
    (rule) =>
      (rule.filters ?? []).every((f) => {
        const type = (f as { type?: unknown } | null)?.type;
        return typeof type === 'string' && allowed.includes(type);
      }) &&
      rule.matches.every(
        (m) =>
          (m.path.type !== 'RegularExpression' || !(compileRe2(m.path.value) instanceof Error)) &&
          m.headers.every(
            (h) => h.type !== 'RegularExpression' || !(compileRe2(h.value) instanceof Error),
          ),
      ),
  );
}

/** The best rule of the routes for a request (first wins ties), or undefined (404). */
function selectRule(
  routes: readonly HttpRouteRecord[],
  request: HttpRequestInfo,
  host: string | undefined,
): { route: HttpRouteRecord; backendRefs?: readonly BackendRef[] } | undefined {
  let best:
    | {
        host: HostRank;
        summary: Summary;
        route: HttpRouteRecord;
        backendRefs?: readonly BackendRef[];
      }
    | undefined;
  for (const route of byAge(routes)) {
    const rank = hostRank(route.hostnames, host);
    if (rank === undefined) continue;
    for (const rule of route.rules) {
      let summary: Summary | undefined;
      if (rule.matches.length === 0) summary = { path: 1, method: 0, headers: 0, query: 0 };
      for (const m of rule.matches) {
        const s = matchRequest(m, request);
        if (s !== undefined && (summary === undefined || compareSummary(s, summary) > 0))
          summary = s;
      }
      if (summary === undefined) continue;
      if (
        best === undefined ||
        (compareHostRank(rank, best.host) || compareSummary(summary, best.summary)) > 0
      )
        best = {
          host: rank,
          summary,
          route,
          ...(rule.backendRefs !== undefined && { backendRefs: rule.backendRefs }),
        };
    }
  }
  return best;
}

function defaultAllows(policy: string): boolean {
  // Clients here are meshed pods, so they are authenticated and inside the cluster networks.
  return policy !== 'deny';
}

function defaultPolicyFor(namespace: string, objects: readonly KubeObject[], env: Env): string {
  for (const o of objects) {
    if (o.apiVersion !== 'v1' || o.kind !== 'Namespace' || o.metadata?.name !== namespace) continue;
    const a = o.metadata.annotations;
    if (a !== undefined && Object.hasOwn(a, DEFAULT_POLICY_ANNOTATION))
      return a[DEFAULT_POLICY_ANNOTATION] ?? '';
  }
  const annotations = env.cluster.namespace(namespace)?.annotations;
  if (annotations !== undefined && Object.hasOwn(annotations, DEFAULT_POLICY_ANNOTATION))
    return annotations[DEFAULT_POLICY_ANNOTATION] ?? '';
  const policy: DefaultPolicy =
    env.options.defaultDeny === 'cluster' ? 'deny' : env.options.clusterDefaultPolicy;
  return policy;
}

function podWorkloads(request: AccessRequest, env: Env): readonly WorkloadInfo[] {
  const { namespace, name, podLabels } = request.destination;
  const mine = env.cluster.workloadsOf(namespace, name);
  if (podLabels === undefined) return mine;
  const same = mine.filter(
    (w) =>
      JSON.stringify(Object.entries(w.podLabels).sort()) ===
      JSON.stringify(Object.entries(podLabels).sort()),
  );
  return same.length > 0 ? same : mine;
}

function serverPorts(server: ServerRecord, workloads: readonly WorkloadInfo[]): number[] {
  if (typeof server.port === 'number') return [server.port];
  return workloads.flatMap((w) =>
    w.containerPorts
      .filter((p) => p.name === server.port && p.protocol.toUpperCase() === 'TCP')
      .map((p) => p.containerPort),
  );
}

interface Authorizer {
  readonly id: string;
  readonly admits: (identity: string) => boolean;
}

function policyAuthorizer(
  policy: AuthorizationPolicyRecord,
  records: readonly NativeRecord[],
  env: Env,
): Authorizer | undefined {
  const identities: string[][] = [];
  let networks: NetworkEntry[] | undefined;
  let meshTls = 0;
  let accounts = 0;
  let networkRefs = 0;
  for (const ref of policy.requiredAuthenticationRefs) {
    const ns = ref.namespace ?? policy.namespace;
    if (sameKind(ref.kind, 'ServiceAccount') && isCoreGroup(ref.group)) {
      accounts += 1;
      identities.push([identityOf({ name: ref.name, namespace: ns }, env.options)]);
    } else if (sameKind(ref.kind, 'MeshTLSAuthentication') && ref.group === POLICY_GROUP) {
      meshTls += 1;
      const authn = recordsOf(records, 'MeshTLSAuthentication').find(
        (m) => m.name === ref.name && m.namespace === ns,
      );
      if (authn === undefined) return undefined;
      const patterns = [...(authn.spec.identities ?? [])];
      for (const r of authn.spec.identityRefs ?? []) {
        if (r.name === undefined) return undefined;
        if (sameKind(r.kind, 'ServiceAccount'))
          patterns.push(
            identityOf({ name: r.name, namespace: r.namespace ?? authn.namespace }, env.options),
          );
        else if (sameKind(r.kind, 'Namespace'))
          patterns.push(
            `*.${r.name}.serviceaccount.identity.${env.options.controlPlaneNamespace}.${env.options.trustDomain}`,
          );
        else return undefined;
      }
      identities.push(patterns);
    } else if (sameKind(ref.kind, 'NetworkAuthentication') && ref.group === POLICY_GROUP) {
      networkRefs += 1;
      const authn = recordsOf(records, 'NetworkAuthentication').find(
        (m) => m.name === ref.name && m.namespace === ns,
      );
      if (authn === undefined) return undefined;
      networks = [...authn.networks];
    } else {
      return undefined;
    }
  }
  // The admission webhook rejects more than one identity source or network set.
  if (meshTls > 1 || accounts > 1 || (meshTls > 0 && accounts > 0) || networkRefs > 1)
    return undefined;
  const networkOk = networks === undefined || networksAdmit(networks, env.options.clusterNetworks);
  return {
    id: `${policy.namespace}/${policy.name}`,
    admits: (identity) =>
      networkOk &&
      identities.every((patterns) => patterns.some((p) => identityMatches(p, identity))),
  };
}

function serverAuthorizationAuthorizer(
  saz: ServerAuthorizationRecord,
  env: Env,
): Authorizer | undefined {
  const client = saz.spec.client;
  const networksOk =
    client.networks === undefined || networksAdmit(client.networks, env.options.clusterNetworks);
  const id = `${saz.namespace}/${saz.name}`;
  if (client.unauthenticated === true) return { id, admits: () => networksOk };
  const tls = client.meshTLS;
  if (tls === undefined) return undefined;
  if (tls.unauthenticatedTLS === true) return { id, admits: () => networksOk };
  const patterns = [
    ...(tls.identities ?? []),
    ...(tls.serviceAccounts ?? []).map((sa) =>
      identityOf({ name: sa.name, namespace: sa.namespace ?? saz.namespace }, env.options),
    ),
  ];
  if (patterns.length === 0) return undefined;
  return {
    id,
    admits: (identity) => networksOk && patterns.some((p) => identityMatches(p, identity)),
  };
}

function targets(
  policy: AuthorizationPolicyRecord,
  kind: string,
  group: string,
  name: string,
): boolean {
  const ref = policy.targetRef;
  return sameKind(ref.kind, kind) && (ref.group ?? '').toLowerCase() === group && ref.name === name;
}

/** Linkerd's decision for an inbound connection or request. */
export function authorizeLinkerd(
  objects: readonly KubeObject[],
  request: AccessRequest,
  env: Env,
): AccessDecision {
  if (request.protocol === 'udp') return { allowed: false, allowedBy: [] };
  const records = readAllNative(objectManifests(objects)).records;
  const ns = request.destination.namespace;
  const workloads = podWorkloads(request, env);
  const podLabels = request.destination.podLabels ?? workloads[0]?.podLabels ?? {};
  const server = byAge(
    recordsOf(records, 'Server').filter(
      (s) =>
        s.namespace === ns &&
        s.podSelector !== undefined &&
        selects(s.podSelector, podLabels) &&
        serverPorts(s, workloads).includes(request.port),
    ),
  )[0];
  if (server === undefined) {
    const policy = defaultPolicyFor(ns, objects, env);
    return {
      allowed: defaultAllows(policy),
      allowedBy: defaultAllows(policy) ? [`default:${policy}`] : [],
    };
  }

  const policies = recordsOf(records, 'AuthorizationPolicy').filter((p) => p.namespace === ns);
  const serverSet: Authorizer[] = [];
  for (const p of policies) {
    const onServer = targets(p, 'Server', POLICY_GROUP, server.name);
    const onNamespace =
      sameKind(p.targetRef.kind, 'Namespace') &&
      isCoreGroup(p.targetRef.group) &&
      p.targetRef.name === ns;
    if (!onServer && !onNamespace) continue;
    const a = policyAuthorizer(p, records, env);
    if (a !== undefined) serverSet.push(a);
  }
  for (const saz of recordsOf(records, 'ServerAuthorization')) {
    if (saz.namespace !== ns) continue;
    const ref = saz.spec.server;
    const selected =
      ref.name !== undefined
        ? ref.name === server.name
        : ref.selector !== undefined && selects(ref.selector, server.labels);
    if (!selected) continue;
    const a = serverAuthorizationAuthorizer(saz, env);
    if (a !== undefined) serverSet.push(a);
  }
  if (server.accessPolicy !== undefined && server.accessPolicy !== 'deny')
    serverSet.push({ id: `${ns}/${server.name}:accessPolicy`, admits: () => true });

  let candidates = serverSet;
  if (request.protocol === 'http' && request.http !== undefined) {
    const protocol = server.proxyProtocol;
    const routes =
      protocol === 'opaque' || protocol === 'TLS' || protocol === 'gRPC'
        ? []
        : recordsOf(records, 'HTTPRoute').filter(
            (r) => routeValid(r) && attachesToServer(r, server),
          );
    if (routes.length > 0) {
      const chosen = selectRule(routes, request.http, headerOf(request.http, 'host'));
      if (chosen === undefined) return { allowed: false, allowedBy: [] };
      const routeSet = policies
        .filter((p) => targets(p, 'HTTPRoute', chosen.route.group, chosen.route.name))
        .flatMap((p) => policyAuthorizer(p, records, env) ?? []);
      candidates = [...routeSet, ...serverSet];
    }
  }
  const identity = identityOf(request.source, env.options);
  const allowedBy = candidates.filter((a) => a.admits(identity)).map((a) => a.id);
  return { allowed: allowedBy.length > 0, allowedBy };
}

function fqdn(service: string, namespace: string, env: Env): string {
  return `${service}.${namespace}.svc.${env.options.clusterDomain}`;
}

function backendsOf(refs: readonly BackendRef[], namespace: string): RouteDecision['backends'] {
  return refs
    .filter((b) => sameKind(b.kind, 'Service') && isCoreGroup(b.group))
    .map((b) => ({
      service:
        b.namespace === undefined || b.namespace === namespace
          ? b.name
          : `${b.namespace}/${b.name}`,
      weight: b.weight,
    }));
}

function servicePortMatches(ref: { port?: number }, port: number | undefined): boolean {
  return ref.port === undefined || port === undefined || ref.port === port;
}

/** Linkerd's outbound decision for a request to a Service. */
export function routeLinkerd(
  objects: readonly KubeObject[],
  request: RouteRequest,
  env: Env,
): RouteDecision {
  const records = readAllNative(objectManifests(objects)).records;
  const { namespace: ns, service } = request;
  const direct: RouteDecision = { backends: [{ service, weight: 1 }] };
  const profile = recordsOf(records, 'ServiceProfile').find(
    (p) => p.namespace === ns && p.name === fqdn(service, ns, env),
  );
  if (profile !== undefined) {
    const suffix = `.${ns}.svc.${env.options.clusterDomain}`;
    const backends: { service: string; weight: number }[] = [];
    for (const o of profile.spec.dstOverrides ?? []) {
      const authority = o.authority.replace(/\.?(:\d+)?$/, '');
      const weight = parseQuantity(o.weight);
      if (weight === undefined) continue;
      const name = authority.endsWith(suffix) ? authority.slice(0, -suffix.length) : authority;
      backends.push({ service: name, weight: Number((weight.num * 1000n) / weight.den) });
    }
    if (backends.length === 0 || backends.every((b) => b.weight === 0)) return direct;
    return { backends, decidedBy: `${ns}/${profile.name}` };
  }
  const parented = <
    T extends {
      namespace: string;
      parentRefs: readonly {
        group: string;
        kind: string;
        name: string;
        namespace?: string;
        port?: number;
      }[];
    },
  >(
    list: readonly T[],
  ): T[] =>
    list.filter(
      (r) =>
        r.namespace === ns &&
        r.parentRefs.some(
          (p) =>
            sameKind(p.kind, 'Service') &&
            isCoreGroup(p.group) &&
            p.name === service &&
            (p.namespace === undefined || p.namespace === ns) &&
            servicePortMatches(p, request.port),
        ),
    );
  const httpRoutes = parented(recordsOf(records, 'HTTPRoute')).filter(routeValid);
  if (request.protocol === 'http' && request.http !== undefined && httpRoutes.length > 0) {
    const host = headerOf(request.http, 'host') ?? fqdn(service, ns, env);
    const chosen = selectRule(httpRoutes, request.http, host);
    if (chosen === undefined) return { backends: [] };
    const decidedBy = `${ns}/${chosen.route.name}`;
    if (chosen.backendRefs === undefined || chosen.backendRefs.length === 0)
      return { ...direct, decidedBy };
    return { backends: backendsOf(chosen.backendRefs, ns), decidedBy };
  }
  if (request.protocol === 'tcp' || httpRoutes.length === 0) {
    const tcp = byAge(parented(recordsOf(records, 'TCPRoute')))[0];
    const rule = tcp?.rules[0];
    if (tcp !== undefined && rule !== undefined && rule.backendRefs.length > 0)
      return { backends: backendsOf(rule.backendRefs, ns), decidedBy: `${ns}/${tcp.name}` };
  }
  return direct;
}
