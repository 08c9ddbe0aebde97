import { AdapterTester } from '@meshlingo/conformance';
import { convert, smiAdapter, type KubeObject } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import linkerd from '../src/index.js';
import { C0 } from './helpers.js';

const framework = { describe, it };
const deny = { linkerd: { defaultDeny: 'cluster' } };

/**
 * The adapter as the gateway-api adapter hands Gateway API kinds over to it: with `--from
 * linkerd` alone, TCPRoutes never reach it.
 */
const handedOver = {
  ...linkerd,
  claims: (object: KubeObject) =>
    linkerd.claims(object) || object.apiVersion.startsWith('gateway.networking.k8s.io/'),
};

const DB = `
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  selector: {app: db}
  ports: [{name: tcp-db, port: 5432}, {name: tcp-admin, port: 5433}]
`;

const WEB = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, appProtocol: http}]
`;

const SERVER = `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: api-http, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, port: 8080}
`;

describe('Gateway API TCPRoutes handed over', () => {
  it('reads the weighted rule as a TrafficSplit of the parent Service', () => {
    const result = convert(
      `
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db-split, namespace: shop}
spec:
  parentRefs: [{group: core, kind: Service, name: db}]
  rules: [{backendRefs: [{name: db-a, port: 5432, weight: 90}, {name: db-b, port: 5432, weight: 10}]}]
`,
      { to: ['smi'], from: [handedOver], context: DB, adapterOptions: deny },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.model.trafficSplits).toHaveLength(1);
    const [split] = result.model.trafficSplits;
    expect(split?.namespace).toBe('shop');
    expect(split?.service).toBe('db');
    expect(split?.backends.map((b) => [b.service, b.weight])).toEqual([
      ['db-a', 90],
      ['db-b', 10],
    ]);
  });
});

new AdapterTester(framework).run(smiAdapter, {
  valid: [
    {
      name: 'a TCPRoute with more rules than Linkerd uses, on one port of its Service',
      from: [handedOver],
      context: DB,
      options: deny,
      input: `
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db-5432, namespace: shop}
spec:
  parentRefs: [{group: core, kind: Service, name: db, port: 5432}]
  rules:
    - backendRefs: [{name: db-a, port: 5432}]
    - backendRefs: [{name: db-b, port: 5432}]
`,
      diagnostics: [
        {
          code: 'linkerd/parent-port',
          pointer: '/spec/parentRefs',
          data: { kind: 'TCPRoute', route: 'shop/db-5432', ports: '5432', service: 'db' },
          effect: 'changes-routing',
        },
        {
          code: 'linkerd/split-rules',
          pointer: '/spec/rules/1',
          data: { kind: 'TCPRoute', route: 'shop/db-5432', service: 'db' },
          effect: 'changes-routing',
        },
      ],
    },
    {
      name: 'backends of the split rule that SMI cannot name, Gateway parents left aside',
      from: [linkerd],
      context: WEB,
      options: deny,
      input: `
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: web-split, namespace: shop}
spec:
  parentRefs:
    - {group: gateway.networking.k8s.io, kind: Gateway, name: ingress}
    - {group: core, kind: Service, name: web, port: 80}
  rules:
    - backendRefs:
        - {name: web-v1, port: 80}
        - {group: policy.linkerd.io, kind: EgressNetwork, name: internet, port: 80}
        - {name: web-v2, namespace: ops, port: 80}
        - {name: web-v3}
        - {name: web-v4, port: 8080}
`,
      diagnostics: [
        {
          code: 'linkerd/backend-dropped',
          pointer: '/spec/rules/0/backendRefs/1',
          data: { backend: 'shop/internet' },
        },
        {
          code: 'linkerd/backend-dropped',
          pointer: '/spec/rules/0/backendRefs/2',
          data: { backend: 'ops/web-v2' },
        },
        {
          code: 'linkerd/backend-dropped',
          pointer: '/spec/rules/0/backendRefs/3',
          data: { backend: 'shop/web-v3' },
        },
        {
          code: 'linkerd/backend-port',
          pointer: '/spec/rules/0/backendRefs/4/port',
          data: { backend: 'shop/web-v4', port: 8080, rootPort: 80 },
          effect: 'changes-routing',
        },
      ],
    },
    {
      name: 'routes of an opaque Server are ignored',
      from: [linkerd],
      context: C0,
      options: deny,
      input: `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: api-http, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, port: 8080, proxyProtocol: opaque}
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: reads, namespace: shop}
spec:
  parentRefs: [{group: policy.linkerd.io, kind: Server, name: api-http}]
  rules: [{matches: [{method: GET}]}]
`,
      diagnostics: [
        {
          code: 'linkerd/proxy-protocol',
          pointer: '/spec/proxyProtocol',
          data: { server: 'shop/api-http', protocol: 'opaque' },
        },
        {
          code: 'linkerd/route-ignored',
          pointer: '/spec/parentRefs',
          data: { route: 'shop/reads' },
        },
      ],
    },
    {
      name: 'AuthorizationPolicies Linkerd ignores or reads without their networks',
      from: [linkerd],
      context: C0,
      options: deny,
      input: `${SERVER}
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: outbound, namespace: shop}
spec:
  parentRefs: [{group: core, kind: Service, name: api}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: on-outbound, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: HTTPRoute, name: outbound}
  requiredAuthenticationRefs: [{kind: ServiceAccount, name: web}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: other-namespace, namespace: shop}
