import { AdapterTester } from '@meshlingo/conformance';
import { smiAdapter } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import istio, { claimsIstio } from '../src/index.js';

const context = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: x, ports: [{containerPort: 8080}, {containerPort: 9090}, {containerPort: 7000}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers: [{name: web, image: x}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: tcp-admin, port: 9090}, {name: metrics, port: 7000}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  selector: {app: db}
  ports: [{name: tcp-mysql, port: 3306}]
`;

const policy = (spec: string, name = 'p', namespace = 'shop', annotations = '') => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: ${namespace}${annotations}}
spec: ${spec}
`;

const selectApi = `selector: {matchLabels: {app: api}}`;
const fromWeb = `from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]`;

describe('ingest: hand-written cases', () => {
  new AdapterTester({ describe, it }).run(smiAdapter, {
    valid: [
      {
        name: 'AUDIT and dry-run policies change nothing and are not translated',
        input:
          policy(`{action: AUDIT, rules: [{}]}`) +
          '---' +
          policy(
            `{${selectApi}, rules: [{${fromWeb}}]}`,
            'dry',
            'shop',
            ', annotations: {istio.io/dry-run: "true"}',
          ),
        context,
        from: [istio],
        output: '',
        diagnostics: [
          // Istio with only these lets everything in; SMI, an allow-list, would not.
          {
            code: 'istio/workloads-default-allow',
            data: { workloads: 'Deployment shop/api, Deployment shop/web' },
          },
          { code: 'istio/audit-policy', pointer: '/spec/action', effect: 'cosmetic' },
          { code: 'istio/dry-run-policy' },
        ],
      },
      {
        name: 'a rule with HTTP fields grants nothing on a TCP port, so the port is dropped exactly',
        input: policy(
          `{${selectApi}, rules: [{${fromWeb}, to: [{operation: {ports: ["8080", "9090"], methods: [GET]}}]}]}`,
        ),
        context,
        from: [istio],
        diagnostics: [
          {
            code: 'istio/workloads-default-allow',
            data: { workloads: 'Deployment shop/web' },
            effect: 'narrows-access',
          },
        ],
      },
      {
        name: 'any source, wildcard principals and namespaces are expanded to the ServiceAccounts known',
        input: policy(
          `{${selectApi}, rules: [{to: [{operation: {ports: ["9090"]}}]}, {from: [{source: {principals: ["cluster.local/ns/shop/sa/*"]}}]}]}`,
        ),
        context,
        from: [istio],
        diagnostics: [
          { code: 'istio/workloads-default-allow', data: { workloads: 'Deployment shop/web' } },
          {
            code: 'istio/source-expanded',
            pointer: '/spec/rules/0',
            data: { what: 'any source', accounts: 'shop/api, shop/web' },
          },
          {
            code: 'istio/source-expanded',
            pointer: '/spec/rules/1/from/0/source/principals/0',
            data: { accounts: 'shop/api, shop/web' },
          },
        ],
      },
      {
        name: 'a namespace-wide policy covers the ServiceAccounts of the namespace',
        input: policy(`{rules: [{${fromWeb}, to: [{operation: {ports: ["9090"]}}]}]}`),
        context,
        from: [istio],
        diagnostics: [
          {
            code: 'istio/destination-expanded',
            data: { accounts: 'shop/api, shop/web' },
            effect: 'narrows-access',
          },
        ],
      },
      {
        name: 'a VirtualService with two Service hosts gives one split per host',
        input: `
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [api, web.shop.svc.cluster.local]
  exportTo: ["."]
  http: [{route: [{destination: {host: api-v1}, weight: 1}, {destination: {host: api-v2}, weight: 3}]}]
`,
        from: [istio],
        diagnostics: [
          {
            code: 'istio/http-field-dropped',
            pointer: '/spec/exportTo',
            data: { field: 'exportTo' },
          },
        ],
      },
      {
        name: 'a TCP-only VirtualService is a split when the Service has only TCP ports',
        input: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db, namespace: shop}
spec:
  hosts: [db]
  tcp:
    - match: [{port: 3306}]
      route: [{destination: {host: db-v1}}]
    - route: [{destination: {host: db-v1}, weight: 80}, {destination: {host: db-v2}, weight: 20}]
`,
        context,
        from: [istio],
        output: `apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata:
  name: db
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshlingo
  annotations:
    meshlingo.io/source: networking.istio.io/v1/VirtualService/shop/db
spec:
  service: db
  backends:
    - service: db-v1
      weight: 80
    - service: db-v2
      weight: 20
`,
        core: { onUnrepresentable: 'narrow' },
        diagnostics: [
          { code: 'istio/tcp-route-dropped', severity: 'warning', pointer: '/spec/tcp/0' },
        ],
      },
    ],
    invalid: [
      {
        name: 'a TCP-only VirtualService does not split the HTTP ports of its Service',
        input: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: shop}
spec:
  hosts: [api]
  tcp: [{route: [{destination: {host: api-v1}, weight: 1}, {destination: {host: api-v2}, weight: 1}]}]
`,
        context,
        from: [istio],
        output: '',
        diagnostics: [
          { code: 'istio/route-shape', pointer: '/spec/tcp/0', effect: 'changes-routing' },
        ],
      },
      {
        name: 'a CUSTOM policy is refused: without it more traffic would be allowed',
        input: policy(`{action: CUSTOM, provider: {name: opa}, rules: [{}]}`),
        context,
        from: [istio],
        diagnostics: [
          { code: 'istio/workloads-default-allow' },
          {
            code: 'istio/policy-action-dropped',
            severity: 'error',
            data: { action: 'CUSTOM' },
            effect: 'widens-access',
          },
        ],
      },
      {
        name: 'waypoint policies (targetRefs) and foreign trust domains cannot be named in SMI',
        input:
          policy(`{targetRefs: [{kind: Service, name: api}], rules: [{}]}`) +
          '---' +
          policy(
            `{${selectApi}, rules: [{from: [{source: {principals: [other.org/ns/shop/sa/web]}}]}]}`,
            'q',
          ),
        context,
        from: [istio],
        diagnostics: [
          { code: 'istio/workloads-default-allow' },
          {
            code: 'istio/target-refs-unsupported',
            pointer: '/spec/targetRefs',
            data: { targets: 'Service/api' },
          },
          { code: 'istio/source-unresolved', pointer: '/spec/rules/0/from/0/source/principals/0' },
        ],
      },
      {
        name: 'methods SMI cannot name and a port of unknown protocol in an HTTP rule are refused',
        input:
          policy(`{${selectApi}, rules: [{${fromWeb}, to: [{operation: {methods: [PURGE]}}]}]}`) +
          '---' +
          policy(
            `{${selectApi}, rules: [{${fromWeb}, to: [{operation: {ports: ["7000"], paths: ["/x"]}}]}]}`,
            'q',
          ),
        context,
        from: [istio],
        diagnostics: [
          { code: 'istio/workloads-default-allow' },
          {
            code: 'istio/method-not-representable',
            pointer: '/spec/rules/0/to/0/operation/methods/0',
            data: { method: 'PURGE' },
          },
          {
            code: 'istio/http-port-ambiguous',
            pointer: '/spec/rules/0/to/0/operation/ports',
            data: { port: 7000, protocol: 'unknown' },
          },
        ],
      },
      {
        name: 'delegation, TLS routes and external hosts have no TrafficSplit form',
        input: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [api, www.example.org]
  http:
    - match: [{uri: {prefix: /x}}]
      delegate: {name: other}
    - route: [{destination: {host: api-v1}}]
  tls:
    - match: [{sniHosts: [api]}]
      route: [{destination: {host: api-v1}}]
`,
        from: [istio],
        diagnostics: [
          {
            code: 'istio/host-not-service',
            pointer: '/spec/hosts/1',
            data: { host: 'www.example.org' },
          },
          { code: 'istio/route-shape', pointer: '/spec/http/0/delegate' },
          { code: 'istio/tls-route-dropped', pointer: '/spec/tls' },
        ],
      },
    ],
  });

  it('claims every istio.io API group and nothing else', () => {
    for (const apiVersion of [
      'networking.istio.io/v1alpha3',
      'security.istio.io/v1',
      'rbac.istio.io/v1alpha1',
      'telemetry.istio.io/v1',
    ])
      expect(claimsIstio({ apiVersion, kind: 'X' })).toBe(true);
    for (const apiVersion of [
      'gateway.networking.k8s.io/v1',
      'split.smi-spec.io/v1alpha4',
      'policy.linkerd.io/v1beta3',
      'v1',
    ])
      expect(claimsIstio({ apiVersion, kind: 'X' })).toBe(false);
  });
});
