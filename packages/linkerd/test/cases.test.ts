import { AdapterTester } from '@meshlingo/conformance';
import { smiAdapter } from '@meshlingo/core';
import { describe, it } from 'vitest';
import linkerd from '../src/index.js';
import { C0 } from './helpers.js';

const framework = { describe, it };
const deny = { linkerd: { defaultDeny: 'cluster' } };

const TWO_PORTS = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, appProtocol: http}, {name: dns, port: 53, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: web-v1, namespace: shop}
spec:
  selector: {app: web, version: v1}
  ports: [{name: other, port: 81}]
`;

// SMI to Linkerd: diagnostics the golden fixtures do not show.
new AdapterTester(framework).run(linkerd, {
  valid: [
    {
      name: 'UDP ports of a root Service and backends without the port are reported',
      input: `
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: web-split, namespace: shop}
spec:
  service: web
  backends: [{service: web-v1, weight: 1}, {service: web-v2, weight: 1}]
`,
      context: TWO_PORTS,
      options: deny,
      diagnostics: [
        {
          code: 'linkerd/split-udp-port',
          pointer: '/spec/service',
          data: { port: 53 },
          effect: 'changes-routing',
        },
        {
          code: 'linkerd/backend-port-missing',
          pointer: '/spec/backends/0',
          data: { backend: 'shop/web-v1', port: 80 },
        },
      ],
    },
    {
      name: 'weights above the HTTPRoute maximum are reduced, rescaled only when needed',
      input: `
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: big, namespace: shop}
spec:
  service: api
  backends: [{service: api-v1, weight: 3000000}, {service: api-v2, weight: 1000001}]
`,
      context: C0,
      options: deny,
      diagnostics: [
        { code: 'linkerd/weights-rescaled', pointer: '/spec/backends', effect: 'changes-routing' },
      ],
    },
    {
      name: 'a split with matches on a Service port that does not carry HTTP keeps the HTTPRoute',
      input: `
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: beta, namespace: shop}
spec:
  matches: [{name: beta, headers: [{x-beta: "true"}]}]
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: db-split, namespace: shop}
spec:
  service: db
  matches: [{kind: HTTPRouteGroup, name: beta}]
  backends: [{service: db-a, weight: 1}]
`,
      context: `
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  selector: {app: db}
  ports: [{name: tcp-db, port: 5432}]
`,
      options: deny,
      diagnostics: [],
    },
  ],
  invalid: [
    {
      name: 'IdentityBinding subjects cannot be authenticated',
      input: `
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: api-tcp, namespace: shop}
spec:
  matches: {ports: [8080]}
---
apiVersion: access.smi-spec.io/v1alpha4
kind: IdentityBinding
metadata: {name: web-pods, namespace: shop}
spec:
  schemes:
    podLabelSelector: {matchLabels: {app: web}}
---
apiVersion: access.smi-spec.io/v1alpha4
kind: TrafficTarget
metadata: {name: web-to-api, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: [{kind: TCPRoute, name: api-tcp}]
  sources: [{kind: IdentityBinding, name: web-pods, namespace: shop}]
`,
      context: C0,
      core: { experimental: true },
      options: deny,
      diagnostics: [
        { code: 'linkerd/identity-binding', severity: 'error', pointer: '/spec/sources' },
      ],
    },
  ],
});

// Linkerd to SMI: what hand-written objects carry that SMI cannot.
new AdapterTester(framework).run(smiAdapter, {
  valid: [
    {
      name: 'identities SMI cannot name and references Linkerd ignores',
      from: [linkerd],
      context: C0,
      options: deny,
      input: `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: api-http, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, port: http}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: mixed, namespace: shop}
spec:
  identityRefs:
    - {kind: ServiceAccount, name: web}
    - {kind: Namespace, name: ops}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: foreign, namespace: shop}
spec:
  identities: [web.shop.serviceaccount.identity.linkerd.example.org]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: mixed, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: api-http}
  requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: mixed}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: foreign, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: api-http}
  requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: foreign}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: missing, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: api-grpc}
  requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: mixed}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: grpc, namespace: shop}
spec:
  targetRef: {group: gateway.networking.k8s.io, kind: GRPCRoute, name: api-grpc}
  requiredAuthenticationRefs: [{kind: ServiceAccount, name: web}]
`,
      diagnostics: [
        {
          code: 'linkerd/identity-wildcard',
          pointer: '/spec/identityRefs/1',
          effect: 'narrows-access',
        },
        {
          code: 'linkerd/foreign-identity',
          pointer: '/spec/identities/0',
          effect: 'narrows-access',
        },
        {
          code: 'linkerd/dangling-reference',
          pointer: '/spec/targetRef',
          data: { target: 'Server api-grpc' },
        },
        {
          code: 'linkerd/unsupported-target',
          pointer: '/spec/targetRef',
          effect: 'narrows-access',
        },
      ],
    },
    {
      name: 'Servers that map to no whole ServiceAccount',
      from: [linkerd],
      core: { onUnrepresentable: 'narrow' },
      context: `${C0}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api-canary, namespace: shop}
spec:
  selector: {matchLabels: {app: api-canary}}
  template:
    metadata: {labels: {app: api-canary}}
    spec: {serviceAccountName: api, containers: [{name: api, image: x, ports: [{name: http, containerPort: 8080}]}]}
`,
      options: deny,
      input: `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: stable-only, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, port: 8080}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: nobody, namespace: shop}
