import { compareDiagnostics, type ExpectedDiagnostic } from '@meshlingo/conformance';
import { convert, type ConvertResult, type Diagnostic } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

/**
 * How VirtualRouter routes read as TrafficSplits: per listener, routes by priority, the first
 * catch-all route is what unmatched requests get, SMI sends those to the root Service.
 */

const workload = (name: string, labels: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec: {serviceAccountName: web, containers: [{name: c, image: i}]}
---`;

/** web-v1 and web-v2 behind the root Service `web` (http 8080). */
const CONTEXT = `${workload('web-v1', '{app: web, version: v1}')}${workload('web-v2', '{app: web, version: v2}')}
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 8080}]
`;

const node = (name: string, labels: string, discovery: string) => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: ${name}, namespace: shop}
spec:
  podSelector: {matchLabels: ${labels}}
  listeners: [{portMapping: {port: 8080, protocol: http}}]${discovery}
---`;

const dns = (host: string) => `
  serviceDiscovery: {dns: {hostname: ${host}}}`;

const NODES = `${node('web-v1', '{app: web, version: v1}', dns('web-v1.shop.svc.cluster.local'))}${node('web-v2', '{app: web, version: v2}', dns('web-v2.shop.svc.cluster.local'))}`;

const SERVICE = (provider = '{virtualRouter: {virtualRouterRef: {name: web}}}') => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  awsName: web.shop.svc.cluster.local
  provider: ${provider}
---`;

const router = (routes: string, listeners = '[{portMapping: {port: 8080, protocol: http}}]') => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: web, namespace: shop}
spec:
  listeners: ${listeners}
  routes:${routes}
`;

/** An HTTP route: `targets` is `node:weight,...`. */
const route = (name: string, priority: number | undefined, match: string, targets: string) => `
    - name: ${name}${priority === undefined ? '' : `\n      priority: ${priority}`}
      httpRoute:
        match: ${match}
        action:
          weightedTargets:${targets
            .split(',')
            .map((t) => {
              const [n = '', w = ''] = t.split(':');
              return `\n            - {virtualNodeRef: {name: ${n}}, weight: ${w}}`;
            })
            .join('')}`;

const ROOT = 'web-v1:1,web-v2:1';

function ingest(input: string, context = CONTEXT, options: Record<string, unknown> = {}) {
  return convert(input, {
    to: ['smi'],
    from: [appMeshAdapter],
    context,
    adapterOptions: { appmesh: options },
  });
}

function expectDiagnostics(actual: readonly Diagnostic[], expected: ExpectedDiagnostic[]): void {
  expect(compareDiagnostics(actual, expected)).toEqual([]);
}

const D = (code: string, extra: Omit<ExpectedDiagnostic, 'code'> = {}): ExpectedDiagnostic => ({
  code: `appmesh/${code}`,
  ...extra,
});
const NO_ACCESS = D('access-not-derived');

/** Each TrafficSplit as `service: backend:weight ...` and the names of its match groups. */
function splits(result: ConvertResult) {
  return result.model.trafficSplits.map((s) => ({
    service: s.service,
    backends: s.backends.map((b) => `${b.service}:${b.weight}`),
    matches: (s.matches ?? []).map((m) => m.name),
  }));
}

function groups(result: ConvertResult) {
  return result.model.httpRouteGroups.map((g) => ({
    name: g.name,
    matches: g.matches.map((m) => ({
      name: m.name,
      ...(m.pathRegex !== undefined && { pathRegex: m.pathRegex }),
      ...(m.methods !== undefined && { methods: m.methods }),
      ...(m.headers !== undefined && { headers: m.headers.map((h) => [h.name, h.value]) }),
    })),
  }));
}

