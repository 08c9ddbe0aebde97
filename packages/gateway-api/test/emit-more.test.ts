import { compareDiagnostics, type ExpectedDiagnostic } from '@meshlingo/conformance';
import { convert, type ConvertResult, type Diagnostic, type KubeObject } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { gatewayApiAdapter } from '../src/index.js';

const context = (ports: string) => `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: ${ports}
`;

const GRPC = context('[{name: grpc, port: 9090}]');

const group = (matches: string) => `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g, namespace: shop}
spec:
  matches:${matches}
---
`;

const split = (withMatches: boolean) => `apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: web-split, namespace: shop}
spec:
  service: web${withMatches ? '\n  matches: [{kind: HTTPRouteGroup, name: g}]' : ''}
  backends:
    - {service: web-v1, weight: 1}
    - {service: web-v2, weight: 1}
`;

function emit(input: string, ports: string, onUnrepresentable: 'error' | 'widen' = 'error') {
  return convert(input, { to: [gatewayApiAdapter], context: ports, onUnrepresentable });
}

function expectDiagnostics(actual: readonly Diagnostic[], expected: ExpectedDiagnostic[]): void {
  expect(compareDiagnostics(actual, expected)).toEqual([]);
}

function only(result: ConvertResult): KubeObject {
  expect(result.objects).toHaveLength(1);
  const [object] = result.objects;
  if (object === undefined) throw new Error('no object');
  return object;
}

const rulesOf = (object: KubeObject) => (object.spec as { rules: unknown[] }).rules;

const TO = (port: number) => [
  { name: 'web-v1', port, weight: 1 },
  { name: 'web-v2', port, weight: 1 },
];

describe('GRPCRoutes', () => {
  it('splits every call of a gRPC port with one rule when the split has no matches', () => {
    const result = emit(split(false), GRPC);
    expectDiagnostics(result.diagnostics, []);
    const route = only(result);
    expect(route.kind).toBe('GRPCRoute');
    expect(route.spec).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 9090 }],
      rules: [{ backendRefs: TO(9090) }],
    });
  });

  it('writes method, service and empty matches, the last taking every call', () => {
    const result = emit(
      `${group(`
    - {name: get, pathRegex: "/pkg\\\\.Svc/Get$", methods: [POST]}
    - {name: gold, pathRegex: "/pkg\\\\.Svc/", headers: [{x-tier: gold}]}
    - {name: every}`)}${split(true)}`,
      GRPC,
    );
    expectDiagnostics(result.diagnostics, [
      { code: 'smi/match-all', severity: 'warning', data: { match: 'every' } },
    ]);
    const route = only(result);
    expect(route.kind).toBe('GRPCRoute');
    expect(rulesOf(route)).toEqual([
      {
        name: 'get',
        matches: [{ method: { type: 'Exact', service: 'pkg.Svc', method: 'Get' } }],
        backendRefs: TO(9090),
      },
      {
        name: 'gold',
        matches: [
          {
            method: { type: 'Exact', service: 'pkg.Svc' },
            headers: [{ type: 'Exact', name: 'x-tier', value: 'gold' }],
          },
        ],
        backendRefs: TO(9090),
      },
      { name: 'every', matches: [{}], backendRefs: TO(9090) },
      { backendRefs: [{ name: 'web', port: 9090 }] },
    ]);
  });

  it('writes an HTTPRoute when a literal path names no gRPC method', () => {
    const result = emit(
      `${group('\n    - {name: dashed, pathRegex: "/pkg\\\\.Svc/get-all$"}')}${split(true)}`,
      GRPC,
    );
    expectDiagnostics(result.diagnostics, [
      {
        code: 'gateway-api/grpc-as-http',
        severity: 'info',
        pointer: '/spec/service',
        data: { port: 9090, match: 'dashed', reason: 'its path is not one gRPC service or method' },
      },
    ]);
    const route = only(result);
    expect(route.kind).toBe('HTTPRoute');
    expect(rulesOf(route)[0]).toEqual({
      name: 'dashed',
      matches: [{ path: { type: 'Exact', value: '/pkg.Svc/get-all' } }],
      backendRefs: TO(9090),
    });
  });
});

describe('HTTPRoute matches', () => {
  const PORT = '[{port: 80}]';

  it('writes a match without conditions as PathPrefix / and a path the CEL rules reject as a regex', () => {
    const result = emit(
      `${group(`
    - {name: odd, pathRegex: "/a//b$"}
    - {name: every}`)}${split(true)}`,
      context(PORT),
    );
    expectDiagnostics(result.diagnostics, [
      { code: 'smi/match-all', data: { match: 'every' } },
      // The Service port names no protocol: HTTP is assumed.
      {
        code: 'gateway-api/port-protocol-assumed',
        severity: 'info',
        pointer: '/spec/service',
        data: { namespace: 'shop', service: 'web', port: 80 },
      },
      { code: 'gateway-api/regex-path', severity: 'info' },
    ]);
    expect(rulesOf(only(result)).slice(0, 2)).toEqual([
      {
        name: 'odd',
        matches: [{ path: { type: 'RegularExpression', value: '/a//b' } }],
        backendRefs: TO(80),
      },
      {
        name: 'every',
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: TO(80),
      },
    ]);
  });

  it('leaves a path longer than the CRD allows out of the match under widen, and keeps its headers', () => {
    const long = `/${'x'.repeat(1030)}`;
    const result = emit(
      `${group(`
    - {name: long, pathRegex: ${long}, headers: [{x-ok: "1"}]}`)}${split(true)}`,
      context('[{name: http, port: 80}]'),
      'widen',
    );
    expectDiagnostics(result.diagnostics, [
      {
        code: 'gateway-api/match-not-representable',
        severity: 'warning',
        effect: 'changes-routing',
        pointer: '/spec/matches/0/pathRegex',
        data: { match: 'long', group: 'g', onUnrepresentable: 'widen' },
      },
    ]);
    expect(rulesOf(only(result))[0]).toEqual({
      name: 'long',
      matches: [{ headers: [{ type: 'Exact', name: 'x-ok', value: '1' }] }],
      backendRefs: TO(80),
    });
  });
});
