import type { AccessRequest, RouteRequest } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { node, workload, world } from './evaluator-support.js';

const listening = (host: string, listeners = '[{portMapping: {port: 8080, protocol: http}}]') => `
  listeners: ${listeners}
  serviceDiscovery: {dns: {hostname: ${host}}}`;

const CLUSTER = [
  workload('frontend', '{app: frontend}', 'frontend'),
  workload('batch', '{app: batch}', 'batch'),
  workload('web-v1', '{app: web, version: v1}', 'web'),
  workload('web-v2', '{app: web, version: v2}', 'web'),
  workload('db', '{app: db}', 'db'),
  `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 8080}]
---`,
].join('');

const NODES = [
  node(
    'frontend',
    '{app: frontend}',
    '\n  backends: [{virtualService: {virtualServiceRef: {name: web}}}]',
  ),
  node('batch', '{app: batch}'),
  node('web-v1', '{app: web, version: v1}', listening('web-v1.shop.svc.cluster.local')),
  node('web-v2', '{app: web, version: v2}', listening('web-v2.shop.svc.cluster.local')),
  node(
    'db',
    '{app: db}',
    listening('db.shop.svc.cluster.local', '[{portMapping: {port: 5432, protocol: tcp}}]'),
  ),
].join('');

const virtualService = (
  name: string,
  provider: string,
  awsName = `${name}.shop.svc.cluster.local`,
) => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: ${name}, namespace: shop}
spec:
  awsName: ${awsName}
  provider: ${provider}
---`;

const router = (routes: string, listeners = '[{portMapping: {port: 8080, protocol: http}}]') => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: web, namespace: shop}
spec:
  listeners: ${listeners}
  routes:${routes}
---${virtualService('web', '{virtualRouter: {virtualRouterRef: {name: web}}}')}`;

const SPLIT = `
    - name: all
      httpRoute:
        match: {prefix: /}
        action:
          weightedTargets:
            - {virtualNodeRef: {name: web-v1}, weight: 3}
            - {virtualNodeRef: {name: web-v2}, weight: 0}`;

const sa = (name: string, namespace = 'shop') => ({ namespace, name });

function http(
  source: { namespace: string; name: string },
  destination: string,
  podLabels: Record<string, string> | undefined,
  port = 8080,
): AccessRequest {
  return {
    source,
    destination: { ...sa(destination), ...(podLabels !== undefined && { podLabels }) },
    protocol: 'http',
    port,
    http: { method: 'GET', path: '/' },
  };
}

const mesh = (name: string, egress: string, selector: string | undefined) => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata: {name: ${name}}
spec:${selector === undefined ? '' : `\n  namespaceSelector: ${selector}`}
  egressFilter: {type: ${egress}}
---`;

const namespace = (name: string, labels: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${labels}}
---`;

describe('authorizeAppMesh with several Meshes', () => {
  it('applies the egress filter of the Mesh whose namespaceSelector takes the source namespace', () => {
    const w = world(
      [
        CLUSTER,
        namespace('shop', '{mesh: closed}'),
        namespace('lab', '{mesh: open}'),
        workload('tester', '{app: tester}', 'tester', 'lab'),
        // Absent namespaceSelector: the Mesh takes no namespace at all.
        mesh('unselecting', 'ALLOW_ALL', undefined),
        mesh('open', 'ALLOW_ALL', '{matchLabels: {mesh: open}}'),
        mesh('closed', 'DROP_ALL', '{matchLabels: {mesh: closed}}'),
        NODES,
        node('tester', '{app: tester}', '', 'lab'),
      ].join(''),
    );
    const v1 = { app: 'web', version: 'v1' };
    expect(w.authorize(http(sa('tester', 'lab'), 'web', v1))).toEqual({
      allowed: true,
      allowedBy: ['egress ALLOW_ALL'],
    });
    expect(w.authorize(http(sa('batch'), 'web', v1)).allowed).toBe(false);
  });

  it('takes an empty namespaceSelector as every namespace, also one the context does not describe', () => {
    const w = world(
      [
        CLUSTER,
        workload('tester', '{app: tester}', 'tester', 'lab'),
        mesh('nobody', 'DROP_ALL', undefined),
        mesh('everyone', 'ALLOW_ALL', '{}'),
        NODES,
        node('tester', '{app: tester}', '', 'lab'),
      ].join(''),
    );
    expect(w.authorize(http(sa('tester', 'lab'), 'db', { app: 'db' }, 5432)).allowed).toBe(true);
  });
});