spec: {podSelector: {matchLabels: {app: none}}, port: 8080}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: bad-port, namespace: shop}
spec: {podSelector: {matchExpressions: [{key: app, operator: In, values: [api, api-canary]}]}, port: admin}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: vms, namespace: shop}
spec: {externalWorkloadSelector: {matchLabels: {app: vm}}, port: 8080}
`,
      diagnostics: [
        {
          code: 'linkerd/server-partial-account',
          severity: 'warning',
          pointer: '/spec/podSelector',
          data: { serviceAccount: 'shop/api' },
        },
        { code: 'linkerd/server-no-pods', pointer: '/spec/podSelector' },
        { code: 'linkerd/server-port-unresolved', pointer: '/spec/port', data: { port: 'admin' } },
        { code: 'linkerd/external-workloads', pointer: '/spec/externalWorkloadSelector' },
      ],
    },
    {
      name: 'a route-level authorization on some ports only, widened to a TCPRoute rule',
      from: [linkerd],
      core: { onUnrepresentable: 'widen' },
      context: C0,
      options: deny,
      input: `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: api-http, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, port: 8080}
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: reads, namespace: shop}
spec:
  parentRefs: [{group: policy.linkerd.io, kind: Server, name: api-http}]
  rules:
    - matches: [{path: {type: RegularExpression, value: "/a|/b"}, method: GET}, {method: FETCH}]
      timeouts: {request: 1s}
  annotations: {}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: reads, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: HTTPRoute, name: reads}
  requiredAuthenticationRefs: [{kind: ServiceAccount, name: web}]
`,
      diagnostics: [
        {
          code: 'linkerd/regex-preference',
          pointer: '/spec/rules/0/matches/0/path/value',
          effect: 'widens-access',
        },
        {
          code: 'linkerd/invalid-method',
          pointer: '/spec/rules/0/matches/1/method',
          data: { method: 'FETCH' },
        },
        { code: 'linkerd/timeouts', pointer: '/spec/rules/0/timeouts' },
        {
          code: 'linkerd/route-authorization-ports',
          severity: 'warning',
          pointer: '/spec/targetRef',
          data: { ports: '8080', serviceAccount: 'shop/api' },
          effect: 'widens-access',
        },
      ],
    },
    {
      name: 'outbound routes whose rules or backends SMI cannot carry',
      from: [linkerd],
      context: TWO_PORTS,
      options: deny,
      input: `
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata:
  name: web-split
  namespace: shop
  annotations: {retry.linkerd.io/http: 5xx}
spec:
  parentRefs: [{group: core, kind: Service, name: web, port: 80}]
  rules:
    - matches: [{path: {type: PathPrefix, value: /v2}}]
      backendRefs: [{name: web-v2, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /v3}}]
      backendRefs: [{name: web-v3, port: 81}, {name: other, namespace: ops, port: 80}, {name: nocport}]
      filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x, value: y}]}}]
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: consumer, namespace: ops}
spec:
  parentRefs: [{group: core, kind: Service, name: web, namespace: shop}]
  rules: [{backendRefs: [{name: web-v1, namespace: shop, port: 80}]}]
`,
      diagnostics: [
        { code: 'linkerd/retries', pointer: '/metadata/annotations/retry.linkerd.io~1http' },
        { code: 'linkerd/unmatched-fail', pointer: '/spec/rules', effect: 'changes-routing' },
        { code: 'linkerd/split-rules', pointer: '/spec/rules/1', effect: 'changes-routing' },
        {
          code: 'linkerd/outbound-filters',
          pointer: '/spec/rules/1/filters',
          effect: 'changes-routing',
        },
        {
          code: 'linkerd/consumer-route',
          pointer: '/spec/parentRefs/0',
          effect: 'changes-routing',
        },
      ],
    },
    {
      name: 'ServiceProfiles: wrong names, foreign authorities and all-zero splits shadowing routes',
      from: [linkerd],
      context: C0,
      options: deny,
      input: `
apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: {name: api.shop.svc.example.org, namespace: shop}
spec:
  dstOverrides: [{authority: api-v1.shop.svc.example.org, weight: 1}]
---
apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: {name: api.shop.svc.cluster.local, namespace: shop}
spec:
  opaquePorts: ["9090"]
  dstOverrides:
    - {authority: api-v1.shop.svc.cluster.local, weight: 0}
    - {authority: api-v2.ops.svc.cluster.local, weight: 1}
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: shadowed, namespace: shop}
spec:
  parentRefs: [{group: core, kind: Service, name: api}]
  rules: [{backendRefs: [{name: api-v2, port: 80}]}]
`,
      diagnostics: [
        { code: 'linkerd/profile-name', pointer: '/metadata/name', effect: 'changes-routing' },
        {
          code: 'linkerd/split-all-zero',
          data: { kind: 'ServiceProfile' },
          effect: 'changes-routing',
        },
        { code: 'linkerd/opaque-ports', pointer: '/spec/opaquePorts' },
        { code: 'linkerd/backend-dropped', pointer: '/spec/dstOverrides/1' },
        { code: 'linkerd/route-ignored', pointer: '/spec/parentRefs' },
      ],
    },
  ],
  invalid: [
    {
      name: 'a Server covering part of a ServiceAccount is an error by default',
      from: [linkerd],
      context: `${C0}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api-canary, namespace: shop}
spec:
  selector: {matchLabels: {app: api-canary}}
  template:
    metadata: {labels: {app: api-canary}}
    spec: {serviceAccountName: api, containers: [{name: api, image: x}]}
`,
      options: deny,
      input: `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: stable-only, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, port: 8080}
`,
      diagnostics: [
        {
          code: 'linkerd/server-partial-account',
          severity: 'error',
          pointer: '/spec/podSelector',
          data: { server: 'shop/stable-only', others: 'Deployment/api-canary' },
        },
      ],
    },
  ],
});
