import { AdapterTester, type ExpectedDiagnostic } from '@meshlingo/conformance';
import { convert, smiAdapter, toYamlStream } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

const tester = new AdapterTester({ describe, it });
const from = [appMeshAdapter];

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

const SERVICE = `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  awsName: web.shop.svc.cluster.local
  provider: {virtualRouter: {virtualRouterRef: {name: web}}}
---`;

const router = (routes: string) => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: web, namespace: shop}
spec:
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  routes:${routes}
`;

const D = (code: string, extra: Omit<ExpectedDiagnostic, 'code'> = {}): ExpectedDiagnostic => ({
  code: `appmesh/${code}`,
  ...extra,
});
const NO_ACCESS = D('access-not-derived', { severity: 'info' });

/** Hand-written App Mesh objects read into SMI. */
const CASES = [
  {
    name: 'reads header conditions as full-match regexes (exact, prefix, suffix, regex, presence)',
    input: `${NODES}${SERVICE}${router(`
    - name: tiers
      priority: 1
      httpRoute:
        match:
          prefix: /api/v1.0
          headers:
            - {name: x-exact, match: {exact: "a.b"}}
            - {name: x-prefix, match: {prefix: gold}}
            - {name: x-suffix, match: {suffix: .example}}
            - {name: x-regex, match: {regex: "v[0-9]+"}}
            - {name: x-present}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v2}, weight: 1}]}
    - name: rest
      priority: 2
      httpRoute:
        match: {prefix: /}
        action:
          weightedTargets:
            - {virtualNodeRef: {name: web-v1}, weight: 1}
            - {virtualNodeRef: {name: web-v2}, weight: 1}`)}`,
    context: CONTEXT,
    from,
    output: `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: web-appmesh
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshlingo
  annotations:
    meshlingo.io/source: appmesh.k8s.aws/v1beta2/VirtualRouter/shop/web
spec:
  matches:
    - name: tiers
      pathRegex: "/api/v1\\\\.0"
      headers:
        - x-exact: "a\\\\.b"
        - x-prefix: gold.*
        - x-suffix: ".*\\\\.example"
        - x-regex: "v[0-9]+"
        - x-present: ".*"
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshlingo
  annotations:
    meshlingo.io/source: appmesh.k8s.aws/v1beta2/VirtualRouter/shop/web,appmesh.k8s.aws/v1beta2/VirtualService/shop/web
spec:
  service: web
  matches:
    - kind: HTTPRouteGroup
      name: web-appmesh
  backends:
    - service: web-v2
      weight: 1
`,
    diagnostics: [NO_ACCESS],
  },
  {
    name: 'reports shapes the CRD does not allow, and versions it does not serve',
    input: `
apiVersion: appmesh.k8s.aws/v1alpha1
kind: VirtualNode
metadata: {name: old, namespace: shop}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: web-v1, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web, version: v1}}
  listeners: [{portMapping: {port: "8080", protocol: http}}]
  serviceDiscoveryy: {}
---
${router(`
    - name: both
      httpRoute: {match: {prefix: /}, action: {weightedTargets: []}}
      tcpRoute: {action: {weightedTargets: []}}
    - name: no-path
      httpRoute: {match: {method: GET}, action: {weightedTargets: []}}`)}`,
    from,
    diagnostics: [
      D('unsupported-version', {
        severity: 'warning',
        line: 2,
        pointer: '/apiVersion',
        data: { apiVersion: 'appmesh.k8s.aws/v1alpha1', kind: 'VirtualNode' },
      }),
      D('access-not-derived', { line: 6 }),
      D('invalid-field', {
        line: 11,
        pointer: '/spec/listeners/0/portMapping/port',
        data: { field: 'spec.listeners[0].portMapping.port', actual: 'string "8080"' },
      }),
      D('unknown-field', { line: 12, pointer: '/spec/serviceDiscoveryy' }),
      D('router-unused', { line: 17, data: { router: 'shop/web' } }),
      D('invalid-field', {
        line: 21,
        pointer: '/spec/routes/0',
        data: { actual: 'httpRoute and tcpRoute' },
      }),
      D('invalid-field', {
        line: 25,
        pointer: '/spec/routes/1/httpRoute/match/prefix',
        data: { actual: 'missing', expected: 'a prefix or a path' },
      }),
    ],
  },
  {
    name: 'reports references to objects that are not in the input and routes that send nothing (the catch-all is a 100 % split)',
    input: `${NODES}
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: other, namespace: shop}
spec:
  provider: {virtualNode: {virtualNodeRef: {name: missing}}}
