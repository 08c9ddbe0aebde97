import { EMPTY_CONTEXT, indexContext, type KubeObject, type RouteRequest } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { GatewayApiOptionsSchema, routeGatewayApi } from '../src/index.js';

const env = { options: GatewayApiOptionsSchema.parse({}), cluster: indexContext(EMPTY_CONTEXT) };

function route(
  kind: string,
  name: string | undefined,
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { namespace: 'shop' },
  apiVersion = 'gateway.networking.k8s.io/v1',
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { ...(name !== undefined && { name }), ...metadata },
    spec,
  };
}

const parent = (port?: number) => ({
  group: '',
  kind: 'Service',
  name: 'web',
  ...(port !== undefined && { port }),
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

describe('which objects route', () => {
  it('ignores route kinds of other API groups and Gateway API kinds that are no routes', () => {
    const rules = [{ backendRefs: to('other') }];
    const objects = [
      route(
        'HTTPRoute',
        'lookalike',
        { parentRefs: [parent()], rules },
        undefined,
        'example.com/v1',
      ),
      route('Gateway', 'gw', { parentRefs: [parent()], rules }),
    ];
    expect(routeGatewayApi(objects, request('/'), env)).toEqual({
      backends: [{ service: 'web', weight: 1 }],
    });
  });

  it('places a route without namespace in default, and routes by a route without name', () => {
    const unnamespaced = route(
      'HTTPRoute',
      'web',
      { parentRefs: [parent()], rules: [{ backendRefs: to('a') }] },
      {},
    );
    expect(routeGatewayApi([unnamespaced], request('/', { namespace: 'default' }), env)).toEqual({
      backends: [{ service: 'a', weight: 1 }],
      decidedBy: 'default/web',
    });
    // A route of the default namespace does not bind a Service of another one.
    expect(backends([unnamespaced], request('/'))).toEqual(['web:1']);
    const unnamed = route('HTTPRoute', undefined, {
      parentRefs: [parent()],
      rules: [{ backendRefs: to('b') }],
    });
    expect(backends([unnamed], request('/'))).toEqual(['b:1']);
  });

  it('binds every port of a parent when the request names none', () => {
    const objects = [
      route('HTTPRoute', 'on-9000', {
        parentRefs: [parent(9000)],
        rules: [{ backendRefs: to('a') }],
      }),
    ];
    const { port: _port, ...anyPort } = request('/');
    expect(backends(objects, anyPort)).toEqual(['a:1']);
    expect(backends(objects, request('/'))).toEqual(['web:1']);
  });

  it('lets the oldest route win, whatever the order of the input', () => {
    const at = (name: string, created: string) =>
      route(
        'HTTPRoute',
        name,
        { parentRefs: [parent()], rules: [{ backendRefs: to(name) }] },
        { namespace: 'shop', creationTimestamp: created },
      );
    const a = at('a', '2025-03-01T00:00:00Z');
    const b = at('b', '2024-03-01T00:00:00Z');
    const c = at('c', '2025-01-01T00:00:00Z');
    for (const order of [
      [a, b, c],
      [c, a, b],
      [b, c, a],
      [a, c, b],
    ])
      expect(backends(order, request('/'))).toEqual(['b:1']);
  });
});

describe('backends', () => {
  it('names backends of other namespaces with their namespace and skips references without a name', () => {
    const objects = [
      route('HTTPRoute', 'web', {
        parentRefs: [parent()],
        rules: [
          {
            backendRefs: [
              { name: 'web-v1', namespace: 'shop', port: 80, weight: 2 },
              { name: 'web-v2', namespace: 'canary', port: 80 },
              { port: 80, weight: 5 },
            ],
          },
        ],
      }),
    ];
    expect(backends(objects, request('/'))).toEqual(['web-v1:2', 'web-v2.canary:1']);
  });
});

describe('gRPC matching', () => {
  const grpc = route('GRPCRoute', 'grpc', {
    parentRefs: [parent(80)],
    rules: [
      {
        matches: [{ method: { service: 'pkg.Svc', method: 'Get' } }],
        backendRefs: to('get'),
      },
      {
        matches: [
          {
            method: { service: 'pkg.Svc' },
            headers: [{ name: 'x-tier', value: 'gold' }],
          },
        ],
        backendRefs: to('gold'),
      },
    ],
  });
  const call = (path: string, headers?: Record<string, string>) =>
    request(path, { method: 'POST', ...(headers !== undefined && { headers }) });

  it('compares the method it names and the headers it lists', () => {
    expect(backends([grpc], call('/pkg.Svc/Get'))).toEqual(['get:1']);
    expect(backends([grpc], call('/pkg.Svc/List', { 'x-tier': 'gold' }))).toEqual(['gold:1']);
    // Neither the method nor the headers match: no rule, no backend.
    expect(backends([grpc], call('/pkg.Svc/List', { 'x-tier': 'silver' }))).toEqual([]);
    expect(backends([grpc], call('/pkg.Svc/List'))).toEqual([]);
  });

  it('takes no request that is not a gRPC call path', () => {
    expect(backends([grpc], call('/pkg.Svc/Get/extra'))).toEqual([]);
    expect(backends([grpc], call('pkg.Svc/Get'))).toEqual([]);
  });
});
