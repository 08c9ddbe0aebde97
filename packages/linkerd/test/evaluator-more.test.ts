import { describe, expect, it } from 'vitest';
import { authorizeLinkerd, matchRequest, routeLinkerd, type LinkerdOptions } from '../src/index.js';
import { C0, env, http, objects, tcp } from './helpers.js';

const stream = (...docs: string[]) => objects(docs.join('\n---\n'));

/** The Server api-8080 in `shop`; `spec` is a YAML flow mapping. */
const server = (spec: string) => `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: api-8080, namespace: shop}
spec: ${spec}`;

const SERVER_8080 = server('{podSelector: {matchLabels: {app: api}}, port: 8080}');

/** An AuthorizationPolicy in `shop` with the given targetRef and requiredAuthenticationRefs. */
const policy = (
  name: string,
  targetRef: string,
  refs: string,
) => `apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: shop}
spec:
  targetRef: ${targetRef}
  requiredAuthenticationRefs: ${refs}`;

const ON_SERVER = '{group: policy.linkerd.io, kind: Server, name: api-8080}';
const onRoute = (name: string, group = 'policy.linkerd.io') =>
  `{group: ${group}, kind: HTTPRoute, name: ${name}}`;
const meshTlsRef = (name: string) =>
  `{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: ${name}}`;
const networkRef = (name: string) =>
  `{group: policy.linkerd.io, kind: NetworkAuthentication, name: ${name}}`;

const meshTls = (name: string, spec: string) => `apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: ${name}, namespace: shop}
spec: ${spec}`;

const network = (name: string, networks: string) => `apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: ${name}, namespace: shop}
spec: {networks: ${networks}}`;

const WEB = meshTls('web', '{identityRefs: [{kind: ServiceAccount, name: web}]}');
const DB = meshTls('db', '{identityRefs: [{kind: ServiceAccount, name: db}]}');

/** An HTTPRoute on api-8080 (policy.linkerd.io unless told), rules as YAML lines. */
const route = (
  name: string,
  rules: string,
  extra = '',
  apiVersion = 'policy.linkerd.io/v1beta3',
) => `apiVersion: ${apiVersion}
kind: HTTPRoute
metadata: {name: ${name}, namespace: shop}
spec:
  parentRefs: [{group: policy.linkerd.io, kind: Server, name: api-8080}]${extra}
  rules:
${rules}`;

const allowed = (
  objs: ReturnType<typeof objects>,
  request: Parameters<typeof authorizeLinkerd>[1],
) => authorizeLinkerd(objs, request, env()).allowed;

