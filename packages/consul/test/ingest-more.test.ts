import {
  authorize,
  type AccessRequest,
  type HttpRequestInfo,
  type MeshModel,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { authorizeConsul } from '../src/index.js';
import { env, fromConsul, objects, withCode } from './support.js';

const intentions = (spec: string, name = 'api', namespace = 'shop'): string =>
  `apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceIntentions
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec}
---
`;
const entry = (kind: string, name: string, spec: string, namespace = 'shop'): string =>
  `apiVersion: consul.hashicorp.com/v1alpha1
kind: ${kind}
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec}
---
`;
const defaults = (service: string, protocol = 'http', namespace = 'shop'): string =>
  entry('ServiceDefaults', service, `  protocol: ${protocol}`, namespace);
const accounts = (namespace: string, ...names: string[]): string =>
  names
    .map(
      (n) =>
        `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${n}, namespace: ${namespace}}\n`,
    )
    .join('---\n');

/** TrafficTargets as `source -> destination: rules`, sorted. */
function grants(model: MeshModel): string[] {
  return model.trafficTargets
    .flatMap((t) =>
      t.sources.map(
        (s) =>
          `${s.namespace}/${s.name} -> ${t.destination.namespace}/${t.destination.name}: ${t.rules
            .map(
              (r) =>
                `${r.kind}/${r.name}${r.matches === undefined ? '' : `[${r.matches.join(',')}]`}`,
            )
            .join(' ')}`,
      ),
    )
    .sort();
}

/** The matches of the HTTPRouteGroups, without positions. */
function matches(model: MeshModel): Record<string, unknown[]> {
  return Object.fromEntries(
    model.httpRouteGroups.map((g) => [g.name, g.matches.map(({ origin: _origin, ...m }) => m)]),
  );
}

function http(
  source: string,
  destination: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): AccessRequest {
  const info: HttpRequestInfo = { path, method, headers };
  return {
    source: { namespace: 'shop', name: source },
    destination: { namespace: 'shop', name: destination, service: destination },
    protocol: 'http',
    port: 8080,
    http: info,
  };
}

describe('wildcard destinations', () => {
  it('become one TrafficTarget per known destination account, reported as narrowing', () => {
    const input = intentions(
      '  destination: {name: "*"}\n  sources: [{name: web, action: allow}]',
      'all',
    );
    const result = fromConsul(input, { context: accounts('shop', 'api', 'db', 'web') });
    expect(withCode(result, 'consul/wildcard-destination')).toMatchObject([
      {
        severity: 'warning',
        effect: 'narrows-access',
        location: { pointer: '/spec/destination' },
        data: { destination: '*', count: 3 },
      },
    ]);
    // Consul: "web -> *" lets web reach every service, itself included.
    expect(grants(result.model)).toEqual([
      'shop/web -> shop/api: TCPRoute/api-all-ports',
      'shop/web -> shop/db: TCPRoute/db-all-ports',
      'shop/web -> shop/web: TCPRoute/web-all-ports',
    ]);
  });

  it('a more precise intention still decides for its destination', () => {
    const input =
      intentions('  destination: {name: "*"}\n  sources: [{name: web, action: allow}]', 'all') +
      intentions('  destination: {name: db}\n  sources: [{name: web, action: deny}]', 'db');
    const result = fromConsul(input, { context: accounts('shop', 'api', 'db', 'web') });
    expect(grants(result.model)).toEqual([
      'shop/web -> shop/api: TCPRoute/api-all-ports',
      'shop/web -> shop/web: TCPRoute/web-all-ports',
    ]);
    expect(withCode(result, 'consul/wildcard-destination')[0]?.data?.count).toBe(2);
    expect(withCode(result, 'consul/deny-folded')).toMatchObject([
      { location: { pointer: '/spec/sources/0' }, data: { source: 'web' } },
    ]);
  });
});

describe('identities without ACLs', () => {
  // web-sa runs two workloads, selected by the Services "web" and "admin": two Consul identities.
  const context = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Service
metadata: {name: admin, namespace: shop}
spec: {selector: {app: admin}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}}
---
apiVersion: v1
kind: Service
metadata: {name: api-internal, namespace: shop}
spec: {selector: {app: api-internal}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {serviceAccountName: web-sa, containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Pod
metadata: {name: admin, namespace: shop, labels: {app: admin}}
spec: {serviceAccountName: web-sa, containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {serviceAccountName: api-sa, containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-internal, namespace: shop, labels: {app: api-internal}}
spec: {serviceAccountName: internal-sa, containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-internal-2, namespace: shop, labels: {app: api}}
spec: {serviceAccountName: internal-sa, containers: [{name: a, image: a}]}
`;
  const options = { acls: false, defaultPolicy: 'deny' };
  const request = (source: string, destination: string): AccessRequest => ({
    source: { namespace: 'shop', name: source },
    destination: { namespace: 'shop', name: destination },
    protocol: 'tcp',
    port: 8080,
  });

  it('leave out an account whose identities have different access (one allowed, one not)', () => {
    const input = intentions('  destination: {name: api}\n  sources: [{name: web, action: allow}]');
    const result = fromConsul(input, { context, options });
    const ambiguous = withCode(result, 'consul/identity-ambiguous');
    expect(ambiguous.map((d) => [d.severity, d.effect, d.location?.pointer])).toEqual([
      ['warning', 'narrows-access', '/spec/sources/0'],
      ['warning', 'narrows-access', '/spec/sources/0'],
    ]);
    // web-sa pods register as "web" (allowed) and "admin" (denied); internal-sa pods register as
    // "api" (reachable) and "api-internal" (which no intention opens).
    expect(
      ambiguous
        .map((d) => d.data)
        .sort((a, b) => ((a?.destination ?? '') < (b?.destination ?? '') ? -1 : 1)),
    ).toEqual([
      {
        account: 'shop/web-sa',
        identities: 'default/api,default/web,default/admin',
        destination: 'shop/api-sa',
      },
      {
        account: 'shop/web-sa',
        identities: 'default/api,default/api-internal,default/web,default/admin',
        destination: 'shop/internal-sa',
      },
    ]);
    expect(grants(result.model)).toEqual([]);
    // Consul denies the pods that register as "admin": allowing web-sa would widen access.
    expect(
      authorizeConsul(objects(input), request('web-sa', 'api-sa'), env(options, context)).allowed,
    ).toBe(false);
  });

  it('keep an account whose identities all have the same access', () => {
    const input = intentions(
      '  destination: {name: api}\n  sources: [{name: web, action: allow}, {name: admin, action: allow}]',
    );
    const result = fromConsul(input, { context, options });
    // web-sa is exact now; internal-sa is still ambiguous ("api-internal" is not open).
    expect(withCode(result, 'consul/identity-ambiguous').map((d) => d.data?.destination)).toEqual([
      'shop/internal-sa',
    ]);
    expect(grants(result.model)).toEqual(['shop/web-sa -> shop/api-sa: TCPRoute/api-all-ports']);
    expect(
      authorizeConsul(objects(input), request('web-sa', 'api-sa'), env(options, context)).allowed,
    ).toBe(true);
  });

  it('report a source that names no Service the context knows', () => {
    const input = intentions(
      '  destination: {name: api}\n  sources: [{name: batch, action: allow}]',
    );
    const result = fromConsul(input, { context, options });
    expect(withCode(result, 'consul/unresolved-identity')).toMatchObject([
      { effect: 'narrows-access', data: { namespace: 'default', name: 'batch' } },
    ]);
    expect(grants(result.model)).toEqual([]);
  });
});

describe('default policy and namespaces', () => {
  it('reports once that a default allow has no SMI form', () => {
    const input = intentions('  destination: {name: api}\n  sources: [{name: web, action: allow}]');
    const result = fromConsul(input, {
      context: accounts('shop', 'api', 'web', 'batch'),
      options: { defaultPolicy: 'allow' },
    });
    expect(withCode(result, 'consul/default-allow-not-expressible')).toMatchObject([
      { severity: 'warning', effect: 'narrows-access' },
    ]);
    expect(grants(result.model)).toEqual(['shop/web -> shop/api: TCPRoute/api-all-ports']);
  });

  it('leaves out a destination in a Consul namespace no Kubernetes namespace mirrors', () => {
    const input = intentions(
      '  destination: {name: api, namespace: other}\n  sources: [{name: web, namespace: k8s-shop, action: allow}]',
    );
    const result = fromConsul(input, {
      context: accounts('shop', 'api', 'web'),
      options: { namespaces: { mode: 'mirroring', prefix: 'k8s-' } },
    });
    expect(withCode(result, 'consul/namespace-unmapped')).toMatchObject([
      {
        location: { pointer: '/spec/destination' },
        data: { consulNamespace: 'other', mode: 'mirroring', name: 'api' },
      },
    ]);
    expect(grants(result.model)).toEqual([]);
  });

  it('a Consul namespace that cannot be a Kubernetes namespace name mirrors none', () => {
    // Sources without a namespace are in the destination's namespace.
    const input = intentions(
      '  destination: {name: api, namespace: Ops_Team}\n  sources: [{name: web, action: allow}]',
    );
    const result = fromConsul(input, {
      context: accounts('shop', 'api', 'web'),
      options: { namespaces: { mode: 'mirroring' } },
    });
    expect(
      withCode(result, 'consul/namespace-unmapped').map((d) => [
        d.location?.pointer,
        d.data?.consulNamespace,
        d.data?.name,
      ]),
    ).toEqual([
      ['/spec/destination', 'Ops_Team', 'api'],
      ['/spec/sources/0', 'Ops_Team', 'web'],
    ]);
    expect(grants(result.model)).toEqual([]);
  });

  it('with one Consul namespace for all, reads identities of that namespace only', () => {
    const input = intentions(
      '  destination: {name: api, namespace: apps}\n  sources: [{name: web, action: allow}, {name: batch, namespace: other, action: allow}]',
    );
    const result = fromConsul(input, {
      context: accounts('shop', 'api', 'web', 'batch'),
      options: { namespaces: { mode: 'single', namespace: 'apps' } },
    });
    expect(withCode(result, 'consul/namespace-unmapped')).toMatchObject([
      {
        location: { pointer: '/spec/sources/1' },
        data: { consulNamespace: 'other', mode: 'single', name: 'batch' },
      },
    ]);
    expect(grants(result.model)).toEqual(['shop/web -> shop/api: TCPRoute/api-all-ports']);
  });
});

describe('L7 permissions SMI cannot carry exactly', () => {
  const headerDeny =
    defaults('api') +
    intentions(`  destination: {name: api}
  sources:
    - name: web
      permissions:
        - action: deny
          http: {pathPrefix: /, header: [{name: x-internal, exact: "1"}]}
        - action: allow
          http: {pathPrefix: /api}`);
  const context = accounts('shop', 'api', 'web');

  it('a deny on a header before an allow: error leaves the allow out', () => {
    const result = fromConsul(headerDeny, { context });
    expect(withCode(result, 'consul/l7-deny-subtraction')).toMatchObject([
      {
        severity: 'error',
        effect: 'narrows-access',
        location: { pointer: '/spec/sources/0/permissions/1' },
        data: { source: 'web' },
      },
    ]);
    expect(grants(result.model)).toEqual([]);
  });

  it('narrow leaves it out too; widen keeps the allow as if the deny were absent', () => {
    const narrow = fromConsul(headerDeny, { context, onUnrepresentable: 'narrow' });
    expect(withCode(narrow, 'consul/l7-deny-subtraction')[0]).toMatchObject({
      severity: 'warning',
      effect: 'narrows-access',
    });
    expect(grants(narrow.model)).toEqual([]);
    const widen = fromConsul(headerDeny, { context, onUnrepresentable: 'widen' });
    expect(withCode(widen, 'consul/l7-deny-subtraction')[0]).toMatchObject({
      severity: 'warning',
      effect: 'widens-access',
    });
    expect(matches(widen.model)).toEqual({ 'api-routes': [{ name: 'web-0', pathRegex: '/api' }] });
    // What SMI allows now is more than Consul: the request with the header.
    const withHeader = http('web', 'api', '/api/x', 'GET', { 'x-internal': '1' });
    expect(authorize(widen.model, withHeader).allowed).toBe(true);
    expect(authorizeConsul(objects(headerDeny), withHeader, env()).allowed).toBe(false);
  });

  it('a deny on methods before an allow leaves exactly the other methods', () => {
    const input =
      defaults('api') +
      intentions(`  destination: {name: api}
  sources:
    - name: web
      permissions:
        - action: deny
          http: {methods: [DELETE]}
        - action: allow
          http: {pathPrefix: /api, methods: [GET, DELETE]}
        - action: allow
          http: {pathExact: /health}`);
    const result = fromConsul(input, { context });
    expect(withCode(result, 'consul/l7-deny-subtraction')).toEqual([]);
    expect(matches(result.model)).toEqual({
      'api-routes': [
        { name: 'web-0', pathRegex: '/api', methods: ['GET'] },
        {
          name: 'web-1',
          pathRegex: '/health$',
          methods: ['GET', 'HEAD', 'PUT', 'POST', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'],
        },
      ],
    });
    // The SMI decides like Consul.
    for (const [path, method] of [
      ['/api/x', 'GET'],
      ['/api/x', 'DELETE'],
      ['/api/x', 'POST'],
      ['/health', 'DELETE'],
      ['/health', 'PUT'],
      ['/other', 'GET'],
    ] as const) {
      const request = http('web', 'api', path, method);
      expect(authorize(result.model, request).allowed, `${method} ${path}`).toBe(
        authorizeConsul(objects(input), request, env()).allowed,
      );
    }
  });

  const jwtAndInvert =
    defaults('api') +
    intentions(`  destination: {name: api}
  sources:
    - name: web
      permissions:
        - action: allow
          http: {pathPrefix: /admin}
          jwt: {providers: [{name: okta}]}
        - action: allow
          http: {pathPrefix: /public}
        - action: allow
          http:
            pathPrefix: /v1
            header: [{name: x-debug, present: true, invert: true}, {name: x-env, exact: prod}]`);

  it('narrow leaves out permissions that need a JWT or an inverted header', () => {
    const result = fromConsul(jwtAndInvert, { context, onUnrepresentable: 'narrow' });
    expect(withCode(result, 'consul/jwt-dropped')).toMatchObject([
      {
        effect: 'narrows-access',
        location: { pointer: '/spec/sources/0/permissions/0/jwt' },
        data: { providers: 'okta' },
      },
    ]);
    expect(withCode(result, 'consul/header-invert')).toMatchObject([
      {
        effect: 'narrows-access',
        location: { pointer: '/spec/sources/0/permissions/2/http/header/0' },
        data: { source: 'web', header: 'x-debug' },
      },
    ]);
    expect(matches(result.model)).toEqual({
      'api-routes': [{ name: 'web-0', pathRegex: '/public' }],
    });
  });

  it('widen keeps them without the requirement and without the inverted condition', () => {
    const result = fromConsul(jwtAndInvert, { context, onUnrepresentable: 'widen' });
    expect(
      [...withCode(result, 'consul/jwt-dropped'), ...withCode(result, 'consul/header-invert')].map(
        (d) => d.effect,
      ),
    ).toEqual(['widens-access', 'widens-access']);
    expect(matches(result.model)).toEqual({
      'api-routes': [
        { name: 'web-0', pathRegex: '/admin' },
        { name: 'web-1', pathRegex: '/public' },
        { name: 'web-2', pathRegex: '/v1', headers: [{ name: 'x-env', value: 'prod' }] },
      ],
    });
  });
});

describe('routers and resolvers SMI cannot carry exactly', () => {
  it('drops routes with inverted headers or another partition, and route options', () => {
    const input =
      defaults('web') +
      defaults('web-v2') +
      entry(
        'ServiceRouter',
        'web',
        `  routes:
    - match: {http: {header: [{name: x-beta, exact: "1", invert: true}]}}
      destination: {service: web-v2}
    - match: {http: {pathPrefix: /eu}}
      destination: {service: web-v2, partition: eu}
    - match: {http: {pathPrefix: /v2}}
      destination: {service: web-v2, prefixRewrite: /, numRetries: 3}
    - match: {http: {pathPrefix: /b}}
      destination: {service: web-v2, requestHeaders: {add: {}, set: {}, remove: []}}`,
      );
    const result = fromConsul(input);
    expect(
      result.diagnostics.map((d) => [d.code, d.location?.pointer, d.data?.index, d.effect]),
    ).toEqual([
      ['consul/route-dropped', '/spec/routes/0/match/http/header/0', 0, 'changes-routing'],
      ['consul/route-dropped', '/spec/routes/1/destination/partition', 1, 'changes-routing'],
      [
        'consul/route-options-dropped',
        '/spec/routes/2/destination/prefixRewrite',
        2,
        'changes-routing',
      ],
    ]);
    expect(withCode(result, 'consul/route-options-dropped')[0]?.data?.fields).toBe(
      'prefixRewrite, numRetries',
    );
    expect(matches(result.model)).toEqual({
      'web-routes': [
        { name: 'route-2', pathRegex: '/v2' },
        { name: 'route-3', pathRegex: '/b' },
      ],
    });
    expect(
      result.model.trafficSplits.map((s) => s.backends.map((b) => [b.service, b.weight])),
    ).toEqual([[['web-v2', 1]]]);
  });

  it('a route without a match sends everything to the same place: a split without matches', () => {
    const input =
      defaults('web') +
      defaults('web-v2') +
      entry(
        'ServiceRouter',
        'web',
        `  routes:
    - match: {http: {pathPrefix: /a}}
      destination: {service: web-v2}
    - destination: {service: web-v2}`,
      );
    const result = fromConsul(input);
    expect(result.diagnostics).toEqual([]);
    expect(result.model.httpRouteGroups).toEqual([]);
    expect(result.model.trafficSplits).toMatchObject([
      { name: 'web', service: 'web', backends: [{ service: 'web-v2', weight: 1 }] },
    ]);
    expect(result.model.trafficSplits[0]?.matches).toBeUndefined();
  });

  it('a route to another Consul namespace has no SMI backend', () => {
    const input =
      defaults('web') +
      defaults('api', 'http', 'ops') +
      defaults('web-v2') +
      entry(
        'ServiceRouter',
        'web',
        `  routes:
    - match: {http: {pathPrefix: /a}}
      destination: {service: api, namespace: ops}
    - match: {http: {pathPrefix: /b}}
      destination: {service: web-v2, namespace: shop}`,
      );
    const result = fromConsul(input, { options: { namespaces: { mode: 'mirroring' } } });
    expect(withCode(result, 'consul/remote-target')).toMatchObject([
      {
        effect: 'changes-routing',
        location: { pointer: '/spec/routes/0/destination' },
        data: { what: 'namespace', value: 'ops' },
      },
    ]);
    // Only the route that stays in the namespace is read, so shop/api is never a backend.
    expect(result.model.trafficSplits).toMatchObject([
      { namespace: 'shop', service: 'web', backends: [{ service: 'web-v2', weight: 1 }] },
    ]);
    expect(matches(result.model)).toEqual({ 'web-routes': [{ name: 'route-1', pathRegex: '/b' }] });
  });

  it.each([
    ['datacenter', 'dc2', 'datacenter'],
    ['peer', 'east', 'peer'],
    ['partition', 'eu', 'partition'],
    ['samenessGroup', 'all', 'sameness group'],
  ])('a redirect to another %s has no SMI form', (field, value, what) => {
    const result = fromConsul(
      entry('ServiceResolver', 'web', `  redirect: {service: web, ${field}: ${value}}`),
    );
    expect(withCode(result, 'consul/remote-target')).toMatchObject([
      {
        effect: 'changes-routing',
        location: { pointer: '/spec/redirect' },
        data: { what, value },
      },
    ]);
    expect(result.model.trafficSplits).toEqual([]);
  });

  it('a redirect to another Consul namespace has no SMI form', () => {
    const result = fromConsul(
      entry('ServiceResolver', 'web', '  redirect: {service: web, namespace: ops}'),
      {
        options: { namespaces: { mode: 'mirroring' } },
      },
    );
    expect(withCode(result, 'consul/remote-target')).toMatchObject([
      { data: { what: 'namespace', value: 'ops' } },
    ]);
    expect(result.model.trafficSplits).toEqual([]);
  });

  it('splits that only reach remote targets and weight 0 leave no backend: an error', () => {
    const input =
      defaults('web') +
      entry(
        'ServiceSplitter',
        'web',
        '  splits: [{weight: 100, service: web, partition: eu}, {weight: 0, service: web-v2}]',
      );
    const result = fromConsul(input);
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.location?.pointer])).toEqual([
      ['consul/zero-total-weight', 'error', '/spec/splits'],
      ['consul/remote-target', 'warning', '/spec/splits/0/partition'],
    ]);
    expect(withCode(result, 'consul/zero-total-weight')[0]?.data).toEqual({ service: 'web' });
    expect(result.model.trafficSplits).toEqual([]);
  });

  it('a subset that no Service stands for is left out, the rest keeps its weight', () => {
    const input =
      defaults('web') +
      entry(
        'ServiceSplitter',
        'web',
        '  splits: [{weight: 50, service: web, serviceSubset: v1}, {weight: 50, service: web-v2}]',
      ) +
      entry('ServiceResolver', 'web', `  subsets: {v1: {filter: 'Service.Meta.version == "v1"'}}`);
    const result = fromConsul(input);
    expect(withCode(result, 'consul/subset-unmapped')).toMatchObject([
      { location: { pointer: '/spec/splits/0' }, data: { subset: 'v1', service: 'web' } },
    ]);
    expect(result.model.trafficSplits).toMatchObject([
      { backends: [{ service: 'web-v2', weight: 1 }] },
    ]);
  });
});

describe('ProxyDefaults', () => {
  it('reads the protocol and reports every other field with what leaving it out does', () => {
    const result = fromConsul(
      entry(
        'ProxyDefaults',
        'global',
        `  mutualTLSMode: permissive
  accessLogs: {enabled: true}
  mode: transparent
  meshGateway: {mode: local}
  config: {protocol: http, envoy_prometheus_bind_addr: "0.0.0.0:9102"}`,
      ),
    );
    expect(result.diagnostics.map((d) => [d.code, d.location?.pointer, d.effect])).toEqual([
      ['consul/permissive-mtls', '/spec/mutualTLSMode', 'narrows-access'],
      ['consul/service-defaults-field-ignored', '/spec/accessLogs', 'cosmetic'],
      ['consul/service-defaults-field-ignored', '/spec/mode', 'changes-routing'],
      ['consul/service-defaults-field-ignored', '/spec/meshGateway', 'changes-routing'],
      [
        'consul/service-defaults-field-ignored',
        '/spec/config/envoy_prometheus_bind_addr',
        'cosmetic',
      ],
    ]);
  });
});
