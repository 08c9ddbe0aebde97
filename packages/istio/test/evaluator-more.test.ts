import {
  EMPTY_CONTEXT,
  indexContext,
  parseYamlStream,
  readContext,
  shares,
  toManifests,
  type AccessRequest,
  type KubeObject,
  type RouteRequest,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import {
  authorizeIstio as authorize,
  IstioOptionsSchema,
  routeIstio as route,
  type IstioOptions,
} from '../src/index.js';

/**
 * More of Istio's documented semantics (research istio.md §2.1, §2.3.1) on hand-written objects:
 * source and `when` keys, HTTP-only fields on TCP for DENY rules, pod labels from the context,
 * and VirtualService host selection, match conditions and destinations.
 */

const env = (options: Partial<IstioOptions> = {}, contextYaml?: string) => ({
  options: IstioOptionsSchema.parse(options),
  cluster: indexContext(
    contextYaml === undefined
      ? EMPTY_CONTEXT
      : readContext(
          toManifests(parseYamlStream({ path: 'context.yaml', text: contextYaml }).documents)
            .manifests,
        ).context,
  ),
});

function policy(name: string, spec: Record<string, unknown>, namespace = 'shop'): KubeObject {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace },
    spec,
  };
}

const apiPods = { app: 'api' };
const selector = { matchLabels: { app: 'api' } };

function http(
  from: { namespace?: string; name: string },
  path = '/',
  headers?: Record<string, string>,
  service?: string,
): AccessRequest {
  return {
    source: { namespace: from.namespace ?? 'shop', name: from.name },
    destination: {
      namespace: 'shop',
      name: 'api',
      podLabels: apiPods,
      ...(service !== undefined && { service }),
    },
    protocol: 'http',
    port: 8080,
    http: { method: 'GET', path, ...(headers !== undefined && { headers }) },
  };
}

function tcp(from: string, port = 9090): AccessRequest {
  return {
    source: { namespace: 'shop', name: from },
    destination: { namespace: 'shop', name: 'api', podLabels: apiPods },
    protocol: 'tcp',
    port,
  };
}

const web = { name: 'web' };
const db = { name: 'db' };

const allowed = (objects: KubeObject[], request: AccessRequest, options?: Partial<IstioOptions>) =>
  authorize(objects, request, env(options)).allowed;

const allowWhen = (when: unknown[]) => policy('w', { selector, rules: [{ when }] });

describe('authorize: source fields', () => {
  it('matches serviceAccounts written as namespace/name, in any namespace', () => {
    const p = policy('sa', {
      selector,
      rules: [{ from: [{ source: { serviceAccounts: ['shop/web', 'other/db'] } }] }],
    });
    expect(allowed([p], http(web))).toBe(true);
    expect(allowed([p], http({ namespace: 'other', name: 'db' }))).toBe(true);
    // Same name, other namespace: a different ServiceAccount.
    expect(allowed([p], http({ namespace: 'other', name: 'web' }))).toBe(false);
    expect(allowed([p], http(db))).toBe(false);
  });

  it('excludes notServiceAccounts', () => {
    const p = policy('nsa', {
      selector,
      rules: [{ from: [{ source: { notServiceAccounts: ['shop/db'] } }] }],
    });
    expect(allowed([p], http(web))).toBe(true);
    expect(allowed([p], http(db))).toBe(false);
  });

  it("matches trustDomains against the peer's trust domain", () => {
    const local = policy('td', {
      selector,
      rules: [{ from: [{ source: { trustDomains: ['cluster.local'] } }] }],
    });
    expect(allowed([local], http(web))).toBe(true);
    const foreign = policy('td', {
      selector,
      rules: [{ from: [{ source: { trustDomains: ['other.org'] } }] }],
    });
    expect(allowed([foreign], http(web))).toBe(false);
  });
});

