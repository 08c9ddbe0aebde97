import { compareDiagnostics, type ExpectedDiagnostic } from '@meshlingo/conformance';
import { convert, type ConvertResult, type Diagnostic } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { gatewayApiAdapter } from '../src/index.js';

const service = (name: string, ports = '[{name: http, port: 80, appProtocol: http}]') => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {app: ${name}}
  ports: ${ports}
---`;

const CONTEXT = service('web');

function ingest(input: string, context = CONTEXT): ConvertResult {
  return convert(input, { to: ['smi'], from: [gatewayApiAdapter], context });
}

function expectDiagnostics(actual: readonly Diagnostic[], expected: ExpectedDiagnostic[]): void {
  expect(compareDiagnostics(actual, expected)).toEqual([]);
}

const D = (code: string, extra: Omit<ExpectedDiagnostic, 'code'> = {}): ExpectedDiagnostic => ({
  code: `gateway-api/${code}`,
  ...extra,
});

const invalid = (pointer: string, reason: string): ExpectedDiagnostic =>
  D('invalid-field', { severity: 'error', pointer, data: { reason } });

function splits(result: ConvertResult) {
  return result.model.trafficSplits.map((s) => ({
    name: s.name,
    service: s.service,
    backends: s.backends.map((b) => `${b.service}:${b.weight}`),
    matches: (s.matches ?? []).map((m) => m.name),
  }));
}

function groups(result: ConvertResult) {
  return result.model.httpRouteGroups.map((g) => ({
    name: g.name,
    matches: g.matches.map((m) => ({
      name: m.name,
      ...(m.pathRegex !== undefined && { pathRegex: m.pathRegex }),
      ...(m.methods !== undefined && { methods: m.methods }),
      ...(m.headers !== undefined && { headers: m.headers.map((h) => [h.name, h.value]) }),
    })),
  }));
}

const route = (kind: string, name: string, spec: string, metadata = '') => `
apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: shop${metadata}
spec:${spec}
---`;

const PARENT = '\n  parentRefs: [{group: "", kind: Service, name: web, port: 80}]';
const TO_ROOT = '      backendRefs: [{name: web, port: 80}]';
const ROOT_RULE = '    - backendRefs: [{name: web, port: 80}]';

describe('references with invalid values', () => {
  it('leaves out a parentRef with an invalid port instead of binding every port', () => {
    const result = ingest(
      route(
        'HTTPRoute',
        'web',
        `
  parentRefs: [{group: "", kind: Service, name: web, port: "80"}]
  rules:
    - backendRefs: [{name: web-v1, port: 80}]`,
      ),
    );
    expect(splits(result)).toEqual([]);
    expectDiagnostics(result.diagnostics, [
      invalid('/spec/parentRefs/0/port', 'must be an integer from 1 to 65535'),
    ]);
  });

  it('leaves out a backendRef with an invalid namespace instead of reading it in the route namespace', () => {
    const result = ingest(
      route(
        'HTTPRoute',
        'web',
        `${PARENT}
  rules:
    - backendRefs:
        - {name: web-v1, namespace: 7, port: 80}
        - {name: web-v2, port: 80}`,
      ),
    );
    expect(splits(result)).toEqual([
      { name: 'web', service: 'web', backends: ['web-v2:1'], matches: [] },
    ]);
    expectDiagnostics(result.diagnostics, [
      invalid('/spec/rules/0/backendRefs/0/namespace', 'must be a string'),
    ]);
  });

  it('reports references that are no objects, lack a name, or name no Service', () => {
    const result = ingest(
      route(
        'HTTPRoute',
        'web',
        `
  parentRefs:
    - web
    - {group: "", kind: Service, port: 80}
    - {group: "", kind: ServiceImport, name: web}
    - {group: "", kind: Service, name: web, port: 80}
  rules:
    - "rule"
    - backendRefs:
        - {port: 80}
        - {group: "", kind: Pod, name: web-pod}
        - {name: web-v2, port: 80}
      filters: [{requestRedirect: {port: 81}}]`,
      ),
    );
    expect(splits(result)).toEqual([
      { name: 'web', service: 'web', backends: ['web-v2:1'], matches: [] },
    ]);
    expectDiagnostics(result.diagnostics, [
      invalid('/spec/parentRefs/0', 'must be an object'),
      invalid('/spec/parentRefs/1', 'needs a name'),
      D('parent-not-service', {
        pointer: '/spec/parentRefs/2',
        data: { kind: 'ServiceImport', name: 'web' },
      }),
      invalid('/spec/rules/0', 'must be an object'),
      invalid('/spec/rules/1/backendRefs/0', 'needs a name'),
      D('backend-not-service', {
        pointer: '/spec/rules/1/backendRefs/1',
        data: { name: 'web-pod', kind: 'Pod' },
      }),
      D('filter-not-supported', { pointer: '/spec/rules/1/filters/0', data: { type: 'unknown' } }),
    ]);
  });

  it('reports a route without spec and a rule without backends', () => {
    const result = ingest(
      `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: empty, namespace: shop}