describe('authorizeLinkerd: Server selection', () => {
  // An open Server shows whether it was selected: without it the cluster denies by default.
  const denyByDefault = env(undefined, { defaultDeny: 'cluster' });
  const selected = (selector: string) =>
    authorizeLinkerd(
      stream(server(`{podSelector: ${selector}, port: 8080, accessPolicy: all-unauthenticated}`)),
      tcp('web', 8080),
      denyByDefault,
    ).allowed;

  it('selects pods by matchExpressions, ANDed with matchLabels', () => {
    const expr = (e: string) => `{matchExpressions: [${e}]}`;
    expect(selected(expr('{key: app, operator: In, values: [web, api]}'))).toBe(true);
    expect(selected(expr('{key: app, operator: In, values: [web]}'))).toBe(false);
    expect(selected(expr('{key: version, operator: NotIn, values: [v2]}'))).toBe(true);
    expect(selected(expr('{key: version, operator: NotIn, values: [v1, v2]}'))).toBe(false);
    // NotIn holds for pods without the label.
    expect(selected(expr('{key: track, operator: NotIn, values: [canary]}'))).toBe(true);
    expect(selected(expr('{key: app, operator: Exists}'))).toBe(true);
    expect(selected(expr('{key: track, operator: Exists}'))).toBe(false);
    expect(selected(expr('{key: track, operator: DoesNotExist}'))).toBe(true);
    expect(selected(expr('{key: version, operator: DoesNotExist}'))).toBe(false);
    expect(
      selected(
        '{matchLabels: {app: api}, matchExpressions: [{key: version, operator: DoesNotExist}]}',
      ),
    ).toBe(false);
    expect(selected('{}')).toBe(true);
  });

  it('resolves a named port through the workloads of the ServiceAccount', () => {
    const objs = stream(
      server(
        '{podSelector: {matchLabels: {app: api}}, port: http, accessPolicy: all-unauthenticated}',
      ),
    );
    // A pod whose labels match no workload exactly: the ServiceAccount's workloads name the port.
    const partial = (port: number) => {
      const request = tcp('web', port);
      return { ...request, destination: { ...request.destination, podLabels: { app: 'api' } } };
    };
    expect(authorizeLinkerd(objs, partial(8080), denyByDefault).allowed).toBe(true);
    expect(authorizeLinkerd(objs, partial(9090), denyByDefault).allowed).toBe(false);
    // Without pod labels, the pods are those of the ServiceAccount's workloads.
    const { podLabels: _labels, ...destination } = tcp('web', 8080).destination;
    expect(
      authorizeLinkerd(objs, { ...tcp('web', 8080), destination }, denyByDefault).allowed,
    ).toBe(true);
  });

  it('resolves port names through TCP container ports only', () => {
    const withDns = (protocol: string) =>
      env(
        C0.replace(
          '- {name: metrics, containerPort: 9090}',
          `- {name: metrics, containerPort: 9090}\n            - {name: dns, containerPort: 5353, protocol: ${protocol}}`,
        ),
        { defaultDeny: 'cluster' },
      );
    const objs = stream(
      server(
        '{podSelector: {matchLabels: {app: api}}, port: dns, accessPolicy: all-unauthenticated}',
      ),
    );
    expect(authorizeLinkerd(objs, tcp('web', 5353), withDns('TCP')).allowed).toBe(true);
    expect(authorizeLinkerd(objs, tcp('web', 5353), withDns('UDP')).allowed).toBe(false);
  });

  it('reads the default policy from the namespace annotation of the context', () => {
    const annotated = (value: string) =>
      env(
        C0.replace(
          'metadata: {name: shop}',
          `metadata: {name: shop, annotations: {config.linkerd.io/default-inbound-policy: ${value}}}`,
        ),
      );
    expect(authorizeLinkerd([], tcp('web', 9090), annotated('deny'))).toEqual({
      allowed: false,
      allowedBy: [],
    });
    expect(authorizeLinkerd([], tcp('web', 9090), annotated('all-authenticated'))).toEqual({
      allowed: true,
      allowedBy: ['default:all-authenticated'],
    });
  });
});

