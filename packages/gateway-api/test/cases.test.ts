import { AdapterTester } from '@meshlingo/conformance';
import { convert, smiAdapter, toYamlStream } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { gatewayApiAdapter } from '../src/index.js';

const WEB = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, appProtocol: http}
`;

const longValue = 'x'.repeat(4097);
const LONG_HEADER = `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: big, namespace: shop}
spec:
  matches:
    - name: huge
      pathRegex: /huge
      headers:
        - x-token: ${longValue}
    - name: small
      pathRegex: /small$
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: web-split, namespace: shop}
spec:
  service: web
  matches: [{kind: HTTPRouteGroup, name: big}]
  backends:
    - {service: web-v1, weight: 1}
    - {service: web-v2, weight: 1}
`;

const SPLIT = `apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: web-split, namespace: shop}
spec:
  service: web
  backends:
    - {service: web-v1, weight: 1}
    - {service: web-v2, weight: 1}
`;

function emitted(input: string, onUnrepresentable: 'error' | 'narrow' | 'widen') {
  return convert(input, { to: [gatewayApiAdapter], context: WEB, onUnrepresentable });
}

new AdapterTester({ describe, it }).run(gatewayApiAdapter, {
  valid: [
    {
      name: 'narrow leaves out a match no route can hold',
      input: LONG_HEADER,
      context: WEB,
      core: { onUnrepresentable: 'narrow' },
      diagnostics: [
        {
          code: 'gateway-api/match-not-representable',
          severity: 'warning',
          line: 8,
          pointer: '/spec/matches/0/headers',
          data: { match: 'huge', group: 'big', onUnrepresentable: 'narrow' },
          effect: 'changes-routing',
        },
      ],
    },
    {
      name: 'widen leaves out the condition instead',
      input: LONG_HEADER,
      context: WEB,
      core: { onUnrepresentable: 'widen' },
      diagnostics: [
        {
          code: 'gateway-api/match-not-representable',
          severity: 'warning',
          data: { onUnrepresentable: 'widen' },
          effect: 'changes-routing',
        },
        { code: 'gateway-api/regex-path', severity: 'info' },
      ],
    },
    {
      name: 'an ExternalName root Service is reported',
      input: SPLIT,
      context: `${WEB.replace('  selector: {app: web}\n', '  type: ExternalName\n  externalName: web.example.org\n')}`,
      diagnostics: [
        {
          code: 'gateway-api/root-service-external',
          severity: 'warning',
          line: 5,
          pointer: '/spec/service',
          data: { service: 'web', type: 'ExternalName' },
        },
      ],
    },
    {
      name: 'a root Service with only UDP ports gets no route',
      input: SPLIT,
      context: WEB.replace(
        '{name: http, port: 80, appProtocol: http}',
        '{name: dns, port: 53, protocol: UDP}',
      ),
      output: '',
      diagnostics: [{ code: 'gateway-api/no-routable-port', severity: 'warning', line: 5 }],
    },
    {
      name: 'grpcRoutes: false writes HTTPRoutes for gRPC ports',
      input: SPLIT,
      context: WEB.replace('appProtocol: http', 'appProtocol: grpc'),
      options: { 'gateway-api': { grpcRoutes: false } },
      diagnostics: [],
    },
  ],
  invalid: [
    {
      name: 'error (the default) leaves the split out',
      input: LONG_HEADER,
      context: WEB,
      output: '',
      diagnostics: [
        {
          code: 'gateway-api/match-not-representable',
          severity: 'error',
          line: 8,
          column: 7,
          pointer: '/spec/matches/0/headers',
          data: { match: 'huge', group: 'big', onUnrepresentable: 'error' },
          effect: 'changes-routing',
        },
      ],
    },
    {
      name: 'more route matches than a route holds',
      input: `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: many, namespace: shop}
spec:
  matches:
