import { compareDiagnostics, type ExpectedDiagnostic } from '@meshlingo/conformance';
import {
  convert,
  toYamlStream,
  type ConvertResult,
  type Diagnostic,
  type KubeObject,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

const deployment = (name: string, labels: string, account: string, ns = 'shop') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec: {serviceAccountName: ${account}, containers: [{name: c, image: i}]}
---`;

const service = (name: string, selector: string, ports: string, ns = 'shop') => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: ${selector}
  ports: ${ports}
---`;

const namespace = (name: string) => `
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels: {mesh: meshlingo, appmesh.k8s.aws/sidecarInjectorWebhook: enabled}
---`;

const HTTP = '[{name: http, port: 8080}]';

/** web (v1, v2, each with its own Service) and a client, in a labelled namespace. */
const WEB = [
  namespace('shop'),
  deployment('client', '{app: client}', 'client'),
  deployment('web-v1', '{app: web, version: v1}', 'web'),
  deployment('web-v2', '{app: web, version: v2}', 'web'),
  service('web', '{app: web}', HTTP),
  service('web-v1', '{app: web, version: v1}', HTTP),
  service('web-v2', '{app: web, version: v2}', HTTP),
].join('');

const split = (backends: string, extra = '') => `
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: web-split, namespace: shop}
spec:
  service: web${extra}
  backends:${backends
    .split(',')
    .map((b) => {
      const [s = '', w = ''] = b.split(':');
      return `\n    - {service: ${s}, weight: ${w}}`;
    })
    .join('')}
---`;

const group = (name: string, matches: string) => `
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: ${name}, namespace: shop}
spec:
  matches:${matches}
---`;

const WITH_GROUP = '\n  matches: [{kind: HTTPRouteGroup, name: api}]';

const PERMISSIVE = { accessControl: 'permissive' };

function emit(input: string, context: string, options: Record<string, unknown> = PERMISSIVE) {
  return convert(input, { to: [appMeshAdapter], context, adapterOptions: { appmesh: options } });
}

function expectDiagnostics(actual: readonly Diagnostic[], expected: ExpectedDiagnostic[]): void {
  expect(compareDiagnostics(actual, expected)).toEqual([]);
}

const D = (code: string, extra: Omit<ExpectedDiagnostic, 'code'> = {}): ExpectedDiagnostic => ({
  code: `appmesh/${code}`,
  ...extra,
});
const DISCONTINUED = D('discontinued', { severity: 'warning' });

function object(result: ConvertResult, kind: string, name: string): KubeObject | undefined {
  return result.objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

function names(result: ConvertResult, kind: string): string[] {
  return result.objects.filter((o) => o.kind === kind).map((o) => `${o.metadata?.name}`);
}

interface RouteOut {
  name: string;
  priority: number;
  [kind: string]: unknown;
}

function routes(result: ConvertResult, router = 'web'): RouteOut[] {
  const spec = object(result, 'VirtualRouter', router)?.spec as { routes: RouteOut[] } | undefined;
  return spec?.routes ?? [];
}

describe('routers by listener protocol', () => {
  it('writes http2Routes on an h2c root port, one per match, then the route to the root', () => {
    const h2c = '[{name: web, port: 8080, appProtocol: kubernetes.io/h2c}]';
    const context = WEB.replaceAll(HTTP, h2c);
    const result = emit(
      `${group('api', '\n    - {name: list, pathRegex: /api/items$, methods: [GET]}')}${split('web-v1:9,web-v2:1', WITH_GROUP)}`,
      context,
    );
    expectDiagnostics(result.diagnostics, [DISCONTINUED]);
    expect(routes(result)).toEqual([
      {
        name: 'web-split-list-get',
        priority: 10,
        http2Route: {
          match: { path: { exact: '/api/items' }, method: 'GET' },
          action: {
            weightedTargets: [
              { virtualNodeRef: { name: 'web-v1' }, weight: 9 },
              { virtualNodeRef: { name: 'web-v2' }, weight: 1 },
            ],
          },
        },
      },
      {
        name: 'web-split-default',
        priority: 1000,
        http2Route: {
          match: { prefix: '/' },
          action: {
            weightedTargets: [
              { virtualNodeRef: { name: 'web-v1' }, weight: 50 },
              { virtualNodeRef: { name: 'web-v2' }, weight: 50 },
            ],
          },
        },
      },
    ]);
  });

  it('sends a root port no backend exposes to the root Service, with a diagnostic per backend', () => {
    const ports = '[{name: http, port: 8080}, {name: tcp-admin, port: 9090}]';
    const context = WEB.replace(
      service('web', '{app: web}', HTTP),
      service('web', '{app: web}', ports),
    );
    const result = emit(split('web-v1:1,web-v2:3'), context);
    expectDiagnostics(result.diagnostics, [
      DISCONTINUED,
      D('backend-port-mismatch', {
        effect: 'changes-routing',
        pointer: '/spec/backends/0',
        data: { service: 'shop/web-v1', port: 9090, root: 'shop/web' },
      }),
      D('backend-port-mismatch', {
        pointer: '/spec/backends/1',
        data: { service: 'shop/web-v2', port: 9090, root: 'shop/web' },
      }),
    ]);
    expect(routes(result).map((r) => [r.name, r.priority, Object.keys(r)[2]])).toEqual([
      ['web-split-8080', 1000, 'httpRoute'],
      ['web-split-default-9090', 1000, 'tcpRoute'],
    ]);
    expect(routes(result)[1]?.tcpRoute).toEqual({
      match: { port: 9090 },
      action: {
        weightedTargets: [
          { virtualNodeRef: { name: 'web-v1' }, weight: 50, port: 9090 },
          { virtualNodeRef: { name: 'web-v2' }, weight: 50, port: 9090 },
        ],
      },
    });
  });

  it('writes no route for unmatched requests when the root Service selects no pods', () => {
    const context = WEB.replace(
      service('web', '{app: web}', HTTP),
      service('web', '{app: web-root}', HTTP),
    ).concat(service('orphan', '{app: nobody}', HTTP));
    const result = emit(
      `${group('api', '\n    - {name: api, pathRegex: /api}')}${split('web-v1:1,web-v2:1', WITH_GROUP)}`,
      context,
    );
    expectDiagnostics(result.diagnostics, [DISCONTINUED]);
    expect(routes(result).map((r) => r.name)).toEqual(['web-split-api']);
    // A Service that selects no meshed pods and roots no split gets no VirtualService.
    expect(names(result, 'VirtualService').sort()).toEqual(['web', 'web-v1', 'web-v2']);
  });
});

describe('splits that cannot be written', () => {
  it('reports a root Service without TCP ports', () => {
    const context = WEB.replace(
      service('web', '{app: web}', HTTP),
      service('web', '{app: web}', '[{name: dns, port: 53, protocol: UDP}]'),
    );
    const result = emit(split('web-v1:1,web-v2:1'), context);
    expectDiagnostics(result.diagnostics, [
      DISCONTINUED,
      D('udp-port-skipped', {
        severity: 'warning',
        pointer: '/spec/ports/0',
        data: { service: 'shop/web', port: 53, protocol: 'UDP' },
      }),
      D('root-without-ports', {
        severity: 'error',
        pointer: '/spec/service',
        data: { service: 'shop/web' },
      }),
    ]);
    expect(names(result, 'VirtualRouter')).toEqual([]);
  });

  it('reports backend Services that select no meshed workload, and writes no split router', () => {
    const context = `${WEB}${service('web-v3', '{app: web, version: v3}', HTTP)}`;
    const result = emit(split('web-v3:1'), context);
    expectDiagnostics(result.diagnostics, [
      DISCONTINUED,
      D('backend-not-meshed', {
        severity: 'error',
        pointer: '/spec/backends/0/service',
        data: { service: 'shop/web-v3' },
      }),
    ]);
    // The root keeps the router that spreads its traffic evenly over its own nodes.
    expect(routes(result).map((r) => r.name)).toEqual(['web-default']);
  });

  it('reports more than 99 matches', () => {
    const matches = Array.from(
      { length: 100 },
      (_, i) => `\n    - {name: m${i}, pathRegex: /p${i}$}`,
    );
    const result = emit(
      `${group('api', matches.join(''))}${split('web-v1:1,web-v2:1', WITH_GROUP)}`,
      WEB,
    );
    expectDiagnostics(result.diagnostics, [
      DISCONTINUED,
      D('too-many-routes', {
        severity: 'error',
        pointer: '/spec/matches',
        data: { split: 'web-split', count: 100 },
      }),
    ]);
  });

  it('reports a path regex longer than App Mesh stores', () => {
    const long = `/${'x'.repeat(260)}[0-9]+`;
    const result = emit(
      `${group('api', `\n    - {name: long, pathRegex: "${long}"}\n    - {name: short, pathRegex: /short}`)}${split('web-v1:1,web-v2:1', WITH_GROUP)}`,
      WEB,
    );
    expectDiagnostics(result.diagnostics, [
      DISCONTINUED,
      D('match-not-representable', {
        severity: 'error',
        pointer: '/spec/matches/0',
        data: { match: 'api/long' },
      }),
    ]);
  });
});

describe('VirtualNodes', () => {
  it('names a node after the first of its workloads and reports workloads that run as other accounts', () => {
    const context = [
      namespace('shop'),
      deployment('web-b', '{app: web}', 'web-b'),
      deployment('web-a', '{app: web}', 'web-a'),
      service('web', '{app: web}', HTTP),
    ].join('');
    const result = emit('# nothing\n', context);
    expectDiagnostics(result.diagnostics, [
      DISCONTINUED,
      D('podselector-overlap', {
        severity: 'error',
        data: { workload: 'shop/web-b', other: 'shop/web-a' },
      }),
    ]);
    expect(names(result, 'VirtualNode')).toEqual(['web-a']);
  });

  it('keeps more specific workloads out of a node with one DoesNotExist per extra key, sorted', () => {
    const context = [
      namespace('zoo'),
      namespace('shop'),
      deployment('keeper', '{app: keeper}', 'keeper', 'zoo'),
      deployment('web-v2', '{app: web, version: v2}', 'web'),
      deployment('web-gold', '{app: web, tier: gold}', 'web'),
      deployment('web-v1', '{app: web, version: v1}', 'web'),
      deployment('web', '{app: web}', 'web'),
    ].join('');
    const result = emit('# nothing\n', context);
    expectDiagnostics(result.diagnostics, [DISCONTINUED]);
    expect(
      result.objects
        .filter((o) => o.kind === 'VirtualNode')
        .map((o) => o.metadata?.namespace + '/' + o.metadata?.name),
    ).toEqual(['shop/web', 'shop/web-gold', 'shop/web-v1', 'shop/web-v2', 'zoo/keeper']);
    expect(
      (object(result, 'VirtualNode', 'web')?.spec as { podSelector: unknown }).podSelector,
    ).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'DoesNotExist' },
        { key: 'version', operator: 'DoesNotExist' },
      ],
    });
  });

  it('lists backends sorted by namespace and name, with the namespace of other namespaces', () => {
    const context = [
      WEB,
      namespace('bank'),
      deployment('db', '{app: db}', 'db'),
      service('db', '{app: db}', '[{name: tcp-pg, port: 5432}]'),
      deployment('ledger', '{app: ledger}', 'ledger', 'bank'),
      service('ledger', '{app: ledger}', HTTP, 'bank'),
    ].join('');
    const target = (name: string, destination: string, ns = 'shop') => `
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: ${name}, namespace: ${ns}}
spec:
  destination: {kind: ServiceAccount, name: ${destination}, namespace: ${ns}}
  rules: [{kind: TCPRoute, name: all}]
  sources: [{kind: ServiceAccount, name: client, namespace: shop}]
---`;
    const all = (ns: string) => `
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: all, namespace: ${ns}}
spec: {matches: {ports: []}}
---`;
    const result = emit(
      `${all('shop')}${all('bank')}${target('to-web', 'web')}${target('to-ledger', 'ledger', 'bank')}${target('to-db', 'db')}`,
      context,
      {},
    );
    expectDiagnostics(result.diagnostics, [DISCONTINUED, D('client-side-enforcement')]);
    expect(
      (object(result, 'VirtualNode', 'client')?.spec as { backends: unknown }).backends,
    ).toEqual([
      { virtualService: { virtualServiceRef: { namespace: 'bank', name: 'ledger' } } },
      { virtualService: { virtualServiceRef: { name: 'db' } } },
      { virtualService: { virtualServiceRef: { name: 'web' } } },
      { virtualService: { virtualServiceRef: { name: 'web-v1' } } },
      { virtualService: { virtualServiceRef: { name: 'web-v2' } } },
    ]);
  });
});