describe('authorizeLinkerd: AuthorizationPolicy authentications', () => {
  const withRefs = (refs: string, ...docs: string[]) =>
    stream(SERVER_8080, ...docs, policy('p', ON_SERVER, refs));

  it('admits anyone when no authentication is required', () => {
    const objs = withRefs('[]');
    expect(allowed(objs, tcp('ops/anyone', 8080))).toBe(true);
  });

  it('admits a ServiceAccount reference of the core group, in its namespace or the policy one', () => {
    expect(allowed(withRefs('[{kind: ServiceAccount, name: web}]'), tcp('web', 8080))).toBe(true);
    expect(allowed(withRefs('[{kind: ServiceAccount, name: web}]'), tcp('db', 8080))).toBe(false);
    expect(
      allowed(withRefs('[{group: core, kind: ServiceAccount, name: web}]'), tcp('web', 8080)),
    ).toBe(true);
    const ops = withRefs('[{kind: ServiceAccount, name: web, namespace: ops}]');
    expect(allowed(ops, tcp('ops/web', 8080))).toBe(true);
    expect(allowed(ops, tcp('web', 8080))).toBe(false);
    // A ServiceAccount of another group is an unsupported authentication: the policy is ignored.
    expect(
      allowed(
        withRefs('[{group: policy.linkerd.io, kind: ServiceAccount, name: web}]'),
        tcp('web', 8080),
      ),
    ).toBe(false);
  });

  it('admits every ServiceAccount of a namespace reference', () => {
    const objs = withRefs(
      `[${meshTlsRef('ops')}]`,
      meshTls('ops', '{identityRefs: [{kind: Namespace, name: ops}]}'),
    );
    expect(allowed(objs, tcp('ops/anyone', 8080))).toBe(true);
    expect(allowed(objs, tcp('web', 8080))).toBe(false);
  });

  it('ignores a MeshTLSAuthentication with a reference Linkerd cannot read', () => {
    // The controller rejects the whole object (fails closed), the valid references included.
    const nameless = withRefs(
      `[${meshTlsRef('m')}]`,
      meshTls('m', '{identityRefs: [{kind: ServiceAccount, name: web}, {kind: ServiceAccount}]}'),
    );
    expect(allowed(nameless, tcp('web', 8080))).toBe(false);
    const otherKind = withRefs(
      `[${meshTlsRef('m')}]`,
      meshTls('m', '{identityRefs: [{kind: ServiceAccount, name: web}, {kind: Pod, name: web}]}'),
    );
    expect(allowed(otherKind, tcp('web', 8080))).toBe(false);
  });

  it('ignores policies with missing or unsupported authentications', () => {
    expect(allowed(withRefs(`[${meshTlsRef('web')}]`, WEB), tcp('web', 8080))).toBe(true);
    expect(allowed(withRefs(`[${networkRef('missing')}]`), tcp('web', 8080))).toBe(false);
    expect(
      allowed(
        withRefs(`[${meshTlsRef('web')}, {group: policy.linkerd.io, kind: Secret, name: x}]`, WEB),
        tcp('web', 8080),
      ),
    ).toBe(false);
  });

  it('ignores policies the admission webhook rejects: two identity sources or network sets', () => {
    expect(
      allowed(withRefs(`[${meshTlsRef('web')}, ${meshTlsRef('db')}]`, WEB, DB), tcp('web', 8080)),
    ).toBe(false);
    expect(
      allowed(
        withRefs(`[${meshTlsRef('web')}, {kind: ServiceAccount, name: web}]`, WEB),
        tcp('web', 8080),
      ),
    ).toBe(false);
    expect(
      allowed(
        withRefs('[{kind: ServiceAccount, name: web}, {kind: ServiceAccount, name: db}]'),
        tcp('web', 8080),
      ),
    ).toBe(false);
    const all = network('all', '[{cidr: 0.0.0.0/0}, {cidr: "::/0"}]');
    const all2 = network('all2', '[{cidr: 0.0.0.0/0}, {cidr: "::/0"}]');
    // One identity source and one network set are fine.
    expect(
      allowed(withRefs(`[${meshTlsRef('web')}, ${networkRef('all')}]`, WEB, all), tcp('web', 8080)),
    ).toBe(true);
    expect(
      allowed(
        withRefs(
          `[${meshTlsRef('web')}, ${networkRef('all')}, ${networkRef('all2')}]`,
          WEB,
          all,
          all2,
        ),
        tcp('web', 8080),
      ),
    ).toBe(false);
  });

  it('admits unauthenticated clients from networks that hold every cluster network', () => {
    const only = (networks: string, clusterNetworks?: string[]) =>
      authorizeLinkerd(
        withRefs(`[${networkRef('n')}]`, network('n', networks)),
        tcp('ops/anyone', 8080),
        env(undefined, clusterNetworks === undefined ? {} : { clusterNetworks }),
      ).allowed;
    expect(only('[{cidr: 0.0.0.0/0}, {cidr: "::/0"}]')).toBe(true);
    // An exception inside the cluster networks keeps some pods out.
    expect(only('[{cidr: 0.0.0.0/0, except: [10.1.0.0/16]}, {cidr: "::/0"}]')).toBe(false);
    // One outside them does not.
    expect(only('[{cidr: 0.0.0.0/0, except: [203.0.113.0/24]}, {cidr: "::/0"}]')).toBe(true);
    // The IPv6 cluster network needs an IPv6 entry.
    expect(only('[{cidr: 0.0.0.0/0}]')).toBe(false);
    expect(only('[{cidr: 0.0.0.0/0}, {cidr: "fd00:0:0:0:0:0:0:0/8"}]')).toBe(true);
    expect(only('[{cidr: 10.0.0.0/8}]', ['10.0.0.0/8', '10.1.2.3'])).toBe(true);
    // Entries Linkerd could not parse admit nobody.
    expect(only('[{cidr: 10.0.0.0/33}, {cidr: "fd00::1::/8"}]', ['10.0.0.0/8'])).toBe(false);
  });
});