describe('matched routes and the catch-all route', () => {
  it('keeps the matched routes that share the first one’s targets and reports the others', () => {
    const result = ingest(
      `${NODES}${SERVICE()}${router(
        [
          route('a', 1, '{prefix: /a}', 'web-v2:1,web-v1:3'),
          route('b', 2, '{prefix: /b}', 'web-v2:1'),
          route('c', 3, '{prefix: /c}', 'web-v1:6,web-v2:2'),
          route('rest', 4, '{prefix: /}', ROOT),
        ].join(''),
      )}`,
    );
    expect(splits(result)).toEqual([
      { service: 'web', backends: ['web-v2:1', 'web-v1:3'], matches: ['web-appmesh'] },
    ]);
    expect(groups(result)).toEqual([
      {
        name: 'web-appmesh',
        matches: [
          { name: 'a', pathRegex: '/a' },
          { name: 'c', pathRegex: '/c' },
        ],
      },
    ]);
    expectDiagnostics(result.diagnostics, [
      NO_ACCESS,
      D('routes-differ', {
        severity: 'warning',
        effect: 'changes-routing',
        pointer: '/spec/routes/1',
        data: { route: 'b', router: 'shop/web', first: 'a' },
      }),
    ]);
  });

  it('reads a catch-all route with the same shares as the matched routes as a split of everything', () => {
    const result = ingest(
      `${NODES}${SERVICE()}${router(
        [
          route('api', 1, '{prefix: /api}', 'web-v1:3,web-v2:1'),
          route('rest', 2, '{prefix: /}', 'web-v1:6,web-v2:2'),
        ].join(''),
      )}`,
    );
    expect(splits(result)).toEqual([
      { service: 'web', backends: ['web-v1:3', 'web-v2:1'], matches: [] },
    ]);
    expect(result.model.httpRouteGroups).toEqual([]);
    expectDiagnostics(result.diagnostics, [NO_ACCESS]);
  });

  it('reports that unmatched requests fail without a catch-all route', () => {
    const result = ingest(
      `${NODES}${SERVICE()}${router(route('api', 1, '{prefix: /api}', 'web-v2:1'))}`,
    );
    expect(splits(result)).toEqual([
      { service: 'web', backends: ['web-v2:1'], matches: ['web-appmesh'] },
    ]);
    expectDiagnostics(result.diagnostics, [
      NO_ACCESS,
      D('fallback-not-expressible', {
        effect: 'changes-routing',
        pointer: '/spec/routes',
        data: { router: 'shop/web', service: 'web', targets: 'no route (requests fail)' },
      }),
    ]);
  });

  it('has nothing to report when the root Service selects no pods (unmatched requests fail in SMI too)', () => {
    const context = CONTEXT.replace('selector: {app: web}', 'selector: {app: web-root}');
    const result = ingest(
      `${NODES}${SERVICE()}${router(route('api', 1, '{prefix: /api}', 'web-v2:1'))}`,
      context,
    );
    expect(splits(result)).toEqual([
      { service: 'web', backends: ['web-v2:1'], matches: ['web-appmesh'] },
    ]);
    expectDiagnostics(result.diagnostics, [NO_ACCESS]);
  });

  it('writes no split when matched requests go to the root Service and nothing else is routed', () => {
    const result = ingest(`${NODES}${SERVICE()}${router(route('api', 1, '{prefix: /api}', ROOT))}`);
    expect(splits(result)).toEqual([]);
    expectDiagnostics(result.diagnostics, [
      NO_ACCESS,
      D('fallback-not-expressible', {
        pointer: '/spec/routes',
        data: { targets: 'no route (requests fail)' },
      }),
    ]);
  });

  it('writes no split when both the matched and the catch-all route go to the root Service', () => {
    const result = ingest(
      `${NODES}${SERVICE()}${router(
        [route('api', 1, '{prefix: /api}', ROOT), route('rest', 2, '{prefix: /}', ROOT)].join(''),
      )}`,
    );
    expect(splits(result)).toEqual([]);
    expectDiagnostics(result.diagnostics, [NO_ACCESS]);
  });

  it('splits everything by the catch-all route when the matched route goes to the root Service', () => {
    const result = ingest(
      `${NODES}${SERVICE()}${router(
        [route('api', 1, '{prefix: /api}', ROOT), route('rest', 2, '{prefix: /}', 'web-v1:1')].join(
          '',
        ),
      )}`,
    );
    expect(splits(result)).toEqual([{ service: 'web', backends: ['web-v1:1'], matches: [] }]);
    expectDiagnostics(result.diagnostics, [
      NO_ACCESS,
      D('routes-differ', { pointer: '/spec/routes/0', data: { route: 'api', first: 'rest' } }),
    ]);
  });
});