${Array.from({ length: 15 }, (_, i) => `    - {name: m${i}, pathRegex: /p${i}$, methods: [GET, HEAD, PUT, POST, DELETE, PATCH, OPTIONS, TRACE, CONNECT]}`).join('\n')}
---
${SPLIT.replace('  backends:', '  matches: [{kind: HTTPRouteGroup, name: many}]\n  backends:')}`,
      context: WEB,
      output: '',
      diagnostics: [
        {
          code: 'gateway-api/too-many-matches',
          severity: 'error',
          data: { count: 135 },
        },
      ],
    },
    {
      name: 'invalid options are rejected',
      input: SPLIT,
      context: WEB,
      options: { 'gateway-api': { version: 'v2.0' } },
      diagnostics: [
        { code: 'core/invalid-options', severity: 'error', data: { adapter: 'gateway-api' } },
      ],
    },
  ],
});

describe('emit details', () => {
  it('narrow keeps the other matches; widen keeps the match without its header', () => {
    const narrow = toYamlStream(emitted(LONG_HEADER, 'narrow').objects);
    expect(narrow).toContain('value: /small');
    expect(narrow).not.toContain('/huge');
    const widen = toYamlStream(emitted(LONG_HEADER, 'widen').objects);
    expect(widen).toContain('value: /huge.*');
    expect(widen).not.toContain('x-token');
  });

  it('packs more than 15 SMI matches into fewer rules and still restores every name', () => {
    const input = `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: many, namespace: shop}
spec:
  matches:
${Array.from({ length: 20 }, (_, i) => `    - {name: m${i}, pathRegex: /p${i}$}`).join('\n')}
---
${SPLIT.replace('  backends:', '  matches: [{kind: HTTPRouteGroup, name: many}]\n  backends:')}`;
    const out = convert(input, { to: [gatewayApiAdapter], context: WEB });
    const rules = (out.objects[0]?.spec as { rules: { name?: string; matches?: unknown[] }[] })
      .rules;
    expect(rules).toHaveLength(2);
    expect(rules[0]?.matches).toHaveLength(20);
    expect(rules[0]?.name).toBeUndefined();
    const back = convert(toYamlStream(out.objects), {
      to: ['smi'],
      from: [gatewayApiAdapter],
      context: WEB,
    });
    expect(back.diagnostics).toEqual([]);
    expect(back.model.httpRouteGroups[0]?.matches.map((m) => m.name)).toEqual(
      Array.from({ length: 20 }, (_, i) => `m${i}`),
    );
  });

  it('composes: --to gateway-api,smi writes GAMMA routes and lets smi write the TrafficTargets', () => {
    const input = `apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: port, namespace: shop}
spec: {matches: {ports: [80]}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: web-from-api, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: web, namespace: shop}
  rules: [{kind: TCPRoute, name: port}]
  sources: [{kind: ServiceAccount, name: api, namespace: shop}]
---
${SPLIT}`;
    const out = convert(input, { to: [gatewayApiAdapter, 'smi'], context: WEB });
    // No traffic-target-not-supported: the access area went to smi, routing to gateway-api.
    expect(out.diagnostics).toEqual([]);
    const kinds = out.objects.map((o) => `${o.apiVersion} ${o.kind}`);
    expect(kinds).toContain('access.smi-spec.io/v1alpha3 TrafficTarget');
    expect(kinds).toContain('gateway.networking.k8s.io/v1 HTTPRoute');
  });
});

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{group: "", kind: Service, name: web, port: 80}]
  rules:
    - backendRefs: [{name: web-v1, port: 80, weight: 3}, {name: web-v2, port: 80}]
`;

