import type { AccessRequest, RouteRequest } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { node, workload, world } from './evaluator-support.js';

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
    `
  backends: [{virtualService: {virtualServiceRef: {name: web}}}]`,
  ),
  node(
    'web-v1',
    '{app: web, version: v1}',
    `
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  serviceDiscovery: {dns: {hostname: web-v1.shop.svc.cluster.local}}`,
  ),
  node(
    'web-v2',
    '{app: web, version: v2}',
    `
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  serviceDiscovery: {dns: {hostname: web-v2.shop.svc.cluster.local}}`,
  ),
  node(
    'db',
    '{app: db}',
    `
  listeners: [{portMapping: {port: 5432, protocol: tcp}}]
  serviceDiscovery: {dns: {hostname: db.shop.svc.cluster.local}}`,
  ),
].join('');

const BATCH = node('batch', '{app: batch}');

const ROUTER = (routes: string, annotations = '') => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: web, namespace: shop${annotations}}
spec:
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  routes:${routes}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  awsName: web.shop.svc.cluster.local
  provider: {virtualRouter: {virtualRouterRef: {name: web}}}
`;

const SPLIT_ROUTE = `
    - name: all
      httpRoute:
        match: {prefix: /}
        action:
          weightedTargets:
            - {virtualNodeRef: {name: web-v1}, weight: 3}
            - {virtualNodeRef: {name: web-v2}, weight: 0}`;

const MESH = (egress: string) => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata: {name: m}
spec:
  namespaceSelector: {}
  egressFilter: {type: ${egress}}
---`;

const sa = (name: string) => ({ namespace: 'shop', name });
const http = (
  source: string,
  destination: string,
  podLabels: Record<string, string>,
  port = 8080,
): AccessRequest => ({
  source: sa(source),
  destination: { ...sa(destination), podLabels },
  protocol: 'http',
  port,
  http: { method: 'GET', path: '/' },
});

describe('authorizeAppMesh', () => {
  const w = world(`${CLUSTER}${MESH('DROP_ALL')}${NODES}${BATCH}${ROUTER(SPLIT_ROUTE)}`);
  const v1 = { app: 'web', version: 'v1' };
  const v2 = { app: 'web', version: 'v2' };

  it('allows a caller to reach the pods its backend VirtualService routes to', () => {
    expect(w.authorize(http('frontend', 'web', v1))).toEqual({
      allowed: true,
      allowedBy: ['shop/web'],
    });
  });

  it('denies callers without the backend (egress DROP_ALL)', () => {
    expect(w.authorize(http('batch', 'web', v1)).allowed).toBe(false);
  });

  it('does not reach a target of weight 0 through the router', () => {
    expect(w.authorize(http('frontend', 'web', v2)).allowed).toBe(false);
  });

  it('denies ports no listener of the destination exposes', () => {
    expect(w.authorize(http('frontend', 'web', v1, 9090)).allowed).toBe(false);
  });

  it('denies raw TCP on an HTTP listener and any UDP', () => {
    const base = http('frontend', 'web', v1);
    expect(w.authorize({ ...base, protocol: 'tcp' }).allowed).toBe(false);
    expect(w.authorize({ ...base, protocol: 'udp' }).allowed).toBe(false);
  });

  it('grants nothing to callers whose pods no VirtualNode selects', () => {
    const unmeshed = world(
      `${workload('ghost', '{app: ghost}', 'ghost')}${MESH('ALLOW_ALL')}${NODES}`,
    );
    expect(unmeshed.authorize(http('ghost', 'web', v1)).allowed).toBe(false);
  });

  it('lets every meshed caller through with egress ALLOW_ALL', () => {
    const open = world(`${CLUSTER}${MESH('ALLOW_ALL')}${NODES}${BATCH}`);
    expect(open.authorize(http('batch', 'db', { app: 'db' }, 5432)).allowed).toBe(true);
  });

  it('passes TCP and HTTP on a TCP listener of a node provider', () => {
    const tcp = world(`${CLUSTER}${NODES}
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: batch, namespace: shop}
spec:
  podSelector: {matchLabels: {app: batch}}
  backends: [{virtualService: {virtualServiceRef: {name: db}}}]
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: db, namespace: shop}
spec:
  provider: {virtualNode: {virtualNodeRef: {name: db}}}
`);
    const request = http('batch', 'db', { app: 'db' }, 5432);
    expect(tcp.authorize(request).allowed).toBe(true);
    expect(tcp.authorize({ ...request, protocol: 'tcp' }).allowed).toBe(true);
  });

  it('requires every VirtualNode of the source ServiceAccount to allow it', () => {
    const two = world(
      `${CLUSTER}${workload('frontend-v2', '{app: frontend, track: v2}', 'frontend')}${MESH('DROP_ALL')}${NODES}${node('frontend-v2', '{app: frontend, track: v2}')}${ROUTER(SPLIT_ROUTE)}`,
    );
    expect(two.authorize(http('frontend', 'web', v1)).allowed).toBe(false);
  });
});

