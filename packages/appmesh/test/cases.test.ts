import { AdapterTester, type ExpectedDiagnostic } from '@meshlingo/conformance';
import { convert, defineAdapter, smiAdapter, toYamlStream, type KubeObject } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

const tester = new AdapterTester({ describe, it });

const NAMESPACE = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {mesh: meshlingo, appmesh.k8s.aws/sidecarInjectorWebhook: enabled}
---`;

const deployment = (name: string, labels: string, account: string, ports = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec: {serviceAccountName: ${account}, containers: [{name: c, image: i${ports}}]}
---`;

const service = (name: string, selector: string, ports: string) => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: ${selector}
  ports: ${ports}
---`;

/** web (v1, v2) and a client, each version with its own Service, all http on 8080. */
const WEB = [
  NAMESPACE,
  deployment('client', '{app: client}', 'client'),
  deployment('web-v1', '{app: web, version: v1}', 'web'),
  deployment('web-v2', '{app: web, version: v2}', 'web'),
  service('web', '{app: web}', '[{name: http, port: 8080}]'),
  service('web-v1', '{app: web, version: v1}', '[{name: http, port: 8080}]'),
  service('web-v2', '{app: web, version: v2}', '[{name: http, port: 8080}]'),
].join('');

const SPLIT = (weights: [number, number], extra = '') => `
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: web-split, namespace: shop}
spec:
  service: web${extra}
  backends:
    - {service: web-v1, weight: ${weights[0]}}
    - {service: web-v2, weight: ${weights[1]}}
`;

const ALL_ACCESS = `
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: all, namespace: shop}
spec: {matches: {ports: []}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: client-to-web, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: web, namespace: shop}
  rules: [{kind: TCPRoute, name: all}]
  sources: [{kind: ServiceAccount, name: client, namespace: shop}]
`;

const D = (code: string, extra: Omit<ExpectedDiagnostic, 'code'> = {}): ExpectedDiagnostic => ({
  code: `appmesh/${code}`,
  ...extra,
});
const DISCONTINUED = D('discontinued', { severity: 'warning' });

describe('emit', () => {
  tester.run(appMeshAdapter, {
    valid: [
      {
        name: 'reports the discontinuation once, even for an empty model',
        input: '# nothing\n',
        diagnostics: [DISCONTINUED, D('no-access-grants', { severity: 'info' })],
      },
      {
        name: 'divides weights by their common divisor when that makes them fit',
        input: SPLIT([300, 600]),
        context: WEB,
        options: { appmesh: { accessControl: 'permissive' } },
        diagnostics: [
          DISCONTINUED,
          D('weights-scaled', {
            line: 7,
            pointer: '/spec/backends',
            data: { from: '300,600', to: '1,2' },
            effect: 'cosmetic',
          }),
        ],
      },
      {
        name: 'asks for the namespace labels when the Namespace lacks them or is unknown',
        input: ALL_ACCESS,
        context: WEB.replace(NAMESPACE, ''),
        diagnostics: [
          DISCONTINUED,
          D('namespace-label', {
            severity: 'warning',
            data: { namespace: 'shop', label: 'mesh', mesh: 'meshlingo' },
          }),
          D('client-side-enforcement'),
        ],
      },
      {
        name: 'widens access, with a diagnostic, when asked for permissive access or ALLOW_ALL',
        input: ALL_ACCESS,
        context: WEB,
        options: { appmesh: { accessControl: 'permissive' } },
        diagnostics: [DISCONTINUED, D('permissive-access', { effect: 'widens-access' })],
      },
      {
        name: 'egress ALLOW_ALL makes backends meaningless',
        input: ALL_ACCESS,
        context: WEB,
        options: { appmesh: { egressFilter: 'ALLOW_ALL' } },
        diagnostics: [
          DISCONTINUED,
          D('egress-allow-all', { effect: 'widens-access' }),
          D('client-side-enforcement'),
        ],
      },
      {
        name: 'infers listener protocols and reports defaults and conflicts',
        input: ALL_ACCESS,
        context: [
          NAMESPACE,
          deployment('client', '{app: client}', 'client'),
          deployment('web', '{app: web}', 'web'),
          service('web', '{app: web}', '[{port: 7000}, {name: grpc-api, port: 7001}]'),
          service('web-admin', '{app: web}', '[{name: http, port: 7000}]'),
        ].join(''),
        diagnostics: [
          DISCONTINUED,
          D('client-side-enforcement'),
          D('protocol-defaulted', {
            severity: 'info',
            pointer: '/spec/ports/0',
            data: { service: 'shop/web', port: 7000, protocol: 'tcp' },
          }),
          D('protocol-conflict', {
            severity: 'warning',
            data: { workload: 'shop/web', port: 7000, protocol: 'tcp' },
          }),
        ],
      },
      {
        name: 'shares the weight of a backend that selects several workloads',
        input: `
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: web-split, namespace: shop}
spec:
  service: web
  backends:
    - {service: web-old, weight: 1}
    - {service: web-v3, weight: 1}
