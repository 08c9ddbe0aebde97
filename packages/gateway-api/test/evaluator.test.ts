import {
  EMPTY_CONTEXT,
  indexContext,
  readContext,
  toManifests,
  parseYamlStream,
  type KubeObject,
  type RouteRequest,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { authorizeGatewayApi, GatewayApiOptionsSchema, routeGatewayApi } from '../src/index.js';

const options = GatewayApiOptionsSchema.parse({});
const env = { options, cluster: indexContext(EMPTY_CONTEXT) };

function route(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind,
    metadata: { name, namespace: 'shop', ...extra },
    spec,
  };
}

const parent = (port?: number, more: Record<string, unknown> = {}) => ({
  group: '',
  kind: 'Service',
  name: 'web',
  ...(port !== undefined && { port }),
  ...more,
});
const to = (...names: string[]) => names.map((name) => ({ name, port: 80 }));

function request(
  path: string,
  more: Partial<RouteRequest> & { method?: string; headers?: Record<string, string> } = {},
): RouteRequest {
  const { method = 'GET', headers, ...rest } = more;
  return {
    namespace: 'shop',
    service: 'web',
    port: 80,
    protocol: 'http',
    http: { method, path, ...(headers !== undefined && { headers }) },
    ...rest,
  };
}

function backends(objects: KubeObject[], req: RouteRequest): string[] {
  return routeGatewayApi(objects, req, env).backends.map((b) => `${b.service}:${b.weight}`);
}

describe('authorize', () => {
  it('allows nothing: Gateway API has no authorization', () => {
    const decision = authorizeGatewayApi(
      [],
      {
        source: { namespace: 'shop', name: 'api' },
        destination: { namespace: 'shop', name: 'web' },
        protocol: 'http',
        port: 80,
        http: { method: 'GET', path: '/' },
      },
      env,
    );
    expect(decision).toEqual({ allowed: false, allowedBy: [] });
  });
});