spec:
  targetRef: {kind: Namespace, name: ops}
  requiredAuthenticationRefs: [{kind: ServiceAccount, name: web}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: missing-authn, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: api-http}
  requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: gone}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: secret-authn, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: api-http}
  requiredAuthenticationRefs: [{kind: Secret, name: token}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: office, namespace: shop}
spec: {networks: [{cidr: 10.20.0.0/16}]}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: office, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: api-http}
  requiredAuthenticationRefs:
    - {kind: ServiceAccount, name: web}
    - {group: policy.linkerd.io, kind: NetworkAuthentication, name: office}
`,
      diagnostics: [
        {
          code: 'linkerd/dangling-reference',
          pointer: '/spec/targetRef',
          data: {
            name: 'shop/on-outbound',
            target: 'HTTPRoute outbound (not attached to a Server)',
          },
        },
        {
          code: 'linkerd/dangling-reference',
          pointer: '/spec/targetRef',
          data: { name: 'shop/other-namespace', target: 'Namespace ops' },
        },
        {
          code: 'linkerd/dangling-reference',
          pointer: '/spec/requiredAuthenticationRefs/0',
          data: { name: 'shop/missing-authn', target: 'MeshTLSAuthentication shop/gone' },
        },
        {
          code: 'linkerd/dangling-reference',
          pointer: '/spec/requiredAuthenticationRefs/0',
          data: { name: 'shop/secret-authn', target: 'Secret token' },
        },
        {
          code: 'linkerd/networks-dropped',
          pointer: '/spec/requiredAuthenticationRefs/1',
          data: { kind: 'AuthorizationPolicy', name: 'shop/office' },
          effect: 'widens-access',
        },
      ],
    },
    {
      name: 'ServerAuthorizations Linkerd ignores or reads without identities',
      from: [linkerd],
      context: C0,
      options: deny,
      input: `${SERVER}
---
apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: missing-server, namespace: shop}
spec:
  server: {name: api-grpc}
  client: {meshTLS: {serviceAccounts: [{name: web}]}}
---
apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: any-tls, namespace: shop}
spec:
  server: {name: api-http}
  client: {meshTLS: {unauthenticatedTLS: true}}
---
apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: nobody, namespace: shop}
spec:
  server: {name: api-http}
  client: {meshTLS: {}}
`,
      diagnostics: [
        {
          code: 'linkerd/dangling-reference',
          pointer: '/spec/server/name',
          data: { kind: 'ServerAuthorization', name: 'shop/missing-server' },
        },
        {
          code: 'linkerd/unauthenticated',
          pointer: '/spec/client/meshTLS/unauthenticatedTLS',
          data: { kind: 'ServerAuthorization', name: 'shop/any-tls' },
        },
        {
          code: 'linkerd/invalid-object',
          pointer: '/spec/client',
          data: { kind: 'ServerAuthorization' },
        },
      ],
    },
  ],
});

describe('ingest of access SMI can carry', () => {
  const read = (input: string) =>
    convert(input, { to: ['smi'], from: [linkerd], context: C0, adapterOptions: deny });

  it('reads a ServerAuthorization with an empty Server selector as one for every Server', () => {
    const result = read(`${SERVER}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: api-metrics, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, port: 9090}
---
apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: web, namespace: shop}
spec:
  server: {selector: {}}
  client: {meshTLS: {serviceAccounts: [{name: web}]}}
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.model.trafficTargets).toHaveLength(1);
    expect(result.model.tcpRoutes.map((r) => r.ports)).toEqual([[8080, 9090]]);
    expect(result.model.trafficTargets[0]?.sources.map((s) => `${s.namespace}/${s.name}`)).toEqual([
      'shop/web',
    ]);
  });

  it('needs no HTTP rule for route-level grants on a port the same sources may use whole', () => {
    // The route takes every request, so the Server-level grant opens the whole port and the
    // route-level grant adds nothing.
    const result = read(`${SERVER}
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: everything, namespace: shop}
spec:
  parentRefs: [{group: policy.linkerd.io, kind: Server, name: api-http}]
  rules: [{}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: web-server, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: api-http}
  requiredAuthenticationRefs: [{kind: ServiceAccount, name: web}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: web-route, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: HTTPRoute, name: everything}
  requiredAuthenticationRefs: [{kind: ServiceAccount, name: web}]
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.model.httpRouteGroups).toEqual([]);
    expect(result.model.trafficTargets.map((t) => t.rules.map((r) => r.kind))).toEqual([
      ['TCPRoute'],
    ]);
    expect(result.model.tcpRoutes.map((r) => r.ports)).toEqual([[8080]]);
  });
});