new AdapterTester({ describe, it }).run(smiAdapter, {
  valid: [
    {
      name: 'ingest: without the Service in the context, ports cannot be checked',
      input: ROUTE,
      from: [gatewayApiAdapter],
      diagnostics: [
        {
          code: 'gateway-api/ports-unchecked',
          severity: 'info',
          line: 5,
          pointer: '/spec/parentRefs/0',
          data: { namespace: 'shop', service: 'web' },
        },
      ],
    },
    {
      name: 'ingest: two routes that split one Service differently',
      input: `${ROUTE}---\n${ROUTE.replace('name: web, namespace', 'name: web-other, namespace').replace('weight: 3', 'weight: 5')}`,
      context: WEB,
      from: [gatewayApiAdapter],
      diagnostics: [
        {
          code: 'gateway-api/split-conflict',
          severity: 'warning',
          line: 13,
          data: { name: 'shop/web-other', other: 'shop/web', service: 'web' },
          effect: 'changes-routing',
        },
      ],
    },
    {
      name: 'ingest: an edited route no longer matches its annotation',
      input: `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: shop
  annotations:
    meshlingo.io/smi-matches: '{"rules":[[{"group":"g","name":"m","pathRegex":"/a$"}]]}'
spec:
  parentRefs: [{group: "", kind: Service, name: web, port: 80}]
  rules:
    - matches: [{path: {type: Exact, value: /b}}]
      backendRefs: [{name: web-v1, port: 80}]
    - backendRefs: [{name: web, port: 80}]
`,
      context: WEB,
      from: [gatewayApiAdapter],
      output: `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshlingo
  annotations:
    meshlingo.io/source: gateway.networking.k8s.io/v1/HTTPRoute/shop/web
spec:
  matches:
    - name: rule-1
      pathRegex: "/b$"
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshlingo
  annotations:
    meshlingo.io/source: gateway.networking.k8s.io/v1/HTTPRoute/shop/web
spec:
  service: web
  matches:
    - kind: HTTPRouteGroup
      name: web
  backends:
    - service: web-v1
      weight: 1
`,
      diagnostics: [
        {
          code: 'gateway-api/annotation-ignored',
          severity: 'info',
          line: 7,
          pointer: '/metadata/annotations/meshlingo.io~1smi-matches',
        },
      ],
    },
    {
      name: 'ingest: a repeated header name counts once, as in Gateway API',
      input: ROUTE.replace(
        '    - backendRefs: [{name: web-v1',
        '    - matches: [{headers: [{name: x-a, value: "1"}, {name: X-A, value: "2"}]}]\n      backendRefs: [{name: web-v1',
      ).replace('  rules:\n', '  rules:\n    - backendRefs: [{name: web, port: 80}]\n'),
      context: WEB,
      from: [gatewayApiAdapter],
      diagnostics: [
        {
          code: 'gateway-api/duplicate-header',
          severity: 'info',
          line: 8,
          pointer: '/spec/rules/1/matches/0/headers/1',
          data: { name: 'X-A' },
        },
      ],
    },
  ],
  invalid: [
    {
      name: 'ingest: wrong types and non-RE2 regexes are reported at their field',
      input: `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{group: "", kind: Service, name: web, port: 80}]
  rules:
    - matches: [{path: {type: RegularExpression, value: "/a(?=b)"}}]
      backendRefs: [{name: web-v1, port: 80}]
    - backendRefs: [{name: web-v1, port: 80, weight: ten}, {name: web-v2, port: 80}]
  extra: true
`,
      context: WEB,
      from: [gatewayApiAdapter],
      diagnostics: [
        {
          code: 'gateway-api/invalid-regex',
          severity: 'warning',
          line: 7,
          pointer: '/spec/rules/0/matches/0/path/value',
        },
        {
          code: 'gateway-api/fallback-not-root',
          severity: 'warning',
          line: 9,
          pointer: '/spec/rules/1',
          data: { rule: 'rules[1]', backends: 'web-v2', service: 'web' },
        },
        {
          code: 'gateway-api/invalid-field',
          severity: 'error',
          line: 9,
          pointer: '/spec/rules/1/backendRefs/0/weight',
          data: { field: 'spec.rules[1].backendRefs[0].weight' },
        },
        {
          code: 'gateway-api/unknown-field',
          severity: 'warning',
          line: 10,
          pointer: '/spec/extra',
          data: { field: 'spec.extra', kind: 'HTTPRoute' },
          effect: 'changes-routing',
        },
      ],
    },
  ],
});
