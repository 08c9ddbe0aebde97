import { AdapterTester } from '@meshlingo/conformance';
import { convert } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import linkerd, { LinkerdOptionsSchema, targetApis } from '../src/index.js';
import { C0 } from './helpers.js';

const framework = { describe, it };
const deny = { linkerd: { defaultDeny: 'cluster' } };

const workload = (name: string, account: string, labels: string, ports = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
      serviceAccountName: ${account}
      containers: [{name: app, image: x${ports === '' ? '' : `, ports: ${ports}`}}]
`;

const TCP_TARGET = `
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: api-tcp, namespace: shop}
spec: {matches: {ports: [8080]}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: web-to-api, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: [{kind: TCPRoute, name: api-tcp}]
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`;

const HTTP_TARGET = `
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: reads, namespace: shop}
spec:
  matches: [{name: all-gets, methods: [GET]}]
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: web-to-api, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: [{kind: HTTPRouteGroup, name: reads, matches: [all-gets]}]
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`;

const SHARING = `${workload('api', 'api', '{app: api}', '[{containerPort: 8080}]')}
---
${workload('api-admin', 'admin', '{app: api, tier: admin}', '[{containerPort: 8080}]')}`;

new AdapterTester(framework).run(linkerd, {
  valid: [
    {
      name: 'widen writes the shared labels even though they select pods of another ServiceAccount',
      input: TCP_TARGET,
      context: SHARING,
      options: deny,
      core: { onUnrepresentable: 'widen' },
      diagnostics: [
        {
          code: 'linkerd/selector-too-broad',
          severity: 'warning',
          pointer: '/spec/destination',
          data: {
            namespace: 'shop',
            serviceAccount: 'api',
            selector: 'app=api',
            others: 'Deployment/api-admin',
          },
          effect: 'widens-access',
        },
      ],
    },
    {
      name: 'narrow leaves out UDP rules, which Linkerd cannot authorize',
      input: `
apiVersion: specs.smi-spec.io/v1alpha4
kind: UDPRoute
metadata: {name: dns, namespace: shop}
spec: {matches: {ports: [53]}}
---
apiVersion: access.smi-spec.io/v1alpha4
kind: TrafficTarget
metadata: {name: web-to-api-dns, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: [{kind: UDPRoute, name: dns}]
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`,
      context: C0,
      options: deny,
      core: { onUnrepresentable: 'narrow', experimental: true },
      output: '',
      diagnostics: [
        {
          code: 'linkerd/udp-unsupported',
          severity: 'warning',
          data: { route: 'dns' },
          effect: 'narrows-access',
        },
      ],
    },
  ],
  invalid: [
    {
      name: 'no selector picks exactly the pods of the destination ServiceAccount',
      input: TCP_TARGET,
      context: SHARING,
      options: deny,
      output: '',
      diagnostics: [
        {
          code: 'linkerd/selector-too-broad',
          severity: 'error',
          pointer: '/spec/destination',
          data: { serviceAccount: 'api', others: 'Deployment/api-admin' },
        },
      ],
    },
    {
      name: 'the workloads of the destination share no label',
      input: TCP_TARGET,
      context: `${workload('api-a', 'api', '{app: api-a}')}
---
${workload('api-b', 'api', '{app: api-b}')}`,
      options: deny,
      output: '',
      diagnostics: [
        {
          code: 'linkerd/no-common-labels',
          pointer: '/spec/destination',
          data: { namespace: 'shop', serviceAccount: 'api' },
        },
      ],
    },
    {
      name: 'HTTP rules for every port of pods that declare no port',
      input: HTTP_TARGET,
      context: workload('api', 'api', '{app: api}'),
      options: deny,
      output: '',
      diagnostics: [
        {
          code: 'linkerd/no-ports',
          pointer: '/spec/destination',
          data: { namespace: 'shop', serviceAccount: 'api' },
        },
      ],
    },
  ],
});

describe('emit: more', () => {
  it('selects the pods by the shared labels when widening', () => {
    const result = convert(TCP_TARGET, {
      to: [linkerd],
      context: SHARING,
      adapterOptions: deny,
      onUnrepresentable: 'widen',
    });
    const servers = result.objects.filter((o) => o.kind === 'Server');
    expect(servers.map((s) => s.spec)).toEqual([
      { podSelector: { matchLabels: { app: 'api' } }, port: 8080, accessPolicy: 'deny' },
    ]);
  });

  it('reduces HTTPRoute weights above the maximum without rescaling when that is enough', () => {
    const result = convert(
      `
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: big, namespace: shop}
spec:
  service: api
  backends: [{service: api-v1, weight: 3000000}, {service: api-v2, weight: 1000000}]
`,
      { to: [linkerd], context: C0, adapterOptions: deny },
    );
    expect(result.diagnostics).toEqual([]);
    const routes = result.objects.filter((o) => o.kind === 'HTTPRoute');
    expect(routes).toHaveLength(1);
    const spec = routes[0]?.spec as {
      rules: { backendRefs: { name: string; weight: number }[] }[];
    };
    expect(spec.rules.map((r) => r.backendRefs.map((b) => [b.name, b.weight]))).toEqual([
      [
        ['api-v1', 3],
        ['api-v2', 1],
      ],
    ]);
  });
});

describe('targetApis', () => {
  const apis = (linkerdVersion: string, routeGroup: 'policy' | 'gateway' = 'policy') =>
    targetApis(LinkerdOptionsSchema.parse({ linkerdVersion, routeGroup }));

  it('follows the versions each Linkerd release serves', () => {
    expect(apis('2.12')).toMatchObject({
      server: 'policy.linkerd.io/v1beta1',
      httpRoute: 'policy.linkerd.io/v1beta1',
      serviceRoutes: false,
      accessPolicy: false,
    });
    expect(apis('2.12').tcpRoute).toBeUndefined();
    expect(apis('2.13')).toMatchObject({
      server: 'policy.linkerd.io/v1beta1',
      httpRoute: 'policy.linkerd.io/v1beta2',
      serviceRoutes: true,
    });
    expect(apis('2.14').httpRoute).toBe('policy.linkerd.io/v1beta3');
    expect(apis('2.15').server).toBe('policy.linkerd.io/v1beta2');
    expect(apis('2.16')).toMatchObject({ server: 'policy.linkerd.io/v1beta3', accessPolicy: true });
    expect(apis('2.16').tcpRoute).toBeUndefined();
    expect(apis('2.17').tcpRoute).toBe('gateway.networking.k8s.io/v1alpha2');
  });

  it('writes Gateway API HTTPRoutes from 2.14, at v1 from 2.18', () => {
    expect(apis('2.13', 'gateway').httpRoute).toBe('policy.linkerd.io/v1beta2');
    expect(apis('2.14', 'gateway').httpRoute).toBe('gateway.networking.k8s.io/v1beta1');
    expect(apis('2.18', 'gateway').httpRoute).toBe('gateway.networking.k8s.io/v1');
  });
});