`,
        context: [
          NAMESPACE,
          deployment('web-v1', '{app: web, version: v1, track: old}', 'web'),
          deployment('web-v2', '{app: web, version: v2, track: old}', 'web'),
          deployment('web-v3', '{app: web, version: v3}', 'web'),
          service('web', '{app: web}', '[{name: http, port: 8080}]'),
          service('web-old', '{app: web, track: old}', '[{name: http, port: 8080}]'),
          service('web-v3', '{app: web, version: v3}', '[{name: http, port: 8080}]'),
        ].join(''),
        options: { appmesh: { accessControl: 'permissive' } },
        diagnostics: [
          DISCONTINUED,
          D('ambiguous-discovery', {
            effect: 'changes-routing',
            data: { workload: 'shop/web-v1', service: 'web' },
          }),
          D('ambiguous-discovery', {
            effect: 'changes-routing',
            data: { workload: 'shop/web-v2', service: 'web' },
          }),
          D('backend-multiple-nodes', {
            effect: 'changes-routing',
            pointer: '/spec/backends/0/service',
            data: { service: 'shop/web-old', count: 2 },
          }),
        ],
      },
      {
        name: 'leaves a backend without the root port out of that port',
        input: SPLIT([1, 1]),
        context: WEB.replace(
          service('web-v2', '{app: web, version: v2}', '[{name: http, port: 8080}]'),
          service('web-v2', '{app: web, version: v2}', '[{name: http, port: 8081}]'),
        ),
        options: { appmesh: { accessControl: 'permissive' } },
        diagnostics: [
          DISCONTINUED,
          D('backend-port-mismatch', {
            effect: 'changes-routing',
            data: { service: 'shop/web-v2', port: 8080, root: 'shop/web' },
          }),
        ],
      },
      {
        name: 'reports a named target port no container has',
        input: ALL_ACCESS,
        context: [
          NAMESPACE,
          deployment('client', '{app: client}', 'client'),
          deployment('web', '{app: web}', 'web'),
          service('web', '{app: web}', '[{name: http, port: 80, targetPort: web}]'),
        ].join(''),
        diagnostics: [
          DISCONTINUED,
          D('client-side-enforcement'),
          D('target-port-unresolved', {
            effect: 'narrows-access',
            data: { service: 'shop/web', port: 80, targetPort: 'web', node: 'web' },
          }),
          D('destination-not-exposed', {
            effect: 'narrows-access',
            data: { source: 'shop/client', destination: 'shop/web' },
          }),
        ],
      },
    ],
    invalid: [
      {
        name: 'reports a split backend Service that is not in the context',
        input: SPLIT([1, 2]),
        context: WEB.replace(
          service('web-v1', '{app: web, version: v1}', '[{name: http, port: 8080}]'),
          '',
        ),
        options: { appmesh: { accessControl: 'permissive' } },
        diagnostics: [
          DISCONTINUED,
          D('missing-service', {
            severity: 'error',
            pointer: '/spec/backends/0/service',
            data: { namespace: 'shop', service: 'web-v1' },
          }),
        ],
      },
      {
        name: 'rejects invalid options',
        input: SPLIT([1, 1]),
        context: WEB,
        options: { appmesh: { discovery: 'cloud-map', meshName: 'Not_A_Name' } },
        diagnostics: [
          { code: 'core/invalid-options', severity: 'error', data: { adapter: 'appmesh' } },
        ],
      },
      {
        name: 'cannot write a match with more than 10 headers',
        input: `${SPLIT([9, 1], '\n  matches: [{kind: HTTPRouteGroup, name: many}]')}---
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: many, namespace: shop}
spec:
  matches:
    - name: eleven
      headers: [${Array.from({ length: 11 }, (_, i) => `{h${i}: v}`).join(', ')}]
`,
        context: WEB,
        options: { appmesh: { accessControl: 'permissive' } },
        diagnostics: [
          DISCONTINUED,
          D('match-not-representable', {
            severity: 'error',
            pointer: '/spec/matches/0',
            data: { match: 'many/eleven' },
          }),
        ],
      },
    ],
  });
});

/** Stand-ins for other targets: one that writes only access, one that writes only routing. */
const accessOnly = defineAdapter({
  ...smiAdapter,
  name: 'access-only',
  capabilities: { ...smiAdapter.capabilities, 'split.weights': { level: 'none' } },
});
const routingOnly = defineAdapter({
  ...smiAdapter,
  name: 'routing-only',
  capabilities: { ...smiAdapter.capabilities, 'access.sources': { level: 'none' } },
});

describe('composed targets (--to a,appmesh)', () => {
  const input = `${ALL_ACCESS}---${SPLIT([9, 1])}`;
  const kinds = (objects: readonly KubeObject[], apiVersion: string) =>
    objects.filter((o) => o.apiVersion.startsWith(apiVersion)).map((o) => o.kind);

  it('writes routing with permissive backends when another target owns access', () => {
    const result = convert(input, { to: [accessOnly, appMeshAdapter], context: WEB });
    expect(kinds(result.objects, 'access.smi-spec.io')).toEqual(['TrafficTarget']);
    expect(kinds(result.objects, 'split.smi-spec.io')).toEqual([]);
    const yaml = toYamlStream(result.objects);
    expect(yaml).toContain('name: web-split');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['appmesh/discontinued']);
    // every node may call every VirtualService it is not alone behind
    const client = result.objects.find(
      (o) => o.kind === 'VirtualNode' && o.metadata?.name === 'client',
    );
    expect(JSON.stringify(client)).toContain('"name":"web-v2"');
  });

  it('writes backends and no split router when another target owns routing', () => {
    const result = convert(input, { to: [routingOnly, appMeshAdapter], context: WEB });
    expect(kinds(result.objects, 'split.smi-spec.io')).toEqual(['TrafficSplit']);
    const appmesh = toYamlStream(result.objects.filter((o) => o.apiVersion.startsWith('appmesh')));
    expect(appmesh).not.toContain('web-split');
    expect(appmesh).toContain('name: web-default');
    expect(appmesh).toContain('client-to-web');
  });
});