---${route(
        'HTTPRoute',
        'web',
        `${PARENT}
  rules:
    - matches: [{path: {type: PathPrefix, value: /old}}]
      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}]
    - backendRefs: [{name: web-v1, port: 80}]`,
      )}`,
    );
    expect(splits(result)).toEqual([
      { name: 'web', service: 'web', backends: ['web-v1:1'], matches: [] },
    ]);
    expectDiagnostics(result.diagnostics, [
      invalid('/spec', 'is missing'),
      D('no-parent', { pointer: '/spec', data: { kind: 'HTTPRoute', name: 'empty' } }),
      D('rule-without-backends', { pointer: '/spec/rules/0', data: { rule: 'rules[0]' } }),
      D('filter-not-supported', {
        pointer: '/spec/rules/0/filters/0',
        data: { type: 'RequestRedirect' },
      }),
    ]);
  });
});

describe('HTTPRoute matches', () => {
  it('reads PathPrefix / as every path and keeps alternatives of a regex together', () => {
    const result = ingest(
      route(
        'HTTPRoute',
        'web',
        `${PARENT}
  rules:
    - matches: [{path: {type: RegularExpression, value: "/a|/b"}}]
      backendRefs: [{name: web-v2, port: 80}, {name: web-v1, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /}, queryParams: []}]
${TO_ROOT}`,
      ),
    );
    expect(splits(result)).toEqual([
      { name: 'web', service: 'web', backends: ['web-v2:1', 'web-v1:1'], matches: ['web'] },
    ]);
    expect(groups(result)).toEqual([
      { name: 'web', matches: [{ name: 'rule-1', pathRegex: '(?:/a|/b)$' }] },
    ]);
    expectDiagnostics(result.diagnostics, []);
  });

  it('drops the matches whose headers cannot be read, and keeps the others of the rule', () => {
    const result = ingest(
      route(
        'HTTPRoute',
        'web',
        `${PARENT}
  rules:
    - name: api
      matches:
        - headers: [{name: x-a}]
        - headers: [{type: Fuzzy, name: x-b, value: c}]
        - headers: [{type: RegularExpression, name: x-c, value: "(?=x)"}]
        - path: {type: Exact, value: /ok}
      backendRefs: [{name: web-v1, port: 80}]
    - backendRefs: [{name: web, port: 80}]`,
      ),
    );
    expect(groups(result)).toEqual([
      { name: 'web', matches: [{ name: 'api', pathRegex: '/ok$' }] },
    ]);
    expectDiagnostics(result.diagnostics, [
      invalid('/spec/rules/0/matches/0/headers/0', 'needs a name and a value'),
      invalid('/spec/rules/0/matches/1/headers/0/type', 'must be one of Exact, RegularExpression'),
      D('invalid-regex', {
        severity: 'warning',
        effect: 'changes-routing',
        pointer: '/spec/rules/0/matches/2/headers/0/value',
        data: { field: 'spec.rules[0].matches[2].headers[0].value' },
      }),
    ]);
  });
});

describe('GRPCRoute matches', () => {
  const grpc = (matches: string) => `
    - matches: ${matches}
      backendRefs: [{name: web-v1, port: 80}]`;

  it('reads regex and exact parts as call paths, empty parts as any, and metadata as headers', () => {
    const result = ingest(
      route(
        'GRPCRoute',
        'web',
        `${PARENT}
  rules:${grpc('[{method: {type: RegularExpression, service: "pkg\\\\.(Web|Api)"}}]')}${grpc(
    '[{method: {type: RegularExpression, method: "Get.*"}}]',
  )}${grpc('[{method: {method: List}}]')}${grpc(
    '[{method: {service: "", method: ""}, headers: [{name: x-tier, value: gold}]}]',
  )}
    - matches: [{}]
${TO_ROOT}`,
      ),
      service('web', '[{name: grpc, port: 80, appProtocol: grpc}]'),
    );
    expect(groups(result)).toEqual([
      {
        name: 'web',
        matches: [
          { name: 'rule-1', pathRegex: '/(?:pkg\\.(Web|Api))/[^/]+$' },
          { name: 'rule-2', pathRegex: '/[^/]+/(?:Get.*)$' },
          { name: 'rule-3', pathRegex: '/[^/]+/List$' },
          { name: 'rule-4', headers: [['x-tier', 'gold']] },
        ],
      },
    ]);
    expectDiagnostics(result.diagnostics, []);
  });

  it('drops method matches that are not RE2', () => {
    const result = ingest(
      route(
        'GRPCRoute',
        'web',
        `${PARENT}
  rules:${grpc('[{method: {type: RegularExpression, service: "(?=x)"}}, {method: {service: pkg.Web}}]')}${grpc(
    '[{method: {type: RegularExpression, method: "(?=y)"}}]',
  )}
    - matches: [{headers: [{name: x-a}]}]
      backendRefs: [{name: web-v1, port: 80}]