describe('route targets', () => {
  it('adds up the weights of nodes reached through one Service', () => {
    const input = `${NODES}${node('web-v1b', '{app: web, version: v1, track: b}', dns('web-v1.shop.svc.cluster.local'))}${SERVICE()}${router(
      route('all', undefined, '{prefix: /}', 'web-v1:1,web-v1b:2,web-v2:1'),
    )}`;
    const result = ingest(input);
    expect(splits(result)).toEqual([
      { service: 'web', backends: ['web-v1:3', 'web-v2:1'], matches: [] },
    ]);
    expectDiagnostics(result.diagnostics, [NO_ACCESS]);
  });

  it('names the Service of a target node without service discovery after the node', () => {
    const input = `${node('web-v1', '{app: web, version: v1}', dns('web-v1.shop.svc.cluster.local'))}${node('web-v2', '{app: web, version: v2}', '')}${SERVICE()}${router(
      route('all', undefined, '{prefix: /}', 'web-v1:1,web-v2:3'),
    )}`;
    const result = ingest(input);
    expect(splits(result)).toEqual([
      { service: 'web', backends: ['web-v1:1', 'web-v2:3'], matches: [] },
    ]);
    expectDiagnostics(result.diagnostics, [
      NO_ACCESS,
      D('service-name-guessed', {
        severity: 'warning',
        // No serviceDiscovery field: the position is that of its parent, spec.
        line: 13,
        pointer: '/spec/serviceDiscovery',
        data: { from: 'VirtualNode without service discovery', value: 'web-v2', service: 'web-v2' },
      }),
    ]);
  });

  it('reads Cloud Map services as Services when the namespace is the configured one, and reports each guess once', () => {
    const cloudMap = (service: string, namespace: string) => `
  serviceDiscovery: {awsCloudMap: {namespaceName: ${namespace}, serviceName: ${service}}}`;
    // Two listeners: the route (no port) applies to both, and is read twice.
    const input = `${node('web-v1', '{app: web, version: v1}', cloudMap('web-v1', 'shop.pvt.local'))}${node('web-v2', '{app: web, version: v2}', cloudMap('web-v2', 'other.local'))}${SERVICE()}${router(
      route('all', undefined, '{prefix: /}', 'web-v1:1,web-v2:3'),
      '[{portMapping: {port: 8080, protocol: http}}, {portMapping: {port: 8081, protocol: http}}]',
    )}`;
    const configured = ingest(input, CONTEXT, {
      discovery: 'cloud-map',
      cloudMapNamespace: 'shop.pvt.local',
    });
    expect(splits(configured)).toEqual([
      { service: 'web', backends: ['web-v1:1', 'web-v2:3'], matches: [] },
    ]);
    expectDiagnostics(configured.diagnostics, [
      NO_ACCESS,
      D('service-name-guessed', {
        line: 16,
        pointer: '/spec/serviceDiscovery',
        data: { from: 'Cloud Map service', value: 'web-v2.other.local', service: 'web-v2' },
      }),
    ]);
    const dnsDiscovery = ingest(input);
    expect(
      dnsDiscovery.diagnostics
        .filter((d) => d.code === 'appmesh/service-name-guessed')
        .map((d) => d.data?.value),
    ).toEqual(['web-v1.shop.pvt.local', 'web-v2.other.local']);
  });

  it('leaves targets given by ARN out of the split, with a diagnostic', () => {
    const input = `${NODES}${SERVICE()}${router(`
    - name: all
      httpRoute:
        match: {prefix: /}
        action:
          weightedTargets:
            - {virtualNodeRef: {name: web-v1}, weight: 1}
            - {virtualNodeARN: "arn:aws:appmesh:eu-west-1:111122223333:mesh/m/virtualNode/ecs", weight: 1}`)}`;
    const result = ingest(input);
    expect(splits(result)).toEqual([{ service: 'web', backends: ['web-v1:1'], matches: [] }]);
    expectDiagnostics(result.diagnostics, [
      NO_ACCESS,
      D('arn-reference', {
        effect: 'changes-routing',
        pointer: '/spec/routes/0/httpRoute/action/weightedTargets/1/virtualNodeARN',
      }),
    ]);
  });
});