describe('authorizeLinkerd: ServerAuthorizations', () => {
  const saz = (client: string, namespace = 'shop') => `apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: s, namespace: ${namespace}}
spec:
  server: {name: api-8080}
  client: ${client}`;
  const admits = (doc: string, from: string, options: Partial<LinkerdOptions> = {}) =>
    authorizeLinkerd(stream(SERVER_8080, doc), tcp(from, 8080), env(undefined, options)).allowed;

  it('admits any TLS client with unauthenticatedTLS and identities by pattern', () => {
    expect(admits(saz('{meshTLS: {unauthenticatedTLS: true}}'), 'ops/anyone')).toBe(true);
    const shopOnly = saz(
      '{meshTLS: {identities: ["*.shop.serviceaccount.identity.linkerd.cluster.local"]}}',
    );
    expect(admits(shopOnly, 'db')).toBe(true);
    expect(admits(shopOnly, 'ops/db')).toBe(false);
  });

  it('ignores ServerAuthorizations that name no client or live in another namespace', () => {
    expect(admits(saz('{meshTLS: {}}'), 'web')).toBe(false);
    expect(admits(saz('{networks: [{cidr: 0.0.0.0/0}]}'), 'web')).toBe(false);
    expect(admits(saz('{unauthenticated: true}'), 'web')).toBe(true);
    expect(admits(saz('{unauthenticated: true}', 'ops'), 'web')).toBe(false);
  });

  it('applies explicit networks only when they hold every cluster network', () => {
    const narrow = saz('{unauthenticated: true, networks: [{cidr: 192.168.0.0/16}]}');
    expect(admits(narrow, 'web')).toBe(false);
    expect(admits(narrow, 'web', { clusterNetworks: ['192.168.0.0/16'] })).toBe(true);
  });
});

