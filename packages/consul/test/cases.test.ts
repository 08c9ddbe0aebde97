import { AdapterTester } from '@meshlingo/conformance';
import { smiAdapter } from '@meshlingo/core';
import { describe, it } from 'vitest';
import consul from '../src/index.js';

const tester = new AdapterTester({ describe, it });

const split = (name: string, namespace: string, service: string, backends: string): string => `
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  service: ${service}
  backends: ${backends}
`;

const services = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Service
metadata: {name: web-v1, namespace: shop}
spec: {selector: {app: web, version: v1}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v1, namespace: shop}
spec:
  selector: {matchLabels: {app: web, version: v1}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec: {serviceAccountName: web, containers: [{name: web, image: web}]}
`;

describe('SMI to Consul: hand-written cases', () => {
  tester.run(consul, {
    valid: [
      {
        name: 'a backend with its own TrafficSplit is split again by Consul',
        input: `${split('outer', 'shop', 'web', '[{service: web-a, weight: 1}, {service: web-b, weight: 1}]')}---${split('inner', 'shop', 'web-a', '[{service: web-a1, weight: 1}]')}`,
        diagnostics: [
          { code: 'consul/service-defaults-protocol', line: 2, data: { service: 'web' } },
          { code: 'consul/service-defaults-protocol', line: 2, data: { service: 'web-b' } },
          {
            code: 'consul/nested-split',
            line: 7,
            pointer: '/spec/backends/0',
            effect: 'changes-routing',
          },
          { code: 'smi/nested-split', line: 7 },
          { code: 'consul/service-defaults-protocol', line: 9, data: { service: 'web-a' } },
          { code: 'consul/service-defaults-protocol', line: 9, data: { service: 'web-a1' } },
        ],
      },
      {
        name: 'subsets asked for but not derivable fall back to services, reported',
        input: split(
          'canary',
          'shop',
          'web',
          '[{service: web-v1, weight: 1}, {service: other, weight: 1}]',
        ),
        context: services,
        options: { consul: { backends: 'subsets' } },
        diagnostics: [
          { code: 'consul/service-defaults-protocol', data: { service: 'other' } },
          { code: 'consul/service-defaults-protocol', data: { service: 'web' } },
          { code: 'consul/backend-service-ignore', pointer: '/spec/backends/0' },
          { code: 'consul/subset-meta-required', pointer: '/spec/backends/0' },
          {
            code: 'consul/subset-not-derivable',
            pointer: '/spec/backends/1',
            data: {
              service: 'other',
              reason: 'the context holds no Service for it or for the root',
            },
          },
        ],
      },
      {
        name: 'before Consul 1.16 a virtual root gets no virtual IP; unmatched requests find no instances',
        input: `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: beta, namespace: shop}
spec:
  matches: [{name: beta, headers: [{x-beta: "true"}]}]
---${split('ab', 'shop', 'web', '[{service: web-v1, weight: 1}]').replace('spec:', 'spec:\n  matches: [{kind: HTTPRouteGroup, name: beta}]')}`,
        context: services,
        options: { consul: { backends: 'services', consulVersion: '1.15' } },
        diagnostics: [
          { code: 'consul/root-service-ignore', data: { root: 'web', backends: 'web-v1' } },
          { code: 'consul/root-without-instances', effect: 'changes-routing' },
          { code: 'consul/virtual-ip-unsupported', data: { consulVersion: '1.15' } },
          { code: 'consul/service-defaults-protocol', data: { service: 'web' } },
          { code: 'consul/service-defaults-protocol', data: { service: 'web-smi-ab' } },
          { code: 'consul/service-defaults-protocol', data: { service: 'web-v1' } },
          { code: 'consul/virtual-service-created', data: { virtual: 'web-smi-ab' } },
          { code: 'consul/backend-account-mismatch', data: { service: 'web-v1', accounts: 'web' } },
        ],
      },
      {
        name: 'ServiceAccounts Consul identities cannot use are reported; unused routes too',
        input: `apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: all, namespace: shop}
spec: {matches: {ports: []}}
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: unused, namespace: shop}
spec: {matches: {ports: []}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: t, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: web, namespace: shop}
  rules: [{kind: TCPRoute, name: all}]
  sources: [{kind: ServiceAccount, name: default, namespace: shop}]