describe('authorize: when conditions on the source', () => {
  it('source.principal: cluster.local stands for the mesh trust domain, * patterns apply', () => {
    const p = allowWhen([{ key: 'source.principal', values: ['cluster.local/ns/shop/sa/web'] }]);
    expect(allowed([p], http(web), { trustDomain: 'corp.example' })).toBe(true);
    expect(allowed([p], http(db), { trustDomain: 'corp.example' })).toBe(false);
    const prefix = allowWhen([{ key: 'source.principal', values: ['corp.example/ns/shop/*'] }]);
    expect(allowed([prefix], http(web), { trustDomain: 'corp.example' })).toBe(true);
    expect(allowed([prefix], http({ namespace: 'other', name: 'web' }))).toBe(false);
  });

  it('source.serviceAccount is namespace/name', () => {
    const p = allowWhen([{ key: 'source.serviceAccount', values: ['shop/web'] }]);
    expect(allowed([p], http(web))).toBe(true);
    expect(allowed([p], http(db))).toBe(false);
    expect(allowed([p], http({ namespace: 'other', name: 'web' }))).toBe(false);
  });

  it('source.namespace with a prefix pattern', () => {
    const p = allowWhen([{ key: 'source.namespace', values: ['sh*'] }]);
    expect(allowed([p], http(web))).toBe(true);
    expect(allowed([p], http({ namespace: 'other', name: 'web' }))).toBe(false);
  });

  it('keys whose value a request does not carry (IP addresses) never match their values', () => {
    expect(allowed([allowWhen([{ key: 'source.ip', values: ['10.0.0.1'] }])], http(web))).toBe(
      false,
    );
    expect(allowed([allowWhen([{ key: 'remote.ip', values: ['*'] }])], http(web))).toBe(false);
  });

  it('ANDs conditions: every one must hold', () => {
    const p = allowWhen([
      { key: 'source.namespace', values: ['shop'] },
      { key: 'request.headers[x-beta]', values: ['true'] },
    ]);
    expect(allowed([p], http(web, '/', { 'x-beta': 'true' }))).toBe(true);
    expect(allowed([p], http(web, '/', { 'x-beta': 'false' }))).toBe(false);
    expect(allowed([p], http({ namespace: 'other', name: 'web' }, '/', { 'x-beta': 'true' }))).toBe(
      false,
    );
  });
});

describe('authorize: HTTP-only fields on TCP traffic (istio/istio#25832, #37920)', () => {
  it('a DENY rule loses its request.* conditions on TCP and so denies every connection', () => {
    const deny = policy('d', {
      action: 'DENY',
      rules: [{ when: [{ key: 'request.headers[x-block]', values: ['*'] }] }],
    });
    expect(allowed([deny], tcp('web'))).toBe(false);
    // On HTTP the condition holds only when the header is present.
    expect(allowed([deny], http(web))).toBe(true);
    expect(allowed([deny], http(web, '/', { 'x-block': '1' }))).toBe(false);
  });

  it('a DENY rule loses its requestPrincipals on TCP; on HTTP they need a JWT the request lacks', () => {
    const deny = policy('d', {
      action: 'DENY',
      rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }],
    });
    expect(allowed([deny], http(web))).toBe(true);
    expect(allowed([deny], tcp('web'))).toBe(false);
  });

  it('a DENY rule keeps its non-HTTP fields on TCP', () => {
    const deny = policy('d', {
      action: 'DENY',
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/shop/sa/db'] } }],
          to: [{ operation: { methods: ['POST'] } }],
        },
      ],
    });
    expect(allowed([deny], tcp('db'))).toBe(false);
    expect(allowed([deny], tcp('web'))).toBe(true);
  });

  it('an ALLOW rule with requestPrincipals or a request.* condition is dropped on TCP', () => {
    const jwt = policy('j', {
      selector,
      rules: [{ from: [{ source: { notRequestPrincipals: ['x/y'] } }] }],
    });
    // No JWT: the request principal is not x/y, so HTTP passes; on TCP the rule is gone.
    expect(allowed([jwt], http(web))).toBe(true);
    expect(allowed([jwt], tcp('web'))).toBe(false);
    const header = allowWhen([{ key: 'request.headers[x]', notValues: ['no'] }]);
    expect(allowed([header], tcp('web'))).toBe(false);
    const port = allowWhen([{ key: 'destination.port', values: ['9090'] }]);
    expect(allowed([port], tcp('web'))).toBe(true);
    expect(allowed([port], tcp('web', 9091))).toBe(false);
  });
});

