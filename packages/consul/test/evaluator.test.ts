import {
  EMPTY_CONTEXT,
  indexContext,
  matchesFully,
  parseYamlStream,
  readContext,
  shares,
  toManifests,
  type AccessRequest,
  type HttpRequestInfo,
  type KubeObject,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { complementPattern } from '../src/http-match.js';
import {
  authorizeConsul,
  ConsulOptionsSchema,
  parseSubsetFilter,
  routeConsul,
  webhookAccepts,
  webhookOrder,
} from '../src/index.js';

function objects(yaml: string): KubeObject[] {
  return toManifests(parseYamlStream({ path: 'test.yaml', text: yaml }).documents).manifests.map(
    (m) => m.object,
  );
}

function env(options: unknown = {}, context = '') {
  const cluster =
    context === ''
      ? indexContext(EMPTY_CONTEXT)
      : indexContext(
          readContext(
            toManifests(parseYamlStream({ path: 'c.yaml', text: context }).documents).manifests,
            'default',
          ).context,
        );
  return { options: ConsulOptionsSchema.parse(options), cluster };
}

function http(path: string, method = 'GET', headers: Record<string, string> = {}): HttpRequestInfo {
  return { path, method, headers };
}

function request(
  source: string,
  destination: string,
  protocol: AccessRequest['protocol'] = 'http',
  info: HttpRequestInfo = http('/'),
  namespace = 'default',
): AccessRequest {
  return {
    source: { namespace, name: source },
    destination: { namespace, name: destination, service: destination },
    protocol,
    port: protocol === 'udp' ? 53 : 8080,
    ...(protocol === 'http' && { http: info }),
  };
}

const intentions = (spec: string, name = 'x', namespace = 'default'): string =>
  `apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceIntentions
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec}
---
`;
const defaults = (service: string, protocol: string, namespace = 'default'): string =>
  `apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceDefaults
metadata: {name: ${service}, namespace: ${namespace}}
spec: {protocol: ${protocol}}
---
`;

describe('intention precedence (research/consul.md 3.3)', () => {
  const config = objects(
    intentions(
      `  destination: {name: api}
  sources:
    - {name: web, action: deny}
    - {name: "*", action: allow}`,
      'api',
    ) +
      intentions(
        `  destination: {name: "*"}
  sources:
    - {name: web, action: allow}
    - {name: "*", action: deny}`,
        'all',
      ),
  );

  it('an exact source beats a wildcard source on the same destination', () => {
    expect(authorizeConsul(config, request('web', 'api', 'tcp'), env()).allowed).toBe(false);
    expect(authorizeConsul(config, request('batch', 'api', 'tcp'), env()).allowed).toBe(true);
  });

  it('an exact destination beats an exact source on a wildcard destination', () => {
    // "* -> api" (precedence 8) outranks "web -> *" (6), so batch is allowed and web is not.
    expect(authorizeConsul(config, request('web', 'api', 'tcp'), env()).allowedBy).toEqual([]);
  });

  it('wildcard destinations decide for services without their own intentions', () => {
    expect(authorizeConsul(config, request('web', 'db', 'tcp'), env()).allowed).toBe(true);
    expect(authorizeConsul(config, request('batch', 'db', 'tcp'), env()).allowed).toBe(false);
  });

  it('names the deciding intention', () => {
    expect(authorizeConsul(config, request('web', 'db', 'tcp'), env()).allowedBy).toEqual([
      'default/all',
    ]);
  });
});

describe('L7 intentions', () => {
  const config = objects(
    defaults('api', 'http') +
      intentions(
        `  destination: {name: api}
  sources:
    - name: web
      permissions:
        - action: deny
          http: {pathPrefix: /admin}
        - action: allow
          http: {pathPrefix: /, methods: [GET]}`,
      ) +
      intentions(
        `  destination: {name: "*"}
  sources:
    - {name: "*", action: deny}`,
        'deny-all',
      ),
  );

  it('tries permissions in order; the first match decides', () => {
    expect(
      authorizeConsul(config, request('web', 'api', 'http', http('/admin/x')), env()).allowed,
    ).toBe(false);
    expect(
      authorizeConsul(config, request('web', 'api', 'http', http('/items')), env()).allowed,
    ).toBe(true);
  });

  it('falls to the default policy, not to a less precise intention, when no permission matches (hashicorp/consul#10699)', () => {
    const post = request('web', 'api', 'http', http('/items', 'POST'));
    expect(authorizeConsul(config, post, env({ defaultPolicy: 'allow' })).allowed).toBe(true);
    expect(authorizeConsul(config, post, env({ defaultPolicy: 'deny' })).allowed).toBe(false);
  });

  it('an HTTP service refuses other TCP traffic, and L7 intentions on a TCP service deny', () => {
    expect(authorizeConsul(config, request('web', 'api', 'tcp'), env()).allowed).toBe(false);
    const tcp = objects(
      intentions(`  destination: {name: db}
  sources:
    - name: web
      permissions:
        - action: allow
          http: {pathPrefix: /}`),
    );
    expect(
      authorizeConsul(tcp, request('web', 'db'), env({ defaultPolicy: 'allow' })).allowed,
    ).toBe(false);
  });

  it('never allows UDP (Consul carries TCP only)', () => {
    const all = objects(
      intentions(`  destination: {name: dns}\n  sources: [{name: web, action: allow}]`),
    );
    expect(
      authorizeConsul(all, request('web', 'dns', 'udp'), env({ defaultPolicy: 'allow' })).allowed,
    ).toBe(false);
  });
});

describe('header conditions', () => {
  const rule = (header: string): KubeObject[] =>
    objects(
      defaults('api', 'http') +
        intentions(`  destination: {name: api}
  sources:
    - name: web
      permissions:
        - action: allow
          http:
            header: [${header}]`),
    );
  const allowed = (header: string, headers: Record<string, string>): boolean =>
    authorizeConsul(rule(header), request('web', 'api', 'http', http('/', 'GET', headers)), env())
      .allowed;

  it('compares names case-insensitively and values as written', () => {
    expect(allowed('{name: X-Env, exact: prod}', { 'x-env': 'prod' })).toBe(true);
    expect(allowed('{name: X-Env, exact: prod}', { 'x-env': 'Prod' })).toBe(false);
    expect(allowed('{name: x-env, exact: prod, ignoreCase: true}', { 'x-env': 'PROD' })).toBe(true);
  });

  it('knows prefix, suffix, contains, present and full-match regex', () => {
    expect(allowed('{name: ua, prefix: curl}', { ua: 'curl/8' })).toBe(true);
    expect(allowed('{name: ua, suffix: "/8"}', { ua: 'curl/8' })).toBe(true);
    expect(allowed('{name: ua, contains: rl/}', { ua: 'curl/8' })).toBe(true);
    expect(allowed('{name: ua, present: true}', { ua: '' })).toBe(true);
    expect(allowed('{name: ua, present: true}', {})).toBe(false);
    expect(allowed('{name: ua, regex: "curl"}', { ua: 'curl/8' })).toBe(false);
    expect(allowed('{name: ua, regex: "curl.*"}', { ua: 'curl/8' })).toBe(true);
  });

  it('inverts, and a missing header only matches an inverted present', () => {
    expect(allowed('{name: ua, exact: bot, invert: true}', { ua: 'human' })).toBe(true);
    expect(allowed('{name: ua, exact: bot, invert: true}', {})).toBe(false);
    expect(allowed('{name: ua, present: true, invert: true}', {})).toBe(true);
  });
});

describe('sources outside the cluster, JWT, default policy, identities', () => {
  it('peer, sameness-group and other-partition sources never match local callers', () => {
    const config = objects(
      intentions(`  destination: {name: api}
  sources:
    - {name: web, peer: dc2, action: allow}
    - {name: batch, partition: edge, action: allow}`),
    );
    expect(authorizeConsul(config, request('web', 'api', 'tcp'), env()).allowed).toBe(false);
    expect(authorizeConsul(config, request('batch', 'api', 'tcp'), env()).allowed).toBe(false);
    expect(
      authorizeConsul(config, request('batch', 'api', 'tcp'), env({ partition: 'edge' })).allowed,
    ).toBe(true);
  });

  it('a JWT requirement denies requests (they carry no token here)', () => {
    const config = objects(
      intentions(`  destination: {name: api}
  jwt: {providers: [{name: okta}]}
  sources: [{name: web, action: allow}]`),
    );
    expect(authorizeConsul(config, request('web', 'api', 'tcp'), env()).allowed).toBe(false);
  });

  it('with no intention the default policy decides: deny with ACLs, allow without', () => {
    expect(authorizeConsul([], request('web', 'api', 'tcp'), env()).allowed).toBe(false);
    const context = `apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec: {serviceAccountName: api-sa, containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {serviceAccountName: web-sa, containers: [{name: w, image: w}]}
`;
    expect(
      authorizeConsul([], request('web-sa', 'api-sa', 'tcp'), env({ acls: false }, context))
        .allowed,
    ).toBe(true);
    const config = objects(
      intentions(`  destination: {name: api}\n  sources: [{name: web, action: deny}]`),
    );
    // Without ACLs the identities are the Services selecting the pods, not the ServiceAccounts.
    expect(
      authorizeConsul(config, request('web-sa', 'api-sa', 'tcp'), env({ acls: false }, context))
        .allowed,
    ).toBe(false);
  });

  it('Enterprise namespaces: sources default to the destination namespace; "*" matches any', () => {
    const config = objects(
      intentions(
        `  destination: {name: api}
  sources:
    - {name: web, action: allow}
    - {name: "*", namespace: ops, action: allow}`,
        'api',
        'shop',
      ),
    );
    const mirroring = env({ namespaces: { mode: 'mirroring' } });
    expect(
      authorizeConsul(config, request('web', 'api', 'tcp', http('/'), 'shop'), mirroring).allowed,
    ).toBe(true);
    const fromOps: AccessRequest = {
      ...request('batch', 'api', 'tcp', http('/'), 'shop'),
      source: { namespace: 'ops', name: 'batch' },
    };
    expect(authorizeConsul(config, fromOps, mirroring).allowed).toBe(true);
    const fromDev = { ...fromOps, source: { namespace: 'dev', name: 'web' } };
    expect(authorizeConsul(config, fromDev, mirroring).allowed).toBe(false);
  });
});

describe('routing: routers, splitters, resolvers', () => {
  const context = `apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Service
metadata: {name: web-v1}
spec: {selector: {app: web, version: v1}}
---
apiVersion: v1
kind: Service
metadata: {name: web-v2}
spec: {selector: {app: web, version: v2}}
`;
  const chain = objects(
    `${defaults('web', 'http')}${defaults('beta', 'http')}${defaults('old', 'http')}apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceRouter
metadata: {name: web}
spec:
  routes:
    - match: {http: {queryParam: [{name: beta, present: true}]}}
      destination: {service: old}
    - match: {http: {pathPrefix: /beta}}
      destination: {service: beta}
    - match: {http: {pathPrefix: /b}}
      destination: {service: old}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: beta}
spec:
  splits:
    - {weight: 75, service: web, serviceSubset: v1}
    - {weight: 25, service: web, serviceSubset: v2}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceResolver
metadata: {name: web}
spec:
  subsets:
    v1: {filter: 'Service.Meta.version == "v1"'}
    v2: {filter: Service.Meta.version == v2}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceResolver
metadata: {name: old}
spec:
  redirect: {service: web, serviceSubset: v1}
`,
  );
  const route = (path: string) =>
    routeConsul(
      chain,
      { namespace: 'default', service: 'web', protocol: 'http', http: http(path) },
      env({}, context),
    );

  it('takes the first matching route, follows splitters and maps subsets to Services', () => {
    const decision = route('/beta/1');
    expect(Object.fromEntries(shares(decision))).toEqual({ 'web-v1': 0.75, 'web-v2': 0.25 });
    expect(decision.decidedBy).toBe('default/web');
  });

  it('a route with a query parameter never matches requests without one; first match wins', () => {
    expect(Object.fromEntries(shares(route('/b')))).toEqual({ 'web-v1': 1 });
  });

  it('leaves unmatched requests with the root service', () => {
    expect(route('/other').backends).toEqual([{ service: 'web', weight: 1 }]);
  });

  it('ignores routing for services without an HTTP-like protocol', () => {
    const tcp = objects(`apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: db}
spec:
  splits: [{weight: 100, service: db-v2}]
`);
    expect(
      routeConsul(tcp, { namespace: 'default', service: 'db', protocol: 'tcp' }, env()).backends,
    ).toEqual([{ service: 'db', weight: 1 }]);
  });

  it('flattens nested splitters, multiplying weights', () => {
    const nested = objects(
      `${defaults('a', 'http')}${defaults('b', 'http')}apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: a}
spec:
  splits: [{weight: 50, service: b}, {weight: 50, service: a}]
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: b}
spec:
  splits: [{weight: 20, service: b1}, {weight: 80, service: b2}]
`,
    );
    const decision = routeConsul(
      nested,
      { namespace: 'default', service: 'a', protocol: 'http' },
      env(),
    );
    expect(Object.fromEntries(shares(decision))).toEqual({ a: 0.5, b1: 0.1, b2: 0.4 });
  });
});

describe('helpers', () => {
  it('complement patterns match exactly the strings they should (brute force)', () => {
    const alphabet = ['', '/', 'a', '/a', '/ab', '/abc', '/ab/c', 'ab', '/b', '/a\n', '/aba'];
    for (const literal of ['/ab', '/', '/a.b']) {
      const exact = complementPattern(literal, 'exact');
      const prefix = complementPattern(literal, 'prefix');
      for (const s of [...alphabet, literal, `${literal}x`]) {
        expect(matchesFully(`(?s:${exact})`, s), `${literal} exact ${JSON.stringify(s)}`).toBe(
          s !== literal,
        );
        expect(matchesFully(`(?s:${prefix})`, s), `${literal} prefix ${JSON.stringify(s)}`).toBe(
          !s.startsWith(literal),
        );
      }
    }
  });

  it('replays the consul-k8s float32 sum: 97.2, 1.1, 1.7 fails in that order, passes reordered', () => {
    expect(webhookAccepts([9720, 110, 170])).toBe(false);
    const ordered = webhookOrder([9720, 110, 170]);
    expect(ordered.change).toBe('reordered');
    expect(webhookAccepts(ordered.order.map((i) => [9720, 110, 170][i] ?? 0))).toBe(true);
    expect(webhookOrder([3334, 3333, 3333]).change).toBe('none');
  });

  it('reads subset filters written with and without quotes, and refuses others', () => {
    expect(
      parseSubsetFilter('Service.Meta.version == "v1" and Service.Meta.track == canary'),
    ).toEqual([
      ['version', 'v1'],
      ['track', 'canary'],
    ]);
    expect(parseSubsetFilter('"canary" in Service.Tags')).toBeUndefined();
  });
});