describe('authorizeAppMesh destinations', () => {
  const w = world(
    `${CLUSTER}${mesh('m', 'DROP_ALL', '{}')}${NODES}${router(SPLIT)}${virtualService('db', '{virtualNode: {virtualNodeRef: {name: db}}}')}`,
  );

  it('finds the destination pods from its ServiceAccount when the request names no pod labels', () => {
    expect(w.authorize(http(sa('frontend'), 'web', undefined))).toEqual({
      allowed: true,
      allowedBy: ['shop/web'],
    });
    // frontend lists only web as backend, not db.
    expect(w.authorize(http(sa('frontend'), 'db', undefined, 5432)).allowed).toBe(false);
  });

  it('ignores objects of other API groups with App Mesh kind names', () => {
    const istio = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec: {hosts: [web], http: [{route: [{destination: {host: db}}]}]}
---`;
    const withIstio = world(
      `${CLUSTER}${mesh('m', 'DROP_ALL', '{}')}${NODES}${router(SPLIT)}${istio}`,
    );
    expect(withIstio.authorize(http(sa('frontend'), 'web', { app: 'web', version: 'v1' }))).toEqual(
      { allowed: true, allowedBy: ['shop/web'] },
    );
  });

  it('reaches nothing through a VirtualService whose node provider is missing or that has no provider', () => {
    const missing = world(
      `${CLUSTER}${mesh('m', 'DROP_ALL', '{}')}${NODES}${virtualService('web', '{virtualNode: {virtualNodeRef: {name: gone}}}')}`,
    );
    expect(
      missing.authorize(http(sa('frontend'), 'web', { app: 'web', version: 'v1' })).allowed,
    ).toBe(false);
    const none = world(
      `${CLUSTER}${mesh('m', 'DROP_ALL', '{}')}${NODES}${virtualService('web', '{}')}`,
    );
    expect(none.authorize(http(sa('frontend'), 'web', { app: 'web', version: 'v1' })).allowed).toBe(
      false,
    );
  });

  it('reaches a node on the router listener port when the target names none, if the node listens there', () => {
    const listeners = `[{portMapping: {port: 8080, protocol: http}}, {portMapping: {port: 9090, protocol: grpc}}, {portMapping: {port: 7070, protocol: http}}]`;
    const routes = [8080, 9090, 7070]
      .map(
        (port) => `
    - name: r${port}
      ${port === 9090 ? 'grpcRoute' : 'httpRoute'}:
        match: {${port === 9090 ? '' : 'prefix: /, '}port: ${port}}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1}]}`,
      )
      .join('');
    const multi = world(
      `${CLUSTER}${mesh('m', 'DROP_ALL', '{}')}${[
        node(
          'frontend',
          '{app: frontend}',
          '\n  backends: [{virtualService: {virtualServiceRef: {name: web}}}]',
        ),
        node(
          'web-v1',
          '{app: web, version: v1}',
          listening(
            'web-v1.shop.svc.cluster.local',
            '[{portMapping: {port: 8080, protocol: http}}, {portMapping: {port: 9090, protocol: grpc}}]',
          ),
        ),
      ].join('')}${router(routes, listeners)}`,
    );
    const v1 = { app: 'web', version: 'v1' };
    expect(multi.authorize(http(sa('frontend'), 'web', v1, 9090)).allowed).toBe(true);
    expect(multi.authorize(http(sa('frontend'), 'web', v1, 8080)).allowed).toBe(true);
    // The router listens on 7070, the node does not: nothing is reached there.
    expect(multi.authorize(http(sa('frontend'), 'web', v1, 7070)).allowed).toBe(false);
    // gRPC listeners carry HTTP/2 requests only, not raw TCP.
    expect(
      multi.authorize({ ...http(sa('frontend'), 'web', v1, 9090), protocol: 'tcp' }).allowed,
    ).toBe(false);
  });
});

function request(path: string, headers?: Record<string, string>, method = 'GET'): RouteRequest {
  return {
    namespace: 'shop',
    service: 'web',
    port: 8080,
    protocol: 'http',
    http: { method, path, ...(headers !== undefined && { headers }) },
  };
}

const FALLBACK = `
    - name: fallback
      priority: 1000
      httpRoute:
        match: {prefix: /}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1}]}`;

describe('routeAppMesh matching', () => {
  it('matches suffixes, needs integers for ranges, and never matches an absent header', () => {
    const w = world(
      `${CLUSTER}${NODES}${router(`
    - name: suffix
      priority: 1
      httpRoute:
        match: {prefix: /, headers: [{name: x-host, match: {suffix: .example}}]}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1}]}
    - name: range
      priority: 2
      httpRoute:
        match: {prefix: /, headers: [{name: x-n, match: {range: {start: -5, end: 5}}}]}
        action: {weightedTargets: [{virtualNodeRef: {name: db}, weight: 1}]}${FALLBACK}`)}`,
    );
    const by = (r: RouteRequest) => w.route(r).decidedBy?.split('/').pop();
    expect(by(request('/', { 'X-Host': 'api.example' }))).toBe('suffix');
    expect(by(request('/', { 'x-host': 'api.example.org' }))).toBe('fallback');
    expect(by(request('/', { 'x-n': '-5' }))).toBe('range');
    expect(by(request('/', { 'x-n': '4.5' }))).toBe('fallback');
    expect(by(request('/', { 'x-n': 'four' }))).toBe('fallback');
    expect(by(request('/'))).toBe('fallback');
  });

  it('matches gRPC routes by service, by metadata alone, and fails calls of other services', () => {
    const w = world(
      `${CLUSTER}${NODES}${router(
        `
    - name: service
      priority: 1
      grpcRoute:
        match: {serviceName: pkg.Web}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1}]}
    - name: metadata
      priority: 2
      grpcRoute:
        match: {metadata: [{name: x-tier, match: {exact: gold}}]}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1}]}`,
        '[{portMapping: {port: 8080, protocol: grpc}}]',
      )}`,
    );
    const by = (r: RouteRequest) => w.route(r).decidedBy?.split('/').pop();
    expect(by(request('/pkg.Web/List', {}, 'POST'))).toBe('service');
    expect(by(request('/pkg.Other/List', { 'x-tier': 'gold' }, 'POST'))).toBe('metadata');
    expect(w.route(request('/pkg.Other/List', { 'x-tier': 'silver' }, 'POST'))).toEqual({
      backends: [],
    });
  });

  it('routes TCP listeners with tcpRoutes, for raw TCP and HTTP alike', () => {
    const w = world(
      `${CLUSTER}${NODES}${router(
        `
    - name: tcp
      tcpRoute:
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1}, {virtualNodeRef: {name: web-v2}, weight: 1}]}`,
        '[{portMapping: {port: 8080, protocol: tcp}}]',
      )}`,
    );
    const tcp: RouteRequest = { namespace: 'shop', service: 'web', port: 8080, protocol: 'tcp' };
    // An even split over exactly the root Service's nodes is the root Service itself.
    expect(w.route(tcp)).toEqual({
      backends: [{ service: 'web', weight: 1 }],
      decidedBy: 'shop/web/tcp',
    });
    expect(w.route(request('/')).decidedBy).toBe('shop/web/tcp');
  });

  it('takes the first listener for a request without a port', () => {
    const w = world(
      `${CLUSTER}${NODES}${router(
        `
    - name: http
      httpRoute:
        match: {prefix: /, port: 8080}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1, port: 8080}]}
    - name: tcp
      tcpRoute:
        match: {port: 5432}
        action: {weightedTargets: [{virtualNodeRef: {name: db}, weight: 1, port: 5432}]}`,
        '[{portMapping: {port: 8080, protocol: http}}, {portMapping: {port: 5432, protocol: tcp}}]',
      )}`,
    );
    const { port: _port, ...noPort } = request('/');
    expect(w.route(noPort).decidedBy).toBe('shop/web/http');
  });

  it('applies a v1beta1 router without listeners by route kind: HTTP routes take HTTP requests only', () => {
    const w = world(`${CLUSTER}${NODES}