---${SERVICE}${router(`
    - name: zero
      priority: 1
      httpRoute:
        match: {prefix: /zero}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 0}]}
    - name: ghost
      priority: 2
      httpRoute:
        match: {prefix: /ghost}
        action: {weightedTargets: [{virtualNodeRef: {name: ghost}, weight: 5}]}
    - name: rest
      httpRoute:
        match: {prefix: /}
        action: {weightedTargets: [{virtualNodeRef: {name: web-v1}, weight: 1}]}`)}`,
    context: CONTEXT,
    from,
    diagnostics: [
      NO_ACCESS,
      D('reference-not-found', {
        pointer: '/spec/provider',
        effect: 'changes-routing',
        data: { kind: 'VirtualNode', namespace: 'shop', name: 'missing' },
      }),
      D('weights-all-zero', { line: 37, pointer: '/spec/routes/0', data: { route: 'zero' } }),
      D('reference-not-found', {
        line: 46,
        pointer: '/spec/routes/1/httpRoute/action/weightedTargets/0',
        data: { kind: 'VirtualNode', namespace: 'shop', name: 'ghost' },
      }),
    ],
  },
  {
    name: 'drops ingress kinds with their effect and keeps keys of user input out of prototypes',
    input: `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualGateway
metadata: {name: gw, namespace: shop}
spec: {listeners: [{portMapping: {port: 80, protocol: http}}]}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: BackendGroup
metadata: {name: all, namespace: shop}
spec: {virtualservices: [{name: web}]}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: odd, namespace: shop}
spec:
  podSelector: {matchLabels: {constructor: x, toString: y}}
`,
    from,
    diagnostics: [
      D('unsupported-kind', {
        severity: 'warning',
        effect: 'changes-routing',
        data: { kind: 'VirtualGateway', name: 'shop/gw' },
      }),
      D('unsupported-kind', {
        severity: 'info',
        effect: 'cosmetic',
        data: { kind: 'BackendGroup', name: 'shop/all' },
      }),
      D('access-not-derived'),
    ],
  },
  {
    name: 'reads a v1beta1 node by its workload name, or reports it cannot',
    input: `
apiVersion: appmesh.k8s.aws/v1beta1
kind: VirtualNode
metadata: {name: caller, namespace: shop}
spec:
  meshName: m
  backends: [{backendService: {name: web.shop.svc.cluster.local}}]
---
apiVersion: appmesh.k8s.aws/v1beta1
kind: VirtualService
metadata: {name: web.shop.svc.cluster.local, namespace: shop}
spec:
  meshName: m
  virtualRouter: {name: web-router}
  routes:
    - name: all
      tcp: {action: {weightedTargets: [{virtualNodeName: web-v1.shop, weight: 1}]}}
`,
    context: CONTEXT,
    from,
    diagnostics: [
      D('legacy-version', { line: 2 }),
      D('identity-unresolved', {
        line: 5,
        pointer: '/spec',
        effect: 'narrows-access',
        data: { namespace: 'shop', node: 'caller' },
      }),
      D('egress-assumed', { line: 7, pointer: '/spec/backends' }),
      D('legacy-version', { line: 9, data: { kind: 'VirtualService' } }),
      D('reference-not-found', {
        line: 17,
        pointer: '/spec/routes/0/tcp/action/weightedTargets/0',
        data: { kind: 'VirtualNode', namespace: 'shop', name: 'web-v1' },
      }),
    ],
  },
];

describe('ingest', () => {
  tester.run(smiAdapter, {
    valid: CASES,
    invalid: [
      {
        name: 'a placeholder left in a name is an error, and the object is not read',
        input: `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: "<node-name>", namespace: shop}
spec: {}
`,
        from,
        diagnostics: [
          {
            code: 'core/placeholder',
            severity: 'error',
            line: 4,
            pointer: '/metadata/name',
            data: { value: '<node-name>' },
          },
        ],
      },
    ],
  });
});

describe('ingest reads cross-namespace targets only as backends of their own namespace', () => {
  it('drops a target reached through another namespace', () => {
    const input = `${NODES.replace(/namespace: shop}/, 'namespace: other}').replace('web-v1.shop.svc', 'web-v1.other.svc')}${SERVICE}${router(`
    - name: all
      httpRoute:
        match: {prefix: /}
        action:
          weightedTargets:
            - {virtualNodeRef: {namespace: other, name: web-v1}, weight: 1}
            - {virtualNodeRef: {name: web-v2}, weight: 3}`)}`;
    const result = convert(input, { to: ['smi'], from, context: CONTEXT });
    const dropped = result.diagnostics.find((d) => d.code === 'appmesh/cross-namespace-target');
    expect(dropped).toMatchObject({
      effect: 'changes-routing',
      data: { node: 'other/web-v1', namespace: 'shop' },
      location: { pointer: '/spec/routes/0/httpRoute/action/weightedTargets/0' },
    });
    expect(toYamlStream(result.objects)).not.toContain('web-v1');
  });
});
