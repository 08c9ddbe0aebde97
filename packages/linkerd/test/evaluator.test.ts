import { describe, expect, it } from 'vitest';
import { authorizeLinkerd, routeLinkerd } from '../src/index.js';
import { env, http, objects, tcp } from './helpers.js';

const SERVER_8080 = `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: api-8080, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  port: 8080
`;

const WEB_AUTHN = `
apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: web, namespace: shop}
spec:
  identityRefs: [{kind: ServiceAccount, name: web}]
`;

function policy(
  name: string,
  kind: string,
  target: string,
  authn: string,
  authnKind = 'MeshTLSAuthentication',
): string {
  const group = kind === 'Namespace' ? '' : 'policy.linkerd.io';
  return `
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: shop}
spec:
  targetRef: {group: "${group}", kind: ${kind}, name: ${target}}
  requiredAuthenticationRefs:
    - {group: policy.linkerd.io, kind: ${authnKind}, name: ${authn}}
`;
}

function route(name: string, rules: string, created?: string): string {
  return `
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: ${name}, namespace: shop${created === undefined ? '' : `, creationTimestamp: "${created}"`}}
spec:
  parentRefs: [{group: policy.linkerd.io, kind: Server, name: api-8080}]
  rules:
${rules}
`;
}

const stream = (...docs: string[]) => objects(docs.join('\n---\n'));

describe('authorizeLinkerd: default policy and Server selection', () => {
  it('follows the cluster default policy on ports without a Server', () => {
    const objs = stream(SERVER_8080);
    expect(authorizeLinkerd(objs, tcp('web', 9090), env()).allowed).toBe(true);
    expect(
      authorizeLinkerd(objs, tcp('web', 9090), env(undefined, { defaultDeny: 'cluster' })).allowed,
    ).toBe(false);
    expect(
      authorizeLinkerd(
        objs,
        tcp('web', 9090),
        env(undefined, { clusterDefaultPolicy: 'all-authenticated' }),
      ).allowed,
    ).toBe(true);
  });

  it('reads a namespace default-inbound-policy annotation from the objects', () => {
    const objs = stream(
      SERVER_8080,
      `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations: {config.linkerd.io/default-inbound-policy: deny}`,
    );
    expect(authorizeLinkerd(objs, tcp('web', 9090), env()).allowed).toBe(false);
  });

  it('denies everything on a Server without authorizations (accessPolicy defaults to deny)', () => {
    expect(authorizeLinkerd(stream(SERVER_8080), http('web', 'GET', '/'), env()).allowed).toBe(
      false,
    );
  });

  it('resolves named ports through the pods and lets the oldest Server win', () => {
    const objs = stream(
      `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: b-new, namespace: shop, creationTimestamp: "2026-01-02T00:00:00Z"}
spec: {podSelector: {}, port: http, accessPolicy: all-unauthenticated}`,
      `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: z-old, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z"}
spec: {podSelector: {matchLabels: {app: api}}, port: 8080}`,
    );
    // z-old (deny) is older than b-new (open), so it decides.
    expect(authorizeLinkerd(objs, http('web', 'GET', '/'), env()).allowed).toBe(false);
  });

  it('adds the access policy of a v1beta3 Server to its authorizations', () => {
    const objs = objects(
      SERVER_8080.replace('port: 8080', 'port: 8080\n  accessPolicy: all-authenticated'),
    );
    expect(authorizeLinkerd(objs, tcp('web', 8080), env()).allowed).toBe(true);
  });

  it('never authorizes UDP, which bypasses the proxy', () => {
    const udp = { ...tcp('web', 5353), protocol: 'udp' as const };
    expect(authorizeLinkerd(stream(SERVER_8080), udp, env()).allowed).toBe(false);
  });
});