describe('authorize: which policies apply', () => {
  const contextYaml = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, tier: back}}
    spec: {serviceAccountName: api, containers: [{name: api, image: x}]}
`;
  const noLabels = (request: AccessRequest): AccessRequest => {
    const { podLabels: _, ...destination } = request.destination;
    return { ...request, destination };
  };

  it('takes pod labels from the workloads in the context when the request has none', () => {
    const p = policy('p', {
      selector: { matchLabels: { tier: 'back' } },
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }],
    });
    const withContext = env({}, contextYaml);
    expect(authorize([p], noLabels(http(db)), withContext).allowed).toBe(false);
    expect(authorize([p], noLabels(http(web)), withContext).allowed).toBe(true);
    // Without the workload, no label is known: the selector picks nothing and Istio allows.
    expect(authorize([p], noLabels(http(db)), env()).allowed).toBe(true);
  });

  it('ignores policies of other namespaces and of other API groups', () => {
    const elsewhere = policy('x', {}, 'other');
    expect(allowed([elsewhere], http(web))).toBe(true);
    const legacy: KubeObject = { ...policy('y', {}), apiVersion: 'rbac.istio.io/v1alpha1' };
    expect(allowed([legacy], http(web))).toBe(true);
    const singular = policy('z', { targetRef: { kind: 'Gateway', name: 'gw' } });
    expect(allowed([singular], http(web))).toBe(true);
  });

  it('requires every selector label, with its value', () => {
    const p = policy('p', { selector: { matchLabels: { app: 'api', version: 'v2' } } });
    expect(allowed([p], http(web))).toBe(true);
    const q = policy('q', { selector: { matchLabels: { app: 'web' } } });
    expect(allowed([q], http(web))).toBe(true);
  });
});

describe('authorize: hosts', () => {
  const hosts = (values: string[], field = 'hosts') =>
    policy('h', { selector, rules: [{ to: [{ operation: { [field]: values } }] }] });

  it('matches any spelling of the addressed Service, with * patterns', () => {
    expect(allowed([hosts(['api.shop'])], http(web, '/', undefined, 'api'))).toBe(true);
    expect(allowed([hosts(['api'])], http(web, '/', undefined, 'api'))).toBe(true);
    expect(allowed([hosts(['*.svc.cluster.local'])], http(web, '/', undefined, 'api'))).toBe(true);
    expect(allowed([hosts(['web.shop'])], http(web, '/', undefined, 'api'))).toBe(false);
    expect(allowed([hosts(['api.shop'], 'notHosts')], http(web, '/', undefined, 'api'))).toBe(
      false,
    );
    expect(allowed([hosts(['web.shop'], 'notHosts')], http(web, '/', undefined, 'api'))).toBe(true);
  });

  it('a request sent to the pod directly (no Service) matches no host', () => {
    expect(allowed([hosts(['api'])], http(web))).toBe(false);
  });
});

// --- routing -------------------------------------------------------------------------------------

function vs(name: string, spec: Record<string, unknown>, namespace = 'shop'): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace },
    spec,
  };
}

const get = (
  path: string,
  extra: { method?: string; headers?: Record<string, string>; port?: number } = {},
): RouteRequest => ({
  namespace: 'shop',
  service: 'api',
  port: extra.port ?? 80,
  protocol: 'http',
  http: {
    method: extra.method ?? 'GET',
    path,
    ...(extra.headers !== undefined && { headers: extra.headers }),
  },
});

const tcpTo = (port: number): RouteRequest => ({
  namespace: 'shop',
  service: 'api',
  port,
  protocol: 'tcp',
});

const shareOf = (objects: KubeObject[], request: RouteRequest) =>
  Object.fromEntries(shares(route(objects, request, env())));

/** A VirtualService for `api` with one matched route to api-v2 and a default to api. */
const matched = (match: Record<string, unknown>) =>
  vs('m', {
    hosts: ['api'],
    http: [
      { match: [match], route: [{ destination: { host: 'api-v2' } }] },
      { route: [{ destination: { host: 'api' } }] },
    ],
  });

const v2 = { 'api-v2': 1 };
const root = { api: 1 };

describe('route: which VirtualService', () => {
  const to = (host: string) => [{ route: [{ destination: { host } }] }];

  it('matches wildcard hosts', () => {
    const wildcard = vs('w', { hosts: ['*.shop.svc.cluster.local'], http: to('api-v2') });
    expect(shareOf([wildcard], get('/'))).toEqual(v2);
    const other = vs('o', { hosts: ['*.other.svc.cluster.local'], http: to('api-v2') });
    expect(shareOf([other], get('/'))).toEqual(root);
    const any = vs('a', { hosts: ['*'], http: to('api-v2') });
    expect(shareOf([any], get('/'))).toEqual(v2);
  });

  it('prefers the VirtualService in the Service namespace, then orders by namespace and name', () => {
    const local = vs('z-local', { hosts: ['api'], http: to('api-v1') });
    const remote = vs(
      'a-remote',
      { hosts: ['api.shop.svc.cluster.local'], http: to('api-v2') },
      'a',
    );
    const remote2 = vs(
      'b-remote',
      { hosts: ['api.shop.svc.cluster.local'], http: to('api-v3') },
      'a',
    );
    expect(shareOf([remote, local], get('/'))).toEqual({ 'api-v1': 1 });
    expect(route([remote2, remote], get('/'), env()).decidedBy).toBe('a/a-remote');
    expect(route([remote, remote2], get('/'), env()).decidedBy).toBe('a/a-remote');
  });

  it('applies to sidecars when the gateways include mesh', () => {
    const both = vs('b', { hosts: ['api'], gateways: ['mesh', 'public'], http: to('api-v2') });
    expect(shareOf([both], get('/'))).toEqual(v2);
  });

  it('leaves HTTP alone when the VirtualService routes only TCP, and skips host-less ones', () => {
    const tcpOnly = vs('t', {
      hosts: ['api'],
      tcp: [{ route: [{ destination: { host: 'db' } }] }],
    });
    expect(shareOf([tcpOnly], get('/'))).toEqual(root);
    expect(route([tcpOnly], get('/'), env()).decidedBy).toBeUndefined();
    expect(shareOf([tcpOnly], tcpTo(5432))).toEqual({ db: 1 });
    expect(shareOf([vs('n', { http: to('api-v2') })], get('/'))).toEqual(root);
  });
});

describe('route: HTTP match conditions', () => {
  it('ignoreUriCase applies to exact and prefix, not to regex (VirtualService reference)', () => {
    const exact = matched({ uri: { exact: '/Items' }, ignoreUriCase: true });
    expect(shareOf([exact], get('/items'))).toEqual(v2);
    expect(shareOf([exact], get('/items/1'))).toEqual(root);
    const prefix = matched({ uri: { prefix: '/API/' }, ignoreUriCase: true });
    expect(shareOf([prefix], get('/api/x'))).toEqual(v2);
    const regex = matched({ uri: { regex: '/items/[0-9]+' }, ignoreUriCase: true });
    expect(shareOf([regex], get('/items/7'))).toEqual(v2);
    expect(shareOf([regex], get('/ITEMS/7'))).toEqual(root);
    const caseSensitive = matched({ uri: { exact: '/Items' } });
    expect(shareOf([caseSensitive], get('/items'))).toEqual(root);
  });

  it('matches the method, scheme and Service port', () => {
    const post = matched({ method: { exact: 'POST' } });
    expect(shareOf([post], get('/', { method: 'POST' }))).toEqual(v2);
    expect(shareOf([post], get('/'))).toEqual(root);
    expect(shareOf([matched({ method: { regex: 'GET|HEAD' } })], get('/'))).toEqual(v2);
    expect(shareOf([matched({ scheme: { exact: 'http' } })], get('/'))).toEqual(v2);
    expect(shareOf([matched({ scheme: { exact: 'https' } })], get('/'))).toEqual(root);
    expect(shareOf([matched({ port: 80 })], get('/'))).toEqual(v2);
    expect(shareOf([matched({ port: 8080 })], get('/'))).toEqual(root);
  });

  it('matches the authority against the spellings of the Service', () => {
    expect(shareOf([matched({ authority: { exact: 'api.shop' } })], get('/'))).toEqual(v2);
    expect(shareOf([matched({ authority: { prefix: 'api.shop.svc' } })], get('/'))).toEqual(v2);
    expect(shareOf([matched({ authority: { exact: 'web.shop' } })], get('/'))).toEqual(root);
  });

  it('headers: {} is presence; withoutHeaders negates', () => {
    const present = matched({ headers: { 'x-beta': {} } });
    expect(shareOf([present], get('/', { headers: { 'X-Beta': '' } }))).toEqual(v2);
    expect(shareOf([present], get('/'))).toEqual(root);
    const prefix = matched({ headers: { 'x-user': { prefix: 'ad' } } });
    expect(shareOf([prefix], get('/', { headers: { 'x-user': 'admin' } }))).toEqual(v2);
    expect(shareOf([prefix], get('/', { headers: { 'x-user': 'bob' } }))).toEqual(root);
    const without = matched({ withoutHeaders: { 'x-beta': { exact: 'true' } } });
    expect(shareOf([without], get('/'))).toEqual(v2);
    expect(shareOf([without], get('/', { headers: { 'x-beta': 'false' } }))).toEqual(v2);
    expect(shareOf([without], get('/', { headers: { 'x-beta': 'true' } }))).toEqual(root);
  });

  it('conditions on the query string or the client never match (requests carry neither)', () => {
    for (const match of [
      { queryParams: { v: { exact: '1' } } },
      { sourceLabels: { app: 'web' } },
      { sourceNamespace: 'shop' },
      { gateways: ['mesh'] },
    ])
      expect([match, shareOf([matched(match)], get('/'))]).toEqual([match, root]);
  });

  it('ORs match blocks and ANDs the fields of one block', () => {
    const both = matched({ uri: { prefix: '/a' }, method: { exact: 'POST' } });
    expect(shareOf([both], get('/a', { method: 'POST' }))).toEqual(v2);
    expect(shareOf([both], get('/a'))).toEqual(root);
    expect(shareOf([both], get('/b', { method: 'POST' }))).toEqual(root);
  });
});

describe('route: TCP routes', () => {
  const db = vs('db', {
    hosts: ['api'],
    tcp: [
      { match: [{ sourceLabels: { app: 'web' } }], route: [{ destination: { host: 'api-v1' } }] },
      { match: [{ port: 5432 }], route: [{ destination: { host: 'api-v2' } }] },
    ],
  });

  it('skips routes whose L4 match needs the client, then matches the port', () => {
    expect(shareOf([db], tcpTo(5432))).toEqual({ 'api-v2': 1 });
    expect(shareOf([db], tcpTo(5433))).toEqual(root);
  });
});

describe('route: destinations', () => {
  it('names Services of other namespaces and external hosts as written', () => {
    const out = vs('x', {
      hosts: ['api'],
      http: [
        {
          route: [
            { destination: { host: 'api.other.svc.cluster.local' }, weight: 1 },
            { destination: { host: 'httpbin.org' }, weight: 1 },
            { destination: { host: 'api-v2.shop.svc.cluster.local' }, weight: 2 },
          ],
        },
      ],
    });
    expect(shareOf([out], get('/'))).toEqual({
      'api.other': 0.25,
      'httpbin.org': 0.25,
      'api-v2': 0.5,
    });
  });

  it('gives an unset or negative weight nothing when there are several destinations', () => {
    const out = vs('x', {
      hosts: ['api'],
      http: [
        {
          route: [
            { destination: { host: 'api-v1' } },
            { destination: { host: 'api-v2' }, weight: -5 },
            { destination: { host: 'api-v3' }, weight: 3 },
          ],
        },
      ],
    });
    expect(shareOf([out], get('/'))).toEqual({ 'api-v1': 0, 'api-v2': 0, 'api-v3': 1 });
  });

  it('resolves short hosts with the cluster domain option', () => {
    const out = vs('x', {
      hosts: ['api.shop.svc.corp.local'],
      http: [{ route: [{ destination: { host: 'api-v2.shop.svc.corp.local' } }] }],
    });
    expect(
      Object.fromEntries(shares(route([out], get('/'), env({ clusterDomain: 'corp.local' })))),
    ).toEqual(v2);
    expect(shareOf([out], get('/'))).toEqual(root);
  });
});