`,
        context: services.replace(
          'name: web, namespace: shop}\nspec: {selector: {app: web}}',
          'name: frontend, namespace: shop}\nspec: {selector: {app: web}}',
        ),
        diagnostics: [
          {
            code: 'consul/unreferenced-route',
            line: 6,
            data: { kind: 'TCPRoute', name: 'unused' },
          },
          {
            code: 'consul/service-name-mismatch',
            pointer: '/spec/destination',
            data: { services: 'frontend,web-v1' },
          },
          { code: 'consul/default-service-account', pointer: '/spec/sources/0' },
        ],
      },
    ],
    invalid: [
      {
        name: 'without Enterprise namespaces two roots of one name collide',
        input: `${split('a', 'shop', 'web', '[{service: web-v1, weight: 1}]')}---${split('b', 'ops', 'web', '[{service: web-v2, weight: 1}]')}`,
        diagnostics: [
          {
            code: 'consul/split-collision',
            severity: 'error',
            line: 2,
            data: { kind: 'ServiceSplitter', name: 'web', other: 'TrafficSplit ops/b' },
          },
          { code: 'consul/service-defaults-protocol', line: 9, data: { service: 'web' } },
          { code: 'consul/service-defaults-protocol', line: 9, data: { service: 'web-v2' } },
        ],
      },
    ],
  });
});

const intentions = (
  name: string,
  spec: string,
): string => `apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceIntentions
metadata: {name: ${name}, namespace: shop}
spec:
${spec}
`;

describe('Consul to SMI: hand-written cases', () => {
  tester.run(smiAdapter, {
    valid: [
      {
        name: 'L7 permissions on a service without an HTTP protocol are not applied by Consul',
        input: intentions(
          'api',
          `  destination: {name: api}
  sources:
    - name: web
      permissions: [{action: allow, http: {pathPrefix: /}}]`,
        ),
        from: [consul],
        diagnostics: [
          {
            code: 'consul/l7-requires-http',
            pointer: '/spec/sources/0/permissions',
            data: { source: 'web', destination: 'api', protocol: 'tcp' },
          },
        ],
        output: '',
      },
      {
        name: 'Consul names that cannot be ServiceAccounts are left out',
        input: intentions(
          'api',
          `  destination: {name: api}\n  sources: [{name: Web_Frontend, action: allow}]`,
        ),
        context: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: shop}\n',
        from: [consul],
        diagnostics: [{ code: 'consul/identity-not-account', data: { name: 'Web_Frontend' } }],
        output: '',
      },
      {
        name: 'routes to different destinations: one TrafficSplit keeps the first',
        input: `apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceDefaults
metadata: {name: web, namespace: shop}
spec: {protocol: http}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceRouter
metadata: {name: web, namespace: shop}
spec:
  routes:
    - match: {http: {pathPrefix: /a}}
      destination: {service: web-a}
    - match: {http: {pathPrefix: /b}}
      destination: {service: web-b}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: web, namespace: shop}
spec:
  splits: [{weight: 100, service: web-c}]
`,
        from: [consul],
        diagnostics: [
          {
            code: 'consul/router-destinations-differ',
            line: 10,
            data: { service: 'web', kept: 'web-a' },
          },
          { code: 'consul/router-default-split', line: 16 },
        ],
      },
      {
        name: 'an SMI annotation that cannot be read is ignored',
        input: `apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata:
  name: web
  namespace: shop
  annotations: {consul.meshlingo.io/smi: "[{\\"__proto__\\": {}}]"}
spec:
  splits: [{weight: 100, service: web-v2}]
`,
        from: [consul],
        diagnostics: [
          {
            code: 'consul/smi-annotation-invalid',
            pointer: '/metadata/annotations/consul.meshlingo.io~1smi',
            data: { reason: 'it has a __proto__ key' },
          },
        ],
      },
    ],
    invalid: [
      {
        name: 'a second ServiceIntentions for one destination is rejected by consul-k8s',
        input: `${intentions('one', `  destination: {name: api}\n  sources: [{name: web, action: allow}]`)}---\n${intentions('two', `  destination: {name: api}\n  sources: [{name: batch, action: allow}]`)}`,
        from: [consul],
        diagnostics: [
          { code: 'consul/namespace-assumed', line: 1, data: { name: 'api' } },
          { code: 'consul/namespace-assumed', line: 1, data: { name: 'web' } },
          {
            code: 'consul/duplicate-entry',
            severity: 'error',
            line: 8,
            data: { kind: 'ServiceIntentions', name: 'two' },
          },
        ],
      },
    ],
  });
});