describe('authorizeLinkerd: authentications', () => {
  it('admits the identities of a MeshTLSAuthentication on a Server-level policy', () => {
    const objs = stream(SERVER_8080, WEB_AUTHN, policy('p', 'Server', 'api-8080', 'web'));
    expect(authorizeLinkerd(objs, tcp('web', 8080), env())).toEqual({
      allowed: true,
      allowedBy: ['shop/p'],
    });
    expect(authorizeLinkerd(objs, tcp('db', 8080), env()).allowed).toBe(false);
  });

  it('matches identity strings exactly, by suffix (*.) and * for any identity', () => {
    const authn = (identity: string) => `apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: a, namespace: shop}
spec: {identities: ["${identity}"]}`;
    const allowed = (identity: string, from: string) =>
      authorizeLinkerd(
        stream(SERVER_8080, authn(identity), policy('p', 'Server', 'api-8080', 'a')),
        tcp(from, 8080),
        env(),
      ).allowed;
    expect(allowed('web.shop.serviceaccount.identity.linkerd.cluster.local', 'web')).toBe(true);
    expect(allowed('web.shop.serviceaccount.identity.linkerd.cluster.local', 'db')).toBe(false);
    expect(allowed('*.shop.serviceaccount.identity.linkerd.cluster.local', 'db')).toBe(true);
    expect(allowed('*.ops.serviceaccount.identity.linkerd.cluster.local', 'db')).toBe(false);
    expect(allowed('*', 'ops/anyone')).toBe(true);
    // Another trust domain never matches.
    expect(allowed('web.shop.serviceaccount.identity.linkerd.example.org', 'web')).toBe(false);
  });

  it('ignores a policy whose authentication does not exist, or whose target omits the group', () => {
    expect(
      authorizeLinkerd(
        stream(SERVER_8080, policy('p', 'Server', 'api-8080', 'missing')),
        tcp('web', 8080),
        env(),
      ).allowed,
    ).toBe(false);
    const noGroup = policy('p', 'Server', 'api-8080', 'web').replace(
      'group: "policy.linkerd.io", kind: Server',
      'kind: Server',
    );
    expect(
      authorizeLinkerd(stream(SERVER_8080, WEB_AUTHN, noGroup), tcp('web', 8080), env()).allowed,
    ).toBe(false);
  });

  it('applies Namespace-targeted policies to every Server of the namespace', () => {
    const objs = stream(SERVER_8080, WEB_AUTHN, policy('p', 'Namespace', 'shop', 'web'));
    expect(authorizeLinkerd(objs, tcp('web', 8080), env()).allowed).toBe(true);
  });

  it('ANDs a NetworkAuthentication: it holds when it admits every cluster network', () => {
    const network = (cidrs: string) => `apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: n, namespace: shop}
spec: {networks: [${cidrs}]}`;
    const both = (cidrs: string) =>
      stream(
        SERVER_8080,
        WEB_AUTHN,
        network(cidrs),
        `apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: p, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: api-8080}
  requiredAuthenticationRefs:
    - {group: policy.linkerd.io, kind: MeshTLSAuthentication, name: web}
    - {group: policy.linkerd.io, kind: NetworkAuthentication, name: n}`,
      );
    expect(
      authorizeLinkerd(both('{cidr: 0.0.0.0/0}, {cidr: "::/0"}'), tcp('web', 8080), env()).allowed,
    ).toBe(true);
    expect(authorizeLinkerd(both('{cidr: 10.20.0.0/16}'), tcp('web', 8080), env()).allowed).toBe(
      false,
    );
    expect(
      authorizeLinkerd(
        both('{cidr: 10.0.0.0/8}'),
        tcp('web', 8080),
        env(undefined, { clusterNetworks: ['10.0.0.0/8'] }),
      ).allowed,
    ).toBe(true);
  });

  it('reads ServerAuthorizations by Server name and by Server labels', () => {
    const server = SERVER_8080.replace(
      'name: api-8080, namespace: shop',
      'name: api-8080, namespace: shop, labels: {tier: api}',
    );
    const saz = (ref: string, client: string) => `apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: s, namespace: shop}
spec:
  server: ${ref}
  client: ${client}`;
    const web = '{meshTLS: {serviceAccounts: [{name: web}]}}';
    expect(
      authorizeLinkerd(stream(server, saz('{name: api-8080}', web)), tcp('web', 8080), env())
        .allowed,
    ).toBe(true);
    expect(
      authorizeLinkerd(
        stream(server, saz('{selector: {matchLabels: {tier: api}}}', web)),
        tcp('web', 8080),
        env(),
      ).allowed,
    ).toBe(true);
    expect(
      authorizeLinkerd(
        stream(server, saz('{selector: {matchLabels: {tier: db}}}', web)),
        tcp('web', 8080),
        env(),
      ).allowed,
    ).toBe(false);
    expect(
      authorizeLinkerd(
        stream(server, saz('{name: api-8080}', '{unauthenticated: true}')),
        tcp('db', 8080),
        env(),
      ).allowed,
    ).toBe(true);
  });
});