describe('routeAppMesh', () => {
  const request = (
    path: string,
    headers: Record<string, string> = {},
    method = 'GET',
  ): RouteRequest => ({
    namespace: 'shop',
    service: 'web',
    port: 8080,
    protocol: 'http',
    http: { method, path, headers },
  });

  it('sends requests to weighted targets, read back as their Services', () => {
    const w = world(`${CLUSTER}${NODES}${ROUTER(SPLIT_ROUTE)}`);
    expect(w.route(request('/'))).toEqual({
      backends: [
        { service: 'web-v1', weight: 3 },
        { service: 'web-v2', weight: 0 },
      ],
      decidedBy: 'shop/web/all',
    });
  });

  it('takes routes by priority (0 first, none last) and applies each match kind', () => {
    const routes = `
    - name: fallback
      httpRoute:
        match: {prefix: /}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1}]}
    - name: exact
      priority: 30
      httpRoute:
        match: {path: {exact: /exact}, method: POST}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1}]}
    - name: regex
      priority: 40
      httpRoute:
        match: {path: {regex: "/items/[0-9]+"}}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1}]}
    - name: headers
      priority: 10
      httpRoute:
        match:
          prefix: /h
          headers:
            - {name: X-Tier, match: {prefix: gold}}
            - {name: x-debug, invert: true, match: {exact: "1"}}
            - {name: x-n, match: {range: {start: 1, end: 5}}}
            - {name: x-present}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1}]}
    - name: query
      priority: 0
      httpRoute:
        match: {prefix: /, queryParameters: [{name: q}]}
        action: {weightedTargets: [{virtualNodeRef: {name: db}, weight: 1}]}
    - name: scheme
      priority: 1
      httpRoute:
        match: {prefix: /, scheme: https}
        action: {weightedTargets: [{virtualNodeRef: {name: db}, weight: 1}]}`;
    const w = world(`${CLUSTER}${NODES}${ROUTER(routes)}`);
    const by = (r: RouteRequest) => w.route(r).decidedBy?.split('/').pop();
    expect(by(request('/exact', {}, 'POST'))).toBe('exact');
    expect(by(request('/exact'))).toBe('fallback');
    expect(by(request('/exact/more', {}, 'POST'))).toBe('fallback');
    expect(by(request('/items/12'))).toBe('regex');
    expect(by(request('/items/12/x'))).toBe('fallback');
    const good = { 'x-tier': 'gold-plus', 'x-debug': '0', 'x-n': '4', 'x-present': '' };
    expect(by(request('/h', good))).toBe('headers');
    expect(by(request('/h', { ...good, 'x-debug': '1' }))).toBe('fallback');
    expect(by(request('/h', { ...good, 'x-n': '5' }))).toBe('fallback');
    const { 'x-present': _, ...absent } = good;
    expect(by(request('/h', absent))).toBe('fallback');
  });

  it("reads an even route over exactly the root Service's nodes as the root Service", () => {
    const even = `
    - name: even
      httpRoute:
        match: {prefix: /}
        action:
          weightedTargets:
            - {virtualNodeRef: {name: web-v1}, weight: 50}
            - {virtualNodeRef: {name: web-v2}, weight: 50}`;
    expect(world(`${CLUSTER}${NODES}${ROUTER(even)}`).route(request('/')).backends).toEqual([
      { service: 'web', weight: 1 },
    ]);
    // meshlingo's annotation says which routes go to the root; others are split routes.
    const hinted = world(
      `${CLUSTER}${NODES}${ROUTER(even, `, annotations: {meshlingo.io/appmesh-smi: '{"fallback":[]}'}`)}`,
    );
    expect(hinted.route(request('/')).backends).toEqual([
      { service: 'web-v1', weight: 50 },
      { service: 'web-v2', weight: 50 },
    ]);
  });

  it('fails requests no route takes, and TCP on an HTTP listener', () => {
    const only = `
    - name: only
      httpRoute:
        match: {prefix: /api}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1}]}`;
    const w = world(`${CLUSTER}${NODES}${ROUTER(only)}`);
    expect(w.route(request('/other')).backends).toEqual([]);
    expect(w.route({ ...request('/api'), protocol: 'tcp' }).backends).toEqual([]);
  });

  it('sends directly to the Service without a router, or on a port the router does not listen on', () => {
    const w = world(`${CLUSTER}${NODES}${ROUTER(SPLIT_ROUTE)}`);
    expect(w.route({ ...request('/'), service: 'db' }).backends).toEqual([
      { service: 'db', weight: 1 },
    ]);
    expect(w.route({ ...request('/'), port: 9999 }).backends).toEqual([
      { service: 'web', weight: 1 },
    ]);
  });

  it('matches gRPC routes on /service/method and picks routes of the request port', () => {
    const grpc = world(`${CLUSTER}${NODES}
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: web, namespace: shop}
spec:
  listeners:
    - portMapping: {port: 8080, protocol: http}
    - portMapping: {port: 9090, protocol: grpc}
  routes:
    - name: http
      httpRoute:
        match: {prefix: /, port: 8080}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1, port: 8080}]}
    - name: get
      priority: 1
      grpcRoute:
        match: {serviceName: pkg.Web, methodName: Get, port: 9090}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1, port: 9090}]}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  awsName: web.shop
  provider: {virtualRouter: {virtualRouterRef: {name: web}}}
`);
    expect(grpc.route(request('/pkg.Web/Get')).decidedBy).toBe('shop/web/http');
    expect(grpc.route({ ...request('/pkg.Web/Get', {}, 'POST'), port: 9090 }).decidedBy).toBe(
      'shop/web/get',
    );
    expect(grpc.route({ ...request('/pkg.Web/List', {}, 'POST'), port: 9090 }).backends).toEqual(
      [],
    );
  });
});