describe('gRPC routes', () => {
  it('reads service and metadata matches as paths and headers, and an empty match as catch-all', () => {
    const input = `${NODES.replaceAll('protocol: http', 'protocol: grpc')}${SERVICE()}${router(
      `
    - name: svc
      priority: 1
      grpcRoute:
        match: {serviceName: pkg.Web}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1}]}
    - name: gold
      priority: 2
      grpcRoute:
        match: {metadata: [{name: x-tier, match: {exact: gold}}]}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1}]}
    - name: rest
      priority: 3
      grpcRoute:
        match: {}
        action:
          weightedTargets:
            - {virtualNodeRef: {name: web-v1}, weight: 1}
            - {virtualNodeRef: {name: web-v2}, weight: 1}`,
      '[{portMapping: {port: 8080, protocol: grpc}}]',
    )}`;
    const result = ingest(
      input,
      CONTEXT.replace('name: http, port: 8080', 'name: grpc, port: 8080'),
    );
    expect(splits(result)).toEqual([
      { service: 'web', backends: ['web-v2:1'], matches: ['web-appmesh'] },
    ]);
    expect(groups(result)).toEqual([
      {
        name: 'web-appmesh',
        matches: [
          { name: 'svc', pathRegex: '/pkg\\.Web/' },
          { name: 'gold', headers: [['x-tier', 'gold']] },
        ],
      },
    ]);
    expectDiagnostics(result.diagnostics, [
      NO_ACCESS,
      D('grpc-route', {
        severity: 'info',
        pointer: '/spec/routes/0',
        data: { route: 'svc', service: 'pkg.Web', method: '*' },
      }),
      D('grpc-route', {
        pointer: '/spec/routes/1',
        data: { route: 'gold', service: '*', method: '*' },
      }),
    ]);
  });
});

describe('VirtualService references', () => {
  it('reports a router provider that is not in the input', () => {
    const result = ingest(
      `${NODES}${SERVICE('{virtualRouter: {virtualRouterRef: {name: ghost}}}')}`,
    );
    expect(splits(result)).toEqual([]);
    expectDiagnostics(result.diagnostics, [
      NO_ACCESS,
      D('reference-not-found', {
        effect: 'changes-routing',
        pointer: '/spec/provider',
        data: { kind: 'VirtualRouter', namespace: 'shop', name: 'ghost' },
      }),
    ]);
  });

  it('guesses the Service of a v1beta1 VirtualService named by a foreign host from its first label', () => {
    const result = ingest(`
apiVersion: appmesh.k8s.aws/v1beta1
kind: VirtualService
metadata: {name: web.example.com, namespace: shop}
spec:
  meshName: m
  routes:
    - name: all
      http:
        match: {prefix: /}
        action: {weightedTargets: [{virtualNodeName: web-v1, weight: 1}]}
`);
    expectDiagnostics(result.diagnostics, [
      D('legacy-version', { line: 2 }),
      D('service-name-guessed', {
        line: 4,
        pointer: '/metadata/name',
        data: { from: 'awsName', value: 'web.example.com', service: 'web' },
      }),
      D('reference-not-found', {
        pointer: '/spec/routes/0/http/action/weightedTargets/0',
        data: { kind: 'VirtualNode', namespace: 'shop', name: 'web-v1' },
      }),
    ]);
  });
});