apiVersion: appmesh.k8s.aws/v1beta1
kind: VirtualService
metadata: {name: web.shop.svc.cluster.local, namespace: shop}
spec:
  meshName: m
  routes:
    - name: api
      priority: 1
      http:
        match: {prefix: /api}
        action: {weightedTargets: [{virtualNodeName: web-v2, weight: 1}]}
    - name: rest
      priority: 2
      tcp:
        action: {weightedTargets: [{virtualNodeName: web-v1, weight: 1}]}
`);
    expect(w.route(request('/api/x')).decidedBy).toBe('shop/web.shop.svc.cluster.local/api');
    expect(w.route({ ...request('/api/x'), protocol: 'tcp' })).toEqual({
      backends: [{ service: 'web-v1', weight: 1 }],
      decidedBy: 'shop/web.shop.svc.cluster.local/rest',
    });
  });
});

describe('routeAppMesh targets', () => {
  it('leaves out targets by ARN and missing nodes, and names a node without discovery by itself', () => {
    const w = world(
      `${CLUSTER}${NODES}${node('canary', '{app: web, version: v3}')}${router(`
    - name: all
      httpRoute:
        match: {prefix: /}
        action:
          weightedTargets:
            - {virtualNodeRef: {name: web-v1}, weight: 2}
            - {virtualNodeARN: "arn:aws:appmesh:eu-west-1:111122223333:mesh/m/virtualNode/ecs", weight: 1}
            - {virtualNodeRef: {name: ghost}, weight: 1}
            - {virtualNodeRef: {name: canary}, weight: 1}`)}`,
    );
    expect(w.route(request('/'))).toEqual({
      backends: [
        { service: 'web-v1', weight: 2 },
        { service: 'canary', weight: 1 },
      ],
      decidedBy: 'shop/web/all',
    });
  });

  it('routes a VirtualService whose Service is not in the context by its targets', () => {
    const w = world(
      `${CLUSTER}${NODES}
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: api, namespace: shop}
spec:
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  routes:
    - name: all
      httpRoute:
        match: {prefix: /}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1}]}
---${virtualService('api', '{virtualRouter: {virtualRouterRef: {name: api}}}')}`,
    );
    expect(w.route({ ...request('/'), service: 'api' })).toEqual({
      backends: [{ service: 'web-v1', weight: 1 }],
      decidedBy: 'shop/api/all',
    });
  });

  it('falls back to the default options when the given ones are invalid', () => {
    const nodes = NODES.replace('web-v1.shop.svc.cluster.local', 'web-one.shop.svc.cluster.local');
    // Invalid as a whole (the mesh name is no DNS name): none of it applies, not even the domain.
    const w = world(`${CLUSTER}${nodes}${router(SPLIT)}`, {
      clusterDomain: 'corp.internal',
      meshName: 'Not_A_Name',
    });
    // Host names are read under cluster.local, the default domain: web-one is a Service name.
    expect(w.route(request('/')).backends).toEqual([
      { service: 'web-one', weight: 3 },
      { service: 'web-v2', weight: 0 },
    ]);
  });
});