/** SMI to App Mesh and back: what App Mesh can hold comes back as it was. */
function roundTrip(input: string, context: string) {
  const out = emit(input, context);
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return convert(toYamlStream(out.objects), { to: ['smi'], from: [appMeshAdapter], context });
}

describe('round trips through the router annotation', () => {
  it('keeps a split whose only positive backend is reached through the root’s own name', () => {
    // `web` selects only the v1 pods, and comes first: the v1 node is reached as `web`.
    const context = [
      namespace('shop'),
      deployment('web-v1', '{app: web, version: v1}', 'web'),
      deployment('web-v2', '{app: web, version: v2}', 'web'),
      service('web', '{app: web, version: v1}', HTTP),
      service('web-v1', '{app: web, version: v1}', HTTP),
      service('web-v2', '{app: web, version: v2}', HTTP),
    ].join('');
    const back = roundTrip(split('web-v1:1,web-v2:0'), context);
    expect(
      back.model.trafficSplits.map((s) => s.backends.map((b) => [b.service, b.weight])),
    ).toEqual([
      [
        ['web-v1', 1],
        ['web-v2', 0],
      ],
    ]);
  });

  it('keeps weights App Mesh had to divide, and the spelling of an empty header value', () => {
    const back = roundTrip(
      `${group('api', "\n    - {name: empty, pathRegex: /api, headers: [{x-debug: ''}]}")}${split('web-v2:600,web-v1:300', WITH_GROUP)}`,
      WEB,
    );
    expect(
      back.model.trafficSplits.map((s) => s.backends.map((b) => [b.service, b.weight])),
    ).toEqual([
      [
        ['web-v2', 600],
        ['web-v1', 300],
      ],
    ]);
    expect(back.model.httpRouteGroups.map((g) => g.matches.map((m) => m.headers))).toEqual([
      [[{ name: 'x-debug', value: '' }]],
    ]);
  });

  it('keeps one HTTPRouteGroup that two splits share', () => {
    const context = [
      WEB,
      deployment('api-v1', '{app: api, version: v1}', 'api'),
      deployment('api-v2', '{app: api, version: v2}', 'api'),
      service('api', '{app: api}', HTTP),
      service('api-v1', '{app: api, version: v1}', HTTP),
      service('api-v2', '{app: api, version: v2}', HTTP),
    ].join('');
    const apiSplit = split('api-v1:1,api-v2:1', WITH_GROUP)
      .replace('name: web-split', 'name: api-split')
      .replace('service: web', 'service: api');
    const back = roundTrip(
      `${group('api', '\n    - {name: beta, headers: [{x-beta: "1"}]}')}${split('web-v1:1,web-v2:1', WITH_GROUP)}${apiSplit}`,
      context,
    );
    expect(back.model.httpRouteGroups.map((g) => g.name)).toEqual(['api']);
    expect(back.model.trafficSplits.map((s) => [s.name, s.matches?.map((m) => m.name)])).toEqual([
      ['api-split', ['api']],
      ['web-split', ['api']],
    ]);
  });
});
