import { convert } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { gatewayApiAdapter } from '../src/index.js';

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, appProtocol: http}, {name: tcp, port: 9000}]
---
`;

function ingest(text: string) {
  const result = convert(SERVICE + text, { to: ['smi'], from: [gatewayApiAdapter] });
  for (const d of result.diagnostics)
    expect(d.location?.line, `${d.code} has no line`).toBeGreaterThan(0);
  return result;
}

const codes = (text: string): string[] => ingest(text).diagnostics.map((d) => d.code);

describe('malformed Gateway API input', () => {
  it('reports fields of the wrong type where they are written', () => {
    const result = ingest(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bad, namespace: shop}
spec:
  parentRefs: [{group: "", kind: Service, name: web, port: 80}]
  rules:
    - matches:
        - path: {type: PathPrefix, value: 42}
          method: FETCH
          headers: "x-a: b"
      backendRefs: [{name: web-v1, port: 80, weight: 1}]
    - matches: "not a list"
      backendRefs: [{name: web-v1, port: 80}]
`);
    expect(
      result.diagnostics
        .filter((d) => d.code === 'gateway-api/invalid-field')
        .map((d) => d.location?.pointer),
    ).toEqual(
      expect.arrayContaining([
        '/spec/rules/0/matches/0/path/value',
        '/spec/rules/0/matches/0/method',
        '/spec/rules/0/matches/0/headers',
        '/spec/rules/1/matches',
      ]),
    );
  });

  it('rejects a spec that is not an object', () => {
    expect(
      codes(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bad, namespace: shop}
spec: [1, 2]
`),
    ).toContain('gateway-api/invalid-field');
  });

  it('reports the extra rules of a TCPRoute, which can have only one', () => {
    expect(
      codes(`apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: tcp, namespace: shop}
spec:
  parentRefs: [{group: "", kind: Service, name: web, port: 9000}]
  rules:
    - backendRefs: [{name: web-v1, port: 9000, weight: 1}]
    - backendRefs: [{name: web-v2, port: 9000, weight: 1}]
`),
    ).toContain('gateway-api/tcp-extra-rules');
  });

  it('reports gRPC matches without a service or with a bad type', () => {
    const result = ingest(`apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: shop}
spec:
  parentRefs: [{group: "", kind: Service, name: web, port: 80}]
  rules:
    - matches:
        - method: {type: Fuzzy, service: a.B, method: Get}
        - method: 7
      backendRefs: [{name: web-v1, port: 80}]
`);
    expect(result.diagnostics.some((d) => d.code === 'gateway-api/invalid-field')).toBe(true);
  });

  it('claims both Gateway API groups and nothing else', () => {
    expect(
      gatewayApiAdapter.claims({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }),
    ).toBe(true);
    expect(
      gatewayApiAdapter.claims({
        apiVersion: 'gateway.networking.x-k8s.io/v1alpha1',
        kind: 'XMesh',
      }),
    ).toBe(true);
    expect(
      gatewayApiAdapter.claims({ apiVersion: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }),
    ).toBe(false);
    expect(
      gatewayApiAdapter.claims({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }),
    ).toBe(false);
  });
});