describe('authorizeLinkerd: route matching', () => {
  const grantWeb = (routeName: string, group?: string) =>
    policy(`p-${routeName}`, onRoute(routeName, group), `[${meshTlsRef('web')}]`);

  it('does not match header conditions on a request without headers', () => {
    const objs = stream(
      SERVER_8080,
      WEB,
      route('r', '    - matches: [{headers: [{name: x-beta, value: "true"}]}]'),
      grantWeb('r'),
    );
    const bare = { ...http('web', 'GET', '/'), http: { method: 'GET', path: '/' } };
    expect(allowed(objs, bare)).toBe(false);
    expect(allowed(objs, http('web', 'GET', '/', 8080, { 'x-beta': 'true' }))).toBe(true);
  });

  it('routes paths outside every prefix to 404', () => {
    const objs = stream(
      SERVER_8080,
      WEB,
      route('r', '    - matches: [{path: {type: PathPrefix, value: /api}}]'),
      grantWeb('r'),
    );
    expect(allowed(objs, http('web', 'GET', '/api/v1'))).toBe(true);
    expect(allowed(objs, http('web', 'GET', '/admin'))).toBe(false);
  });

  it('never matches query parameter conditions of requests without a query', () => {
    const objs = stream(
      SERVER_8080,
      WEB,
      route(
        'r',
        '    - matches: [{path: {type: PathPrefix, value: /}, queryParams: [{name: debug, value: "1"}]}]',
      ),
      grantWeb('r'),
    );
    expect(allowed(objs, http('web', 'GET', '/'))).toBe(false);
  });

  it('ignores routes with an invalid regular expression (they are not accepted)', () => {
    const db = policy('db', ON_SERVER, `[${meshTlsRef('db')}]`);
    const bad = (match: string) =>
      stream(SERVER_8080, WEB, DB, db, route('bad', `    - matches: [${match}]`), grantWeb('bad'));
    // Were the route attached, "/" would match none of it and get 404, as with a valid one.
    expect(
      allowed(bad('{path: {type: RegularExpression, value: "/(a)"}}'), http('db', 'GET', '/')),
    ).toBe(false);
    const path = bad('{path: {type: RegularExpression, value: "/(a"}}');
    expect(allowed(path, http('db', 'GET', '/'))).toBe(true);
    expect(allowed(path, http('web', 'GET', '/'))).toBe(false);
    const header = bad('{headers: [{name: x, type: RegularExpression, value: "[a"}]}');
    expect(allowed(header, http('db', 'GET', '/'))).toBe(true);
    expect(
      matchRequest(
        { path: { type: 'RegularExpression', value: '/(a' }, headers: [] },
        { method: 'GET', path: '/(a' },
      ),
    ).toBeUndefined();
  });

  it('ignores route-level policies whose authentication is missing', () => {
    const objs = stream(
      SERVER_8080,
      route('r', '    - matches: [{path: {type: PathPrefix, value: /}}]'),
      policy('p', onRoute('r'), `[${meshTlsRef('missing')}]`),
    );
    expect(allowed(objs, http('web', 'GET', '/'))).toBe(false);
  });

  it('applies a route-level policy only to a route of the group it names', () => {
    const gateway = route(
      'r',
      '    - matches: [{path: {type: PathPrefix, value: /}}]\n      filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x, value: y}]}}]',
      '',
      'gateway.networking.k8s.io/v1',
    );
    // The Gateway API route is valid with a response header filter, so it takes the requests.
    expect(allowed(stream(SERVER_8080, WEB, gateway, grantWeb('r')), http('web', 'GET', '/'))).toBe(
      false,
    );
    expect(
      allowed(
        stream(SERVER_8080, WEB, gateway, grantWeb('r', 'gateway.networking.k8s.io')),
        http('web', 'GET', '/'),
      ),
    ).toBe(true);
  });

  it('ignores HTTPRoutes on gRPC and TLS Servers', () => {
    for (const protocol of ['gRPC', 'TLS']) {
      const objs = stream(
        server(`{podSelector: {matchLabels: {app: api}}, port: 8080, proxyProtocol: ${protocol}}`),
        WEB,
        policy('p', ON_SERVER, `[${meshTlsRef('web')}]`),
        route('r', '    - matches: [{path: {type: Exact, value: /only}}]'),
      );
      // With the route, /other would get 404.
      expect(allowed(objs, http('web', 'GET', '/other'))).toBe(true);
    }
  });
});

describe('authorizeLinkerd: route hostnames', () => {
  const host = (h?: string) =>
    http('web', 'GET', '/orders', 8080, h === undefined ? {} : { Host: h });
  const hostRoute = (name: string, hostnames: string, match: string) =>
    route(name, `    - matches: [${match}]`, `\n  hostnames: ${hostnames}`);
  const grant = (routeName: string, authn: string) =>
    policy(`p-${routeName}`, onRoute(routeName), `[${meshTlsRef(authn)}]`);

  it('applies a route with hostnames only to requests for those hosts', () => {
    const objs = (hostnames: string) =>
      stream(
        SERVER_8080,
        WEB,
        hostRoute('r', hostnames, '{path: {type: PathPrefix, value: /}}'),
        grant('r', 'web'),
      );
    const exact = objs('[api.shop.svc.cluster.local]');
    expect(allowed(exact, host('api.shop.svc.cluster.local:80'))).toBe(true);
    expect(allowed(exact, host('API.shop.svc.cluster.local'))).toBe(true);
    expect(allowed(exact, host('other.shop.svc.cluster.local'))).toBe(false);
    expect(allowed(exact, host())).toBe(false);
    const wildcard = objs('["*.svc.cluster.local"]');
    expect(allowed(wildcard, host('api.shop.svc.cluster.local'))).toBe(true);
    expect(allowed(wildcard, host('svc.cluster.local'))).toBe(false);
  });

  it('prefers a route whose hostname matches over longer path matches of other routes', () => {
    // linkerd2-proxy compares the host match first: exact names, then longer wildcards, then
    // routes without hostnames; the path only breaks ties.
    const objs = stream(
      SERVER_8080,
      WEB,
      DB,
      route('by-path', '    - matches: [{path: {type: Exact, value: /orders}}]'),
      grant('by-path', 'db'),
      hostRoute('by-host', '[api.shop.svc.cluster.local]', '{path: {type: PathPrefix, value: /}}'),
      grant('by-host', 'web'),
      hostRoute('short', '["*.cluster.local"]', '{path: {type: Exact, value: /orders}}'),
      grant('short', 'db'),
      hostRoute('long', '["*.svc.cluster.local"]', '{path: {type: PathPrefix, value: /}}'),
      grant('long', 'web'),
    );
    const decide = (from: string, h?: string) => {
      const request = host(h);
      return allowed(objs, { ...request, source: { namespace: 'shop', name: from } });
    };
    expect(decide('web', 'api.shop.svc.cluster.local')).toBe(true);
    expect(decide('db', 'api.shop.svc.cluster.local')).toBe(false);
    expect(decide('web', 'db.shop.svc.cluster.local')).toBe(true);
    expect(decide('db', 'db.shop.svc.cluster.local')).toBe(false);
    expect(decide('db', 'db.example.cluster.local')).toBe(true);
    expect(decide('web', 'db.example.cluster.local')).toBe(false);
    expect(decide('db')).toBe(true);
    expect(decide('web')).toBe(false);
  });
});