describe('route', () => {
  it('sends to the Service itself without a route', () => {
    expect(backends([], request('/'))).toEqual(['web:1']);
  });

  it('splits by weight, 1 by default, and names the route that decided', () => {
    const objects = [
      route('HTTPRoute', 'split', {
        parentRefs: [parent(80)],
        rules: [
          {
            backendRefs: [
              { name: 'web-v1', port: 80, weight: 3 },
              { name: 'web-v2', port: 80 },
            ],
          },
        ],
      }),
    ];
    const decision = routeGatewayApi(objects, request('/x'), env);
    expect(decision).toEqual({
      backends: [
        { service: 'web-v1', weight: 3 },
        { service: 'web-v2', weight: 1 },
      ],
      decidedBy: 'shop/split',
    });
  });

  it('ranks Exact over the longest PathPrefix, and PathPrefix compares whole segments', () => {
    const objects = [
      route('HTTPRoute', 'paths', {
        parentRefs: [parent()],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: to('root') },
          { matches: [{ path: { type: 'PathPrefix', value: '/api/' } }], backendRefs: to('api') },
          { matches: [{ path: { type: 'PathPrefix', value: '/api/v1' } }], backendRefs: to('v1') },
          { matches: [{ path: { type: 'Exact', value: '/api/v1/x' } }], backendRefs: to('exact') },
        ],
      }),
    ];
    expect(backends(objects, request('/api'))).toEqual(['api:1']);
    expect(backends(objects, request('/api/v1/y'))).toEqual(['v1:1']);
    expect(backends(objects, request('/api/v1/x'))).toEqual(['exact:1']);
    expect(backends(objects, request('/apix'))).toEqual(['root:1']);
    expect(backends(objects, request('/api/v10'))).toEqual(['api:1']);
  });

  it('ranks regexes below every prefix, longer regexes first, as full matches', () => {
    const objects = [
      route('HTTPRoute', 'regex', {
        parentRefs: [parent()],
        rules: [
          {
            matches: [{ path: { type: 'RegularExpression', value: '.*' } }],
            backendRefs: to('any'),
          },
          {
            matches: [{ path: { type: 'RegularExpression', value: '/items/[0-9]+' } }],
            backendRefs: to('items'),
          },
          {
            matches: [{ path: { type: 'PathPrefix', value: '/static' } }],
            backendRefs: to('static'),
          },
        ],
      }),
    ];
    expect(backends(objects, request('/items/7'))).toEqual(['items:1']);
    expect(backends(objects, request('/items/7/x'))).toEqual(['any:1']);
    expect(backends(objects, request('/static/items/7'))).toEqual(['static:1']);
  });

  it('ranks a method match, then more header matches; headers compare names case-insensitively', () => {
    const objects = [
      route('HTTPRoute', 'conditions', {
        parentRefs: [parent()],
        rules: [
          { matches: [{ headers: [{ name: 'x-a', value: '1' }] }], backendRefs: to('one-header') },
          {
            matches: [
              {
                headers: [
                  { name: 'X-A', value: '1' },
                  { type: 'RegularExpression', name: 'x-b', value: '[0-9]+' },
                ],
              },
            ],
            backendRefs: to('two-headers'),
          },
          { matches: [{ method: 'POST' }], backendRefs: to('post') },
        ],
      }),
    ];
    expect(backends(objects, request('/', { headers: { 'x-a': '1' } }))).toEqual(['one-header:1']);
    expect(backends(objects, request('/', { headers: { 'x-a': '1', 'x-b': '42' } }))).toEqual([
      'two-headers:1',
    ]);
    expect(backends(objects, request('/', { headers: { 'x-a': '1', 'x-b': '4x' } }))).toEqual([
      'one-header:1',
    ]);
    expect(
      backends(objects, request('/', { method: 'POST', headers: { 'x-a': '1', 'x-b': '4' } })),
    ).toEqual(['post:1']);
  });

  it('uses only the first match of a header name, never matches query parameters, and answers 404 when nothing matches', () => {
    const objects = [
      route('HTTPRoute', 'odd', {
        parentRefs: [parent()],
        rules: [
          {
            matches: [
              {
                headers: [
                  { name: 'x-a', value: '1' },
                  { name: 'X-A', value: '2' },
                ],
              },
            ],
            backendRefs: to('first'),
          },
          { matches: [{ queryParams: [{ name: 'q', value: '1' }] }], backendRefs: to('query') },
        ],
      }),
    ];
    expect(backends(objects, request('/', { headers: { 'x-a': '1' } }))).toEqual(['first:1']);
    expect(routeGatewayApi(objects, request('/'), env)).toEqual({ backends: [] });
  });

  it('breaks ties by age, then namespace/name, then rule order', () => {
    const rule = (name: string) => ({ backendRefs: to(name) });
    const older = route(
      'HTTPRoute',
      'z-older',
      { parentRefs: [parent()], rules: [rule('older')] },
      { creationTimestamp: '2024-01-01T00:00:00Z' },
    );
    const newer = route(
      'HTTPRoute',
      'a-newer',
      { parentRefs: [parent()], rules: [rule('newer')] },
      { creationTimestamp: '2025-01-01T00:00:00Z' },
    );
    expect(backends([newer, older], request('/'))).toEqual(['older:1']);
    const a = route('HTTPRoute', 'a', { parentRefs: [parent()], rules: [rule('a1'), rule('a2')] });
    const b = route('HTTPRoute', 'b', { parentRefs: [parent()], rules: [rule('b')] });
    expect(backends([b, a], request('/'))).toEqual(['a1:1']);
  });

  it('binds by parentRef port or section name, only for producer routes with a core Service parent', () => {
    const cluster = indexContext(
      readContext(
        toManifests(
          parseYamlStream({
            path: 'ctx.yaml',
            text: 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  ports:\n    - {name: http, port: 80}\n    - {name: admin, port: 9000}\n',
          }).documents,
        ).manifests,
        'default',
      ).context,
    );
    const withContext = { options, cluster };
    const objects = [
      route('HTTPRoute', 'by-port', {
        parentRefs: [parent(9000)],
        rules: [{ backendRefs: to('by-port') }],
      }),
      route('HTTPRoute', 'by-section', {
        parentRefs: [parent(undefined, { sectionName: 'http' })],
        rules: [{ backendRefs: to('by-section') }],
      }),
      route('HTTPRoute', 'gateway', {
        parentRefs: [{ name: 'web' }],
        rules: [{ backendRefs: to('gateway') }],
      }),
      route('HTTPRoute', 'consumer', {
        parentRefs: [parent(80, { namespace: 'other' })],
        rules: [{ backendRefs: to('consumer') }],
      }),
    ];
    const at = (port: number) =>
      routeGatewayApi(objects, request('/', { port }), withContext).backends;
    expect(at(80)).toEqual([{ service: 'by-section', weight: 1 }]);
    expect(at(9000)).toEqual([{ service: 'by-port', weight: 1 }]);
    expect(at(8080)).toEqual([{ service: 'web', weight: 1 }]);
  });

  it('lets one route kind win a port: GRPCRoute, then HTTPRoute, then TCPRoute', () => {
    const grpc = route('GRPCRoute', 'grpc', {
      parentRefs: [parent(80)],
      rules: [
        { matches: [{ method: { service: 'pkg.Svc', method: 'Get' } }], backendRefs: to('get') },
        {
          matches: [{ method: { type: 'RegularExpression', service: 'pkg\\..*' } }],
          backendRefs: to('pkg'),
        },
        { backendRefs: to('other-calls') },
      ],
    });
    const http = route('HTTPRoute', 'http', {
      parentRefs: [parent(80)],
      rules: [{ backendRefs: to('http') }],
    });
    const tcp = route('TCPRoute', 'tcp', {
      parentRefs: [parent(80)],
      rules: [{ backendRefs: to('tcp') }],
    });
    expect(backends([grpc, http, tcp], request('/pkg.Svc/Get', { method: 'POST' }))).toEqual([
      'get:1',
    ]);
    expect(backends([grpc, http, tcp], request('/pkg.Other/Get', { method: 'POST' }))).toEqual([
      'pkg:1',
    ]);
    expect(backends([grpc, http, tcp], request('/x.Y/Z', { method: 'POST' }))).toEqual([
      'other-calls:1',
    ]);
    // Not a gRPC call: no GRPCRoute rule takes it.
    expect(backends([grpc, http, tcp], request('/pkg.Svc/Get'))).toEqual([]);
    expect(backends([http, tcp], request('/'))).toEqual(['http:1']);
    // Opaque TCP is not routed by HTTPRoutes; a TCPRoute takes HTTP too when it is alone.
    expect(backends([http, tcp], request('/', { protocol: 'tcp' }))).toEqual(['web:1']);
    expect(backends([tcp], request('/'))).toEqual(['tcp:1']);
    expect(
      backends([tcp], { namespace: 'shop', service: 'web', port: 80, protocol: 'tcp' }),
    ).toEqual(['tcp:1']);
  });
});