${ROOT_RULE}`,
      ),
      service('web', '[{name: grpc, port: 80, appProtocol: grpc}]'),
    );
    expect(groups(result)).toEqual([
      { name: 'web', matches: [{ name: 'rule-1', pathRegex: '/pkg\\.Web/' }] },
    ]);
    expectDiagnostics(result.diagnostics, [
      D('invalid-regex', { pointer: '/spec/rules/0/matches/0/method/service' }),
      D('invalid-regex', { pointer: '/spec/rules/1/matches/0/method/method' }),
      invalid('/spec/rules/2/matches/0/headers/0', 'needs a name and a value'),
    ]);
  });
});

describe('several routes for one Service', () => {
  const rules = `
  rules:
    - matches:
        - {path: {type: PathPrefix, value: /api}, method: GET, headers: [{name: x-a, value: "1"}]}
        - path: {type: Exact, value: /b}
      backendRefs: [{name: web-v1, port: 80}, {name: web-v2, port: 80, weight: 3}]
${ROOT_RULE}`;

  it('reads routes that mean the same on different ports as one split, named after the first', () => {
    const context = service('web', '[{name: http, port: 80}, {name: http-alt, port: 8080}]');
    const result = ingest(
      `${route(
        'HTTPRoute',
        'zeta',
        `
  parentRefs: [{group: "", kind: Service, name: web, port: 80}]${rules}`,
      )}${route(
        'HTTPRoute',
        'alpha',
        `
  parentRefs:
    - {group: "", kind: Service, name: web, port: 8080}
    - {group: "", kind: Service, name: web, port: 80}${rules}`,
      )}`,
      context,
    );
    expect(splits(result)).toEqual([
      { name: 'alpha', service: 'web', backends: ['web-v1:1', 'web-v2:3'], matches: ['alpha'] },
    ]);
    expect(groups(result)).toEqual([
      {
        name: 'alpha',
        matches: [
          {
            name: 'rule-1-1',
            pathRegex: '/api(/.*)?$',
            methods: ['GET'],
            headers: [['x-a', '1']],
          },
          { name: 'rule-1-2', pathRegex: '/b$' },
        ],
      },
    ]);
    // The same backendRefs serve port 8080 of alpha: SMI would send that traffic to port 8080.
    expectDiagnostics(result.diagnostics, [
      D('backend-port-differs', {
        line: 29,
        pointer: '/spec/rules/0/backendRefs/0',
        data: { name: 'web-v1', port: 80, parentPort: 8080 },
      }),
      D('backend-port-differs', {
        line: 29,
        pointer: '/spec/rules/0/backendRefs/1',
        data: { name: 'web-v2', port: 80, parentPort: 8080 },
      }),
    ]);
    expect(result.model.trafficSplits[0]?.annotations?.['meshlingo.io/source']).toBe(
      'gateway.networking.k8s.io/v1/HTTPRoute/shop/alpha,gateway.networking.k8s.io/v1/HTTPRoute/shop/zeta',
    );
  });

  it('reports the ports a parentRef section names none of', () => {
    const context = service('web', '[{name: http, port: 80}, {name: http-alt, port: 8080}]');
    const result = ingest(
      route(
        'HTTPRoute',
        'web',
        `
  parentRefs: [{group: "", kind: Service, name: web, sectionName: nope}]${rules}`,
      ),
      context,
    );
    expect(splits(result).map((s) => s.backends)).toEqual([['web-v1:1', 'web-v2:3']]);
    expectDiagnostics(result.diagnostics, [
      D('port-not-covered', {
        pointer: '/spec/parentRefs/0',
        data: { namespace: 'shop', service: 'web', missing: '80, 8080' },
      }),
    ]);
  });
});

/** A route as meshlingo writes it: matches annotated with their SMI names and groups. */
const annotated = (name: string, parent: string, group: string, path: string) =>
  route(
    'HTTPRoute',
    name,
    `
  parentRefs: [{group: "", kind: Service, name: ${parent}, port: 80}]
  rules:
    - matches: [{path: {type: Exact, value: ${path}}}]
      backendRefs: [{name: ${parent}-v1, port: 80}]
    - backendRefs: [{name: ${parent}, port: 80}]`,
    `
  annotations:
    meshlingo.io/smi-matches: '{"rules":[[{"group":"${group}","name":"m","pathRegex":"${path}$"}]]}'`,
  );

describe('the matches annotation', () => {
  it('shares a group between splits with the same matches, and renames it for other matches', () => {
    const context = `${service('web')}${service('api')}${service('db')}`;
    const result = ingest(
      `${annotated('web', 'web', 'shared', '/a')}${annotated('api', 'api', 'shared', '/a')}${annotated('db', 'db', 'shared', '/b')}`,
      context,
    );
    expect(splits(result).map((s) => [s.service, s.matches])).toEqual([
      ['api', ['shared']],
      ['db', ['shared-2']],
      ['web', ['shared']],
    ]);
    expect(groups(result)).toEqual([
      { name: 'shared', matches: [{ name: 'm', pathRegex: '/a$' }] },
      { name: 'shared-2', matches: [{ name: 'm', pathRegex: '/b$' }] },
    ]);
    expectDiagnostics(result.diagnostics, []);
  });

  it('still applies when the route leaves default match fields out', () => {
    const http = route(
      'HTTPRoute',
      'web',
      `${PARENT}
  rules:
    - matches: [{headers: [{name: x-beta, value: "1"}]}]
      backendRefs: [{name: web-v1, port: 80}]
