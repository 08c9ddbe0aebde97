import { AdapterTester, runCase } from '@meshlingo/conformance';
import {
  convert,
  defineAdapter,
  FEATURE_IDS,
  indexContext,
  readInput,
  smiAdapter,
  type AccessRequest,
  type CapabilityMatrix,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import istio, { authorizeIstio as authorize, IstioOptionsSchema } from '../src/index.js';

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
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: tcp-admin, port: 9090}, {name: metrics, port: 7000}]
`;

const target = (rules: string, extra = '') => `${extra}
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: tt, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: ${rules}
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`;

const group = (matches: string) => `
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g, namespace: shop}
spec:
  matches: ${matches}
---`;

const tcpRoute = (ports: string) => `
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: t, namespace: shop}
spec:
  matches: {ports: ${ports}}
---`;

describe('emit: hand-written cases', () => {
  new AdapterTester({ describe, it }).run(istio, {
    valid: [
      {
        name: 'a match without conditions keeps an HTTP field so its rule stays off TCP ports',
        input: target('[{kind: HTTPRouteGroup, name: g}]', group('[{name: all, methods: ["*"]}]')),
        context,
        options: { istio: { defaultDeny: 'namespaces' } },
        diagnostics: [{ code: 'istio/default-deny', severity: 'info' }],
      },
      {
        name: 'a TCP port of unknown protocol beside HTTP rules, widened, becomes a ports-only rule',
        input: target(
          '[{kind: TCPRoute, name: t}, {kind: HTTPRouteGroup, name: g}]',
          group('[{name: m, methods: [GET]}]') + tcpRoute('[8080, 7000]'),
        ),
        context,
        core: { onUnrepresentable: 'widen' },
        diagnostics: [
          { code: 'istio/default-allow' },
          {
            code: 'istio/tcp-port-protocol-unknown',
            severity: 'warning',
            data: { port: '7000' },
            effect: 'widens-access',
          },
          { code: 'istio/http-matches-skip-tcp-port', data: { ports: '7000' } },
        ],
      },
      {
        name: 'routes no TrafficTarget or split uses are reported as unused',
        input:
          tcpRoute('[1]') +
          target('[{kind: HTTPRouteGroup, name: g}]', group('[{name: m, pathRegex: /x}]')),
        context,
        diagnostics: [
          { code: 'istio/default-allow' },
          { code: 'istio/unused-route', data: { kind: 'TCPRoute', name: 'shop/t' } },
        ],
      },
    ],
    invalid: [
      {
        name: 'a TCP port of unknown protocol beside HTTP rules is an error by default',
        input: target(
          '[{kind: TCPRoute, name: t}, {kind: HTTPRouteGroup, name: g}]',
          group('[{name: m, methods: [GET]}]') + tcpRoute('[7000]'),
        ),
        context,
        output: '',
        diagnostics: [
          { code: 'istio/default-allow' },
          {
            code: 'istio/tcp-port-protocol-unknown',
            severity: 'error',
            pointer: '/spec/rules',
            data: { port: '7000', namespace: 'shop', serviceAccount: 'api' },
          },
        ],
      },
      {
        name: 'IdentityBinding subjects are refused',
        input:
          `
apiVersion: access.smi-spec.io/v1alpha4
kind: IdentityBinding
metadata: {name: ib, namespace: shop}
spec: {schemes: {serviceAccount: web}}
---` +
          target('[{kind: TCPRoute, name: t}]', tcpRoute('[9090]'))
            .replace(
              'sources: [{kind: ServiceAccount, name: web, namespace: shop}]',
              'sources: [{kind: IdentityBinding, group: access.smi-spec.io, name: ib, namespace: shop}]',
            )
            .replace('v1alpha3', 'v1alpha4'),
        context,
        core: { experimental: true },
        output: '',
        diagnostics: [
          { code: 'istio/default-allow' },
          {
            code: 'istio/identity-binding-unsupported',
            severity: 'error',
            data: { name: 'shop/ib' },
          },
        ],
      },
    ],
  });

  it('an unconditioned match allows any HTTP request but no plain TCP (checked with the evaluator)', () => {
    const result = runCase(istio, {
      input: target('[{kind: HTTPRouteGroup, name: g}]', group('[{name: all, methods: ["*"]}]')),
      context,
      options: { istio: { defaultDeny: 'namespaces' } },
    });
    const env = { options: IstioOptionsSchema.parse({}), cluster: indexContext(result.context) };
    const request = (protocol: 'http' | 'tcp', port: number): AccessRequest => ({
      source: { namespace: 'shop', name: 'web' },
      destination: { namespace: 'shop', name: 'api', podLabels: { app: 'api' } },
      protocol,
      port,
      ...(protocol === 'http' && { http: { method: 'PATCH', path: '/anything' } }),
    });
    expect(authorize(result.objects, request('http', 8080), env).allowed).toBe(true);
    expect(authorize(result.objects, request('tcp', 9090), env).allowed).toBe(false);
  });

  it('writes only access when another target takes routing (--to other,istio)', () => {
    const routingOnly = defineAdapter({
      ...smiAdapter,
      name: 'routing-only',
      capabilities: Object.fromEntries(
        FEATURE_IDS.map((id) => [id, { level: id.startsWith('split.') ? 'full' : 'none' }]),
      ) as CapabilityMatrix,
      emit: () => [],
    });
    const input = `${target('[{kind: TCPRoute, name: t}]', tcpRoute('[9090]'))}---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: s, namespace: shop}
spec: {service: api, backends: [{service: api-v1, weight: 1}]}
`;
    expect(readInput(input, { context }).diagnostics.filter((d) => d.severity === 'error')).toEqual(
      [],
    );
    expect(convert(input, { to: [istio], context }).objects.map((o) => o.kind)).toEqual([
      'AuthorizationPolicy',
      'VirtualService',
    ]);
    expect(
      convert(input, { to: [routingOnly, istio], context }).objects.map((o) => o.kind),
    ).toEqual(['AuthorizationPolicy']);
  });
});
