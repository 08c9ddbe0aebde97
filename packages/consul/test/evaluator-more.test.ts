import {
  shares,
  type AccessRequest,
  type HttpRequestInfo,
  type RouteRequest,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import {
  authorizeConsul,
  buildConfig,
  parseConsulObject,
  parseSubsetFilter,
  protocolOf,
  resolveTarget,
  routeConsul,
} from '../src/index.js';
import { env, objects } from './support.js';

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
const entry = (kind: string, name: string, spec: string, namespace = 'default'): string =>
  `apiVersion: consul.hashicorp.com/v1alpha1
kind: ${kind}
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec}
---
`;

function access(
  source: string,
  destination: string,
  protocol: AccessRequest['protocol'],
  http?: HttpRequestInfo,
): AccessRequest {
  return {
    source: { namespace: 'default', name: source },
    destination: { namespace: 'default', name: destination, service: destination },
    protocol,
    port: 8080,
    ...(http !== undefined && { http }),
  };
}

const get = (path: string, headers?: Record<string, string>): HttpRequestInfo => ({
  path,
  method: 'GET',
  ...(headers !== undefined && { headers }),
});

function routeTo(
  config: ReturnType<typeof objects>,
  service: string,
  http?: HttpRequestInfo,
  options: unknown = {},
  context = '',
  namespace = 'default',
) {
  const request: RouteRequest = {
    namespace,
    service,
    protocol: 'http',
    ...(http !== undefined && { http }),
  };
  return routeConsul(config, request, env(options, context));
}

describe('L7 permissions', () => {
  it('skip permissions that need a JWT: requests here carry none', () => {
    const config = objects(
      defaults('api', 'http') +
        intentions(`  destination: {name: api}
  sources:
    - name: web
      permissions:
        - action: allow
          http: {pathPrefix: /admin}
          jwt: {providers: [{name: okta}]}
        - action: deny
          http: {pathPrefix: /admin/keys}
        - action: allow
          http: {pathPrefix: /public}`),
    );
    const decide = (path: string, policy: 'allow' | 'deny') =>
      authorizeConsul(
        config,
        access('web', 'api', 'http', get(path)),
        env({ defaultPolicy: policy }),
      ).allowed;
    // Without a token the first permission never matches: /admin falls to the default policy.
    expect(decide('/admin/users', 'deny')).toBe(false);
    expect(decide('/admin/users', 'allow')).toBe(true);
    expect(decide('/admin/keys', 'allow')).toBe(false);
    expect(decide('/public/x', 'deny')).toBe(true);
  });

  it('treat a request without headers as one that lacks every header', () => {
    const config = objects(
      defaults('api', 'http') +
        intentions(`  destination: {name: api}
  sources:
    - name: web
      permissions:
        - action: allow
          http: {pathPrefix: /, header: [{name: x-debug, present: true, invert: true}]}
        - action: allow
          http: {pathPrefix: /, header: [{name: x-env, exact: prod}]}`),
    );
    expect(authorizeConsul(config, access('web', 'api', 'http', get('/a')), env()).allowed).toBe(
      true,
    );
    expect(
      authorizeConsul(config, access('web', 'api', 'http', get('/a', { 'X-Debug': '1' })), env())
        .allowed,
    ).toBe(false);
    expect(
      authorizeConsul(
        config,
        access('web', 'api', 'http', get('/a', { 'x-debug': '1', 'x-env': 'prod' })),
        env(),
      ).allowed,
    ).toBe(true);
  });

  it('deny an HTTP service request that carries no HTTP details, decided by an L7 intention', () => {
    const config = objects(
      defaults('api', 'http') +
        intentions(`  destination: {name: api}
  sources:
    - name: web
      permissions: [{action: allow, http: {pathPrefix: /}}]`),
    );
    expect(authorizeConsul(config, access('web', 'api', 'http'), env()).allowed).toBe(false);
    expect(authorizeConsul(config, access('web', 'api', 'http', get('/')), env()).allowed).toBe(
      true,
    );
  });
});

describe('protocols and duplicate entries', () => {
  it('takes the protocol of ProxyDefaults "global" for services without their own', () => {
    const config = objects(
      entry('ProxyDefaults', 'global', '  config: {protocol: http}') +
        entry('ServiceDefaults', 'db', '  mutualTLSMode: strict') +
        defaults('cache', 'tcp') +
        intentions('  destination: {name: "*"}\n  sources: [{name: web, action: allow}]'),
    );
    // db has ServiceDefaults without a protocol: the global one applies, so TCP is refused.
    expect(authorizeConsul(config, access('web', 'db', 'tcp'), env()).allowed).toBe(false);
    expect(authorizeConsul(config, access('web', 'db', 'http', get('/')), env()).allowed).toBe(
      true,
    );
    expect(authorizeConsul(config, access('web', 'cache', 'tcp'), env()).allowed).toBe(true);
  });

  it('keeps the first entry for a service, as the consul-k8s webhook rejects the second', () => {
    // Without Enterprise namespaces both ServiceDefaults configure the one Consul service "api".
    const config = objects(
      defaults('api', 'http', 'shop') +
        defaults('api', 'tcp', 'ops') +
        entry('ProxyDefaults', 'global', '  config: {protocol: http}', 'shop') +
        entry('ProxyDefaults', 'global', '  config: {protocol: tcp}', 'ops') +
        intentions('  destination: {name: api}\n  sources: [{name: web, action: allow}]'),
    );
    expect(authorizeConsul(config, access('web', 'api', 'tcp'), env()).allowed).toBe(false);
    const parsed = config.flatMap(
      (object, docIndex) =>
        parseConsulObject({ object, file: 'x', docIndex, pointer: '' }, 'default') ?? [],
    );
    const duplicates: string[] = [];
    const built = buildConfig(parsed, env().options, (d) =>
      duplicates.push(`${d.kind} ${d.parsed.namespace}`),
    );
    expect(duplicates).toEqual(['ServiceDefaults ops', 'ProxyDefaults ops']);
    expect(built.globalProtocol).toBe('http');
    expect(protocolOf(built, { name: 'api', namespace: 'default' })).toBe('http');
  });

  it('ignores objects that are not Consul config entries', () => {
    const config = objects(
      'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}}\n---\n' +
        intentions('  destination: {name: api}\n  sources: [{name: web, action: allow}]'),
    );
    expect(authorizeConsul(config, access('web', 'api', 'tcp'), env()).allowedBy).toEqual([
      'default/x',
    ]);
  });
});

describe('identities without ACLs', () => {
  const context = `apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec: {serviceAccountName: api-sa, containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Pod
metadata: {name: job, labels: {app: job}}
spec: {serviceAccountName: job-sa, containers: [{name: j, image: j}]}
`;

  it('denies a caller whose pods no Service selects: it has no Consul identity', () => {
    const config = objects(
      intentions('  destination: {name: api}\n  sources: [{name: "*", action: allow}]'),
    );
    const request = access('job-sa', 'api-sa', 'tcp');
    expect(authorizeConsul(config, request, env({ acls: false }, context))).toEqual({
      allowed: false,
      allowedBy: [],
    });
  });
});

describe('routing', () => {
  const context = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Service
metadata: {name: web-v1, namespace: shop}
spec: {selector: {app: web, version: v1}}
---
apiVersion: v1
kind: Service
metadata: {name: web-v2, namespace: shop}
spec: {selector: {app: web, version: v2}}
---
apiVersion: v1
kind: Service
metadata: {name: canary, namespace: shop}
spec: {selector: {app: web, track: canary}}
`;
  const resolver = entry(
    'ServiceResolver',
    'web',
    `  subsets:
    v1: {filter: 'Service.Meta.version == "v1"'}
    v2: {filter: 'Service.Meta.version == "v2"'}
    v3: {filter: 'Service.Meta.version == "v3"'}
    canary: {filter: '"canary" in Service.Tags'}`,
    'shop',
  );

  it('matches exact and prefix paths of case-insensitive routes in any case, regexes as written', () => {
    const config = objects(
      defaults('web', 'http', 'shop') +
        resolver +
        entry(
          'ServiceRouter',
          'web',
          `  routes:
    - match: {http: {pathExact: /Beta, caseInsensitive: true}}
      destination: {serviceSubset: v2}
    - match: {http: {pathPrefix: /API/, caseInsensitive: true}}
      destination: {serviceSubset: v1}
    - match: {http: {pathRegex: "/v[0-9]+", caseInsensitive: true}}
      destination: {serviceSubset: v1}`,
          'shop',
        ),
    );
    const to = (path: string) =>
      Object.fromEntries(shares(routeTo(config, 'web', get(path), {}, context, 'shop')));
    expect(to('/beta')).toEqual({ 'web-v2': 1 });
    expect(to('/BETA')).toEqual({ 'web-v2': 1 });
    expect(to('/beta/x')).toEqual({ web: 1 });
    expect(to('/api/items')).toEqual({ 'web-v1': 1 });
    expect(to('/v2')).toEqual({ 'web-v1': 1 });
    expect(to('/V2')).toEqual({ web: 1 });
  });

  it('a route without a match takes every request, even one without HTTP details', () => {
    const config = objects(
      defaults('web', 'http') +
        defaults('web-v2', 'http') +
        entry(
          'ServiceRouter',
          'web',
          `  routes:
    - match: {http: {pathPrefix: /beta}}
      destination: {service: web-beta}
    - destination: {service: web-v2}`,
        ),
    );
    expect(routeTo(config, 'web', get('/beta')).backends).toEqual([
      { service: 'web-beta', weight: 1 },
    ]);
    const other = routeTo(config, 'web');
    expect(other.backends).toEqual([{ service: 'web-v2', weight: 1 }]);
    expect(other.decidedBy).toBe('default/web');
  });

  it('splits without a service name go to subsets of the splitter’s own service', () => {
    const config = objects(
      defaults('web', 'http', 'shop') +
        resolver +
        entry(
          'ServiceSplitter',
          'web',
          `  splits:
    - {weight: 90, serviceSubset: v1}
    - {weight: 10, serviceSubset: canary}`,
          'shop',
        ),
    );
    const decision = routeTo(config, 'web', get('/'), {}, context, 'shop');
    // "canary" has a tag filter, no metadata: the Service named like the subset stands for it.
    expect(Object.fromEntries(shares(decision))).toEqual({ 'web-v1': 0.9, canary: 0.1 });
    expect(decision.decidedBy).toBe('shop/web');
  });

  it('names a subset no Service stands for after the service and the subset', () => {
    const config = objects(
      defaults('web', 'http', 'shop') +
        resolver +
        entry('ServiceSplitter', 'web', '  splits: [{weight: 100, serviceSubset: v3}]', 'shop'),
    );
    const decision = routeTo(config, 'web', get('/'), {}, context, 'shop');
    expect(decision.backends).toEqual([{ service: 'web/v3', weight: 1 }]);
  });

  it('follows redirects to other services and subsets, and default subsets', () => {
    const config = objects(
      defaults('web', 'http', 'shop') +
        defaults('old', 'http', 'shop') +
        defaults('older', 'http', 'shop') +
        resolver.replace('  subsets:', '  defaultSubset: v2\n  subsets:') +
        entry('ServiceResolver', 'older', '  redirect: {service: old}', 'shop') +
        entry('ServiceResolver', 'old', '  redirect: {service: web}', 'shop') +
        entry('ServiceResolver', 'pinned', '  redirect: {service: web, serviceSubset: v1}', 'shop'),
    );
    const parsed = buildConfig(
      config.flatMap(
        (object, docIndex) =>
          parseConsulObject({ object, file: 'x', docIndex, pointer: '' }, 'default') ?? [],
      ),
      env().options,
    );
    const at = (name: string) => ({ id: { name, namespace: 'default' } });
    // Redirects are followed hop by hop, then the default subset of the last service applies.
    expect(resolveTarget(parsed, at('older'))).toEqual({
      id: { name: 'web', namespace: 'default' },
      subset: 'v2',
    });
    expect(resolveTarget(parsed, at('pinned'))).toEqual({
      id: { name: 'web', namespace: 'default' },
      subset: 'v1',
    });
    expect(resolveTarget(parsed, { ...at('web'), subset: 'v1' })).toEqual({
      ...at('web'),
      subset: 'v1',
    });
    expect(routeTo(config, 'older', get('/'), {}, context, 'shop').backends).toEqual([
      { service: 'web-v2', weight: 1 },
    ]);
  });

  it('a redirect to a subset of the same service stops there', () => {
    const config = objects(
      defaults('web', 'http', 'shop') +
        entry(
          'ServiceResolver',
          'web',
          `  redirect: {serviceSubset: v2}
  subsets:
    v2: {filter: 'Service.Meta.version == "v2"'}`,
          'shop',
        ),
    );
    expect(routeTo(config, 'web', get('/'), {}, context, 'shop').backends).toEqual([
      { service: 'web-v2', weight: 1 },
    ]);
  });

  it('with namespace mirroring maps subsets to Services of the mirrored namespace', () => {
    const config = objects(
      defaults('web', 'http', 'shop') +
        resolver +
        entry(
          'ServiceRouter',
          'web',
          `  routes:
    - match: {http: {pathPrefix: /v2}}
      destination: {serviceSubset: v2, namespace: shop}`,
          'shop',
        ),
    );
    const mirroring = { namespaces: { mode: 'mirroring' } };
    expect(routeTo(config, 'web', get('/v2'), mirroring, context, 'shop').backends).toEqual([
      { service: 'web-v2', weight: 1 },
    ]);
  });
});

describe('subset filters', () => {
  it('reads escaped quotes in values and refuses what JSON cannot decode', () => {
    expect(parseSubsetFilter('Service.Meta.track == "a\\"b"')).toEqual([['track', 'a"b']]);
    expect(parseSubsetFilter('Service.Meta.track == "a\\qb"')).toBeUndefined();
    expect(parseSubsetFilter(undefined)).toBeUndefined();
    expect(parseSubsetFilter('')).toBeUndefined();
    expect(parseSubsetFilter('Service.Meta.v == v1 or Service.Meta.v == v2')).toBeUndefined();
  });
});
