import { compareDiagnostics, type ExpectedDiagnostic } from '@meshlingo/conformance';
import { convert, type Diagnostic } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

/** App Mesh input read into SMI; every diagnostic is checked in order. */
function ingest(input: string, context = '') {
  return convert(input, { to: ['smi'], from: [appMeshAdapter], context });
}

function expectDiagnostics(actual: readonly Diagnostic[], expected: ExpectedDiagnostic[]): void {
  expect(compareDiagnostics(actual, expected)).toEqual([]);
}

const D = (code: string, extra: Omit<ExpectedDiagnostic, 'code'> = {}): ExpectedDiagnostic => ({
  code: `appmesh/${code}`,
  ...extra,
});

const invalid = (pointer: string, actual: string, expected: string): ExpectedDiagnostic =>
  D('invalid-field', {
    severity: 'warning',
    pointer,
    data: {
      field: pointer
        .slice(1)
        .replace(/\/(\d+)/g, '[$1]')
        .replaceAll('/', '.'),
      actual,
      expected,
    },
  });

describe('VirtualNode fields without the CRD shape', () => {
  it('reports list items, port mappings and references at their field', () => {
    const result = ingest(`
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: web-v1, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  listeners:
    - null
    - [1]
    - "x"
    - {portMapping: {port: 8080, protocol: udp}}
    - {}
    - {portMapping: {}}
    - {portMapping: 7}
    - {portMapping: {port: 8080, protocol: http}}
  serviceDiscovery: {dns: {hostname: web-v1.shop.svc.cluster.local}}
  backends:
    - {virtualService: {virtualServiceRef: {namespace: shop}}}
`);
    expectDiagnostics(result.diagnostics, [
      D('access-not-derived', { line: 2 }),
      invalid('/spec/listeners/0', 'null', 'a map'),
      invalid('/spec/listeners/1', 'a list', 'a map'),
      invalid('/spec/listeners/2', 'string "x"', 'a map'),
      invalid(
        '/spec/listeners/3/portMapping/protocol',
        'string "udp"',
        'one of http, http2, grpc, tcp',
      ),
      invalid('/spec/listeners/4/portMapping', 'missing', 'a port mapping'),
      invalid('/spec/listeners/5/portMapping/port', 'missing', 'a port'),
      invalid('/spec/listeners/5/portMapping/protocol', 'missing', 'a protocol'),
      invalid('/spec/listeners/6/portMapping', 'number 7', 'a map'),
      invalid('/spec/backends/0/virtualService/virtualServiceRef/name', 'missing', 'a name'),
    ]);
  });

  it('reports a list written as a map, and an object without a name', () => {
    const result = ingest(`
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: web, namespace: shop}
spec:
  listeners: {portMapping: {port: 8080, protocol: http}}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {namespace: shop}
spec: {}
`);
    expectDiagnostics(result.diagnostics, [
      D('router-unused', { line: 4, data: { router: 'shop/web' } }),
      invalid('/spec/listeners', 'a map', 'a list'),
      invalid('/metadata/name', 'missing', 'a name'),
    ]);
  });
});

const NODES = `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: web-v1, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web, version: v1}}
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  serviceDiscovery: {dns: {hostname: web-v1.shop.svc.cluster.local}}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: web-v2, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web, version: v2}}
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  serviceDiscovery: {dns: {hostname: web-v2.shop.svc.cluster.local}}
---`;

const router = (routes: string) => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: web, namespace: shop}
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