${ROOT_RULE}`,
      `
  annotations:
    meshlingo.io/smi-matches: '{"rules":[[{"group":"beta","name":"beta","headers":[{"name":"x-beta","value":"1"}]}]]}'`,
    );
    const result = ingest(http);
    expect(groups(result)).toEqual([
      { name: 'beta', matches: [{ name: 'beta', headers: [['x-beta', '1']] }] },
    ]);
    expectDiagnostics(result.diagnostics, []);

    const grpc = route(
      'GRPCRoute',
      'web',
      `${PARENT}
  rules:
    - matches: [{method: {service: pkg.Web, method: Get}}]
      backendRefs: [{name: web-v1, port: 80}]
${ROOT_RULE}`,
      `
  annotations:
    meshlingo.io/smi-matches: '{"rules":[[{"group":"calls","name":"get","pathRegex":"/pkg\\\\.Web/Get$"}]]}'`,
    );
    const back = ingest(grpc, service('web', '[{name: grpc, port: 80, appProtocol: grpc}]'));
    expect(groups(back)).toEqual([
      { name: 'calls', matches: [{ name: 'get', pathRegex: '/pkg\\.Web/Get$' }] },
    ]);
    expectDiagnostics(back.diagnostics, []);
  });

  it('is ignored when it is not what meshlingo writes, or names no gRPC method of a GRPCRoute', () => {
    const malformed = ingest(
      route(
        'HTTPRoute',
        'web',
        `${PARENT}
  rules:
    - matches: [{path: {type: Exact, value: /a}}]
      backendRefs: [{name: web-v1, port: 80}]
${ROOT_RULE}`,
        `
  annotations: {meshlingo.io/smi-matches: '{"rules": 5}'}`,
      ),
    );
    expect(groups(malformed)).toEqual([
      { name: 'web', matches: [{ name: 'rule-1', pathRegex: '/a$' }] },
    ]);
    expectDiagnostics(malformed.diagnostics, [
      D('annotation-ignored', { pointer: '/metadata/annotations/meshlingo.io~1smi-matches' }),
    ]);

    const grpc = ingest(
      route(
        'GRPCRoute',
        'web',
        `${PARENT}
  rules:
    - matches: [{method: {service: pkg.Web, method: Get}}]
      backendRefs: [{name: web-v1, port: 80}]
${ROOT_RULE}`,
        `
  annotations:
    meshlingo.io/smi-matches: '{"rules":[[{"group":"calls","name":"get","pathRegex":"/pkg\\\\.Web/Get$","methods":["GET"]}]]}'`,
      ),
      service('web', '[{name: grpc, port: 80, appProtocol: grpc}]'),
    );
    expect(groups(grpc)).toEqual([
      { name: 'web', matches: [{ name: 'rule-1', pathRegex: '/pkg\\.Web/Get$' }] },
    ]);
    expectDiagnostics(grpc.diagnostics, [
      D('annotation-ignored', { pointer: '/metadata/annotations/meshlingo.io~1smi-matches' }),
    ]);
  });
});

describe('TCPRoutes', () => {
  it('reports a TCPRoute without rules as routing nothing', () => {
    const result = ingest(
      route(
        'TCPRoute',
        'db',
        '\n  parentRefs: [{group: "", kind: Service, name: web, port: 80}]\n  rules: []',
      ),
    );
    expect(splits(result)).toEqual([]);
    expectDiagnostics(result.diagnostics, [
      D('no-rules', {
        pointer: '/spec',
        data: { kind: 'TCPRoute', namespace: 'shop', name: 'db' },
      }),
    ]);
  });
});