describe('authorizeLinkerd: routes', () => {
  const metricsRoute = route(
    'metrics',
    `    - matches: [{path: {type: Exact, value: /metrics}, method: GET}]`,
  );
  const metricsPolicy = `
apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: prom, namespace: shop}
spec:
  identityRefs: [{kind: ServiceAccount, name: prometheus, namespace: monitoring}]
---
${policy('prom', 'HTTPRoute', 'metrics', 'prom')}`;

  it('answers 404 (deny) when no route matches, once a route is attached', () => {
    const objs = stream(
      SERVER_8080,
      WEB_AUTHN,
      policy('p', 'Server', 'api-8080', 'web'),
      metricsRoute,
      metricsPolicy,
    );
    expect(authorizeLinkerd(objs, http('web', 'POST', '/orders'), env()).allowed).toBe(false);
    // Server-level authorizations apply on every route, route-level ones on their route only.
    expect(authorizeLinkerd(objs, http('web', 'GET', '/metrics'), env()).allowed).toBe(true);
    expect(
      authorizeLinkerd(objs, http('monitoring/prometheus', 'GET', '/metrics'), env()).allowed,
    ).toBe(true);
    expect(
      authorizeLinkerd(objs, http('monitoring/prometheus', 'POST', '/metrics'), env()).allowed,
    ).toBe(false);
    // Non-HTTP connections see the Server-level authorizations only.
    expect(authorizeLinkerd(objs, tcp('web', 8080), env()).allowed).toBe(true);
    expect(authorizeLinkerd(objs, tcp('monitoring/prometheus', 8080), env()).allowed).toBe(false);
  });

  it('lets a catch-all route keep Server-level grants working (F5)', () => {
    const catchAll = route('catchall', `    - matches: [{path: {type: PathPrefix, value: /}}]`);
    const objs = stream(
      SERVER_8080,
      WEB_AUTHN,
      policy('p', 'Server', 'api-8080', 'web'),
      metricsRoute,
      metricsPolicy,
      catchAll,
    );
    expect(authorizeLinkerd(objs, http('web', 'POST', '/orders'), env()).allowed).toBe(true);
    expect(
      authorizeLinkerd(objs, http('monitoring/prometheus', 'GET', '/orders'), env()).allowed,
    ).toBe(false);
  });

  it('picks the best match: longer path, then method, then more headers; ties to the older route', () => {
    const objs = stream(
      SERVER_8080,
      WEB_AUTHN,
      route(
        'a-regex',
        `    - matches: [{path: {type: RegularExpression, value: "/api/.*"}}]`,
        '2026-01-02T00:00:00Z',
      ),
      route(
        'b-exact',
        `    - matches: [{path: {type: Exact, value: /api/v1}}]`,
        '2026-01-01T00:00:00Z',
      ),
      policy('p', 'HTTPRoute', 'a-regex', 'web'),
    );
    // Exact and regex matches count the same path length; the older route (b-exact) wins.
    expect(authorizeLinkerd(objs, http('web', 'GET', '/api/v1'), env()).allowed).toBe(false);
    expect(authorizeLinkerd(objs, http('web', 'GET', '/api/v2'), env()).allowed).toBe(true);
    const withMethod = stream(
      SERVER_8080,
      WEB_AUTHN,
      route('a', `    - matches: [{path: {type: PathPrefix, value: /api}}]`),
      route('b', `    - matches: [{path: {type: PathPrefix, value: /api}, method: GET}]`),
      policy('p', 'HTTPRoute', 'a', 'web'),
    );
    expect(authorizeLinkerd(withMethod, http('web', 'GET', '/api'), env()).allowed).toBe(false);
    expect(authorizeLinkerd(withMethod, http('web', 'POST', '/api'), env()).allowed).toBe(true);
  });

  it('matches path prefixes by segment and regexes by their leftmost-first match', () => {
    const objs = (match: string) =>
      stream(
        SERVER_8080,
        WEB_AUTHN,
        route('r', `    - matches: [${match}]`),
        policy('p', 'HTTPRoute', 'r', 'web'),
      );
    const allowed = (match: string, path: string) =>
      authorizeLinkerd(objs(match), http('web', 'GET', path), env()).allowed;
    expect(allowed('{path: {type: PathPrefix, value: /foo}}', '/foo/bar')).toBe(true);
    expect(allowed('{path: {type: PathPrefix, value: /foo/}}', '/foo')).toBe(true);
    expect(allowed('{path: {type: PathPrefix, value: /foo}}', '/foobar')).toBe(false);
    expect(allowed('{path: {type: RegularExpression, value: "a|ab"}}', 'ab')).toBe(false);
    expect(allowed('{path: {type: RegularExpression, value: "(?:a|ab)$"}}', 'ab')).toBe(true);
    expect(allowed('{path: {type: RegularExpression, value: "/items/[0-9]+"}}', '/items/12x')).toBe(
      false,
    );
  });

  it('matches headers case-insensitively by name, whole values by value', () => {
    const objs = stream(
      SERVER_8080,
      WEB_AUTHN,
      route(
        'r',
        `    - matches: [{headers: [{name: X-Beta, value: "true"}, {name: user-agent, type: RegularExpression, value: ".*Firefox.*"}]}]`,
      ),
      policy('p', 'HTTPRoute', 'r', 'web'),
    );
    const headers = (h: Record<string, string>) =>
      authorizeLinkerd(objs, http('web', 'GET', '/', 8080, h), env()).allowed;
    expect(headers({ 'x-beta': 'true', 'User-Agent': 'Mozilla Firefox/1' })).toBe(true);
    expect(headers({ 'x-beta': 'truely', 'User-Agent': 'Mozilla Firefox/1' })).toBe(false);
    expect(headers({ 'x-beta': 'true' })).toBe(false);
  });

  it('ignores routes on opaque Servers and routes with filters Linkerd rejects', () => {
    const opaque = SERVER_8080.replace('port: 8080', 'port: 8080\n  proxyProtocol: opaque');
    const objs = stream(opaque, WEB_AUTHN, policy('p', 'Server', 'api-8080', 'web'), metricsRoute);
    expect(authorizeLinkerd(objs, http('web', 'POST', '/orders'), env()).allowed).toBe(true);
    const mirror = route(
      'm',
      `    - matches: [{path: {type: Exact, value: /x}}]\n      filters: [{type: RequestMirror, requestMirror: {backendRef: {name: x, port: 80}}}]`,
    );
    const withMirror = stream(
      SERVER_8080,
      WEB_AUTHN,
      policy('p', 'Server', 'api-8080', 'web'),
      mirror,
    );
    // The invalid route is not attached, so the default route serves every request.
    expect(authorizeLinkerd(withMirror, http('web', 'GET', '/y'), env()).allowed).toBe(true);
  });
});