describe('VirtualRouter routes without the CRD shape', () => {
  it('reports routes of no kind, bodies and matches of the wrong shape, and bad targets', () => {
    // Line numbers: NODES takes 17 lines, the router starts on line 18.
    const result = ingest(
      `${NODES}${router(`
    - name: no-path
      httpRoute:
        match: {path: {}}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1}]}
    - {name: no-kind}
    - {name: not-a-map, httpRoute: "x"}
    - name: bad
      httpRoute:
        match:
          prefix: /bad
          headers: [{name: x-a, match: {exact: 5}}]
        action:
          weightedTargets:
            - {virtualNodeRef: {name: web-v1}, weight: 101}
            - {virtualNodeRef: {name: web-v1}}
            - {virtualNodeARN: "arn:aws:appmesh:eu-west-1:1:mesh/m/virtualNode/x", weight: 1}
            - {virtualNodeRef: {name: web-v2}, weight: 1}`)}`,
    );
    expectDiagnostics(result.diagnostics, [
      D('access-not-derived', { line: 2 }),
      // No catch-all route: unmatched requests fail, where SMI sends them to the root Service.
      D('fallback-not-expressible', {
        pointer: '/spec/routes',
        data: { router: 'shop/web', service: 'web', targets: 'no route (requests fail)' },
      }),
      invalid('/spec/routes/0/httpRoute/match/prefix', 'missing', 'a prefix or a path'),
      invalid(
        '/spec/routes/1',
        'none of them',
        'exactly one of httpRoute, http2Route, grpcRoute, tcpRoute',
      ),
      invalid('/spec/routes/2/httpRoute', 'string "x"', 'a map'),
      invalid('/spec/routes/3/httpRoute/match/headers/0/match/exact', 'number 5', 'a string'),
      invalid(
        '/spec/routes/3/httpRoute/action/weightedTargets/0/weight',
        'number 101',
        'an integer from 0 to 100',
      ),
      invalid('/spec/routes/3/httpRoute/action/weightedTargets/1/weight', 'missing', 'a weight'),
      D('arn-reference', {
        severity: 'warning',
        effect: 'changes-routing',
        pointer: '/spec/routes/3/httpRoute/action/weightedTargets/2/virtualNodeARN',
      }),
      // The route still splits, over the targets it names by reference; the header condition
      // that could not be read is left out of the match.
    ]);
    const split = result.model.trafficSplits[0];
    expect(split?.backends.map((b) => [b.service, b.weight])).toEqual([['web-v2', 1]]);
    expect(result.model.httpRouteGroups[0]?.matches.map((m) => [m.name, m.pathRegex])).toEqual([
      ['bad', '/bad'],
    ]);
  });
});

const CONTEXT = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v1, namespace: shop}
spec:
  selector: {matchLabels: {app: web, version: v1}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec: {serviceAccountName: web, containers: [{name: c, image: i}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v2, namespace: shop}
spec:
  selector: {matchLabels: {app: web, version: v2}}
  template:
    metadata: {labels: {app: web, version: v2}}
    spec: {serviceAccountName: web, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 8080}]
`;

describe('match conditions without their required fields', () => {
  it('are reported, since leaving them out lets the SMI match take more requests', () => {
    const result = ingest(
      `${NODES}${router(`
    - name: h
      priority: 1
      httpRoute:
        match:
          prefix: /h
          headers:
            - {match: {exact: a}}
            - {name: x-r, match: {range: {start: 1}}}
            - {name: x-s, match: {range: {end: 1}}}
          queryParameters: [{match: {exact: x}}]
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1}]}
    - name: rest
      priority: 2
      httpRoute:
        match: {prefix: /}
        action:
          weightedTargets:
            - {virtualNodeRef: {name: web-v1}, weight: 1}
            - {virtualNodeRef: {name: web-v2}, weight: 1}`)}`,
      CONTEXT,
    );
    expectDiagnostics(result.diagnostics, [
      D('access-not-derived', { line: 2 }),
      invalid('/spec/routes/0/httpRoute/match/headers/0/name', 'missing', 'a name'),
      invalid('/spec/routes/0/httpRoute/match/headers/1/match/range/end', 'missing', 'an end'),
      invalid('/spec/routes/0/httpRoute/match/headers/2/match/range/start', 'missing', 'a start'),
      invalid('/spec/routes/0/httpRoute/match/queryParameters/0/name', 'missing', 'a name'),
    ]);
    expect(result.model.trafficSplits.map((s) => s.backends.map((b) => b.service))).toEqual([
      ['web-v2'],
    ]);
  });
});