describe('routeLinkerd: more', () => {
  const request = (port = 80, headers: Record<string, string> = {}) => ({
    namespace: 'shop',
    service: 'api',
    port,
    protocol: 'http' as const,
    http: { method: 'GET', path: '/', headers },
  });
  const serviceRoute = (
    parent: string,
    backends: string,
    name = 'split',
  ) => `apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: ${name}, namespace: shop}
spec:
  parentRefs: [${parent}]
  rules: [{backendRefs: ${backends}}]`;

  it('names backends of other namespaces with their namespace', () => {
    const objs = objects(
      serviceRoute(
        '{group: core, kind: Service, name: api, namespace: shop}',
        '[{name: api-v1, port: 80}, {name: api-v2, namespace: ops, port: 80, weight: 3}, {name: api-v3, namespace: shop, port: 80}]',
      ),
    );
    expect(routeLinkerd(objs, request(), env())).toEqual({
      backends: [
        { service: 'api-v1', weight: 1 },
        { service: 'ops/api-v2', weight: 3 },
        { service: 'api-v3', weight: 1 },
      ],
      decidedBy: 'shop/split',
    });
  });

  it('applies routes only to the port and namespace of their parent', () => {
    const objs = objects(
      `${serviceRoute('{group: core, kind: Service, name: api, port: 8080}', '[{name: api-v2, port: 8080}]')}
---
${serviceRoute('{group: core, kind: Service, name: api, namespace: ops}', '[{name: api-v3, port: 80}]', 'other')}`,
    );
    expect(routeLinkerd(objs, request(80), env())).toEqual({
      backends: [{ service: 'api', weight: 1 }],
    });
    expect(routeLinkerd(objs, request(8080), env()).backends).toEqual([
      { service: 'api-v2', weight: 1 },
    ]);
  });

  it('honours hostnames on outbound routes, the Service name being the default host', () => {
    const objs = objects(
      `${serviceRoute('{group: core, kind: Service, name: api}', '[{name: api-v2, port: 80}]')}
  hostnames: [api.shop.svc.cluster.local]`,
    );
    expect(routeLinkerd(objs, request(), env()).backends).toEqual([
      { service: 'api-v2', weight: 1 },
    ]);
    expect(routeLinkerd(objs, request(80, { host: 'api.example.org' }), env()).backends).toEqual(
      [],
    );
  });

  it('lets a ServiceProfile without dstOverrides keep traffic on the Service', () => {
    const objs = objects(`apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: {name: api.shop.svc.cluster.local, namespace: shop}
spec:
  routes: [{name: all, condition: {pathRegex: "/.*"}}]
---
${serviceRoute('{group: core, kind: Service, name: api}', '[{name: api-v2, port: 80}]')}`);
    expect(routeLinkerd(objs, request(), env())).toEqual({
      backends: [{ service: 'api', weight: 1 }],
    });
  });
});