describe('routeLinkerd', () => {
  const request = (
    path = '/',
    headers: Record<string, string> = {},
    protocol: 'http' | 'tcp' = 'http',
  ) => ({
    namespace: 'shop',
    service: 'api',
    port: 80,
    protocol,
    ...(protocol === 'http' && { http: { method: 'GET', path, headers } }),
  });

  it('goes to the Service itself without routing objects', () => {
    expect(routeLinkerd([], request(), env())).toEqual({
      backends: [{ service: 'api', weight: 1 }],
    });
  });

  it('splits by HTTPRoute backendRefs, with matches and a fallback to the parent', () => {
    const objs = objects(`
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: ab, namespace: shop}
spec:
  parentRefs: [{group: core, kind: Service, name: api, port: 80}]
  rules:
    - matches: [{headers: [{name: x-beta, value: "true"}]}]
      backendRefs: [{name: api-v1, port: 80, weight: 1}, {name: api-v2, port: 80, weight: 3}]
    - matches: [{path: {type: PathPrefix, value: /}}]
`);
    expect(routeLinkerd(objs, request('/', { 'x-beta': 'true' }), env()).backends).toEqual([
      { service: 'api-v1', weight: 1 },
      { service: 'api-v2', weight: 3 },
    ]);
    expect(routeLinkerd(objs, request('/'), env()).backends).toEqual([
      { service: 'api', weight: 1 },
    ]);
    // Non-HTTP traffic is not routed by HTTPRoutes.
    expect(routeLinkerd(objs, request('/', {}, 'tcp'), env()).backends).toEqual([
      { service: 'api', weight: 1 },
    ]);
  });

  it('fails requests no rule matches and ignores policy-group parents written without group', () => {
    const objs = objects(`
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: only-beta, namespace: shop}
spec:
  parentRefs: [{group: core, kind: Service, name: api}]
  rules:
    - matches: [{headers: [{name: x-beta, value: "true"}]}]
      backendRefs: [{name: api-v2, port: 80}]
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: no-group, namespace: shop}
spec:
  parentRefs: [{kind: Service, name: other}]
  rules: [{backendRefs: [{name: x, port: 80}]}]
`);
    expect(routeLinkerd(objs, request('/'), env()).backends).toEqual([]);
    expect(routeLinkerd(objs, { ...request('/'), service: 'other' }, env()).backends).toEqual([
      { service: 'other', weight: 1 },
    ]);
  });

  it('lets a ServiceProfile win over HTTPRoutes, weights as Quantities', () => {
    const objs = objects(`
apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: {name: api.shop.svc.cluster.local, namespace: shop}
spec:
  dstOverrides:
    - {authority: api-v1.shop.svc.cluster.local, weight: 750m}
    - {authority: "api-v2.shop.svc.cluster.local:8080", weight: "250m"}
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: ignored, namespace: shop}
spec:
  parentRefs: [{group: core, kind: Service, name: api}]
  rules: [{backendRefs: [{name: api-v3, port: 80}]}]
`);
    expect(routeLinkerd(objs, request('/'), env())).toEqual({
      backends: [
        { service: 'api-v1', weight: 750 },
        { service: 'api-v2', weight: 250 },
      ],
      decidedBy: 'shop/api.shop.svc.cluster.local',
    });
  });

  it('splits TCP connections by a Gateway API TCPRoute', () => {
    const objs = objects(`
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db, namespace: shop}
spec:
  parentRefs: [{group: "", kind: Service, name: api, port: 80}]
  rules: [{backendRefs: [{name: a, port: 80, weight: 80}, {name: b, port: 80, weight: 20}]}]
`);
    expect(routeLinkerd(objs, request('/', {}, 'tcp'), env()).backends).toEqual([
      { service: 'a', weight: 80 },
      { service: 'b', weight: 20 },
    ]);
  });
});
