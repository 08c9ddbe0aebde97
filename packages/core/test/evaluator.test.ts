import { describe, expect, it } from 'vitest';
import { authorize, route, type AccessRequest } from '../src/index.js';
import { read } from './helpers.js';

const model = read(`
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: routes, namespace: shop}
spec:
  matches:
    - {name: metrics, pathRegex: /metrics, methods: [GET]}
    - {name: api, pathRegex: "/api/v[0-9]+/", methods: ["*"]}
    - name: beta
      headers:
        - X-Beta: "true|yes"
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: web-port, namespace: shop}
spec: {matches: {ports: [8080]}}
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: any-port, namespace: shop}
spec: {matches: {ports: []}}
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: UDPRoute
metadata: {name: dns, namespace: shop}
spec: {matches: {ports: [53]}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: prometheus, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules:
    - {kind: TCPRoute, name: web-port}
    - {kind: HTTPRouteGroup, name: routes, matches: [metrics]}
  sources: [{kind: ServiceAccount, name: prometheus, namespace: monitoring}]
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: web, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules:
    - {kind: HTTPRouteGroup, name: routes}
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: tcp-only, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: db, namespace: shop}
  rules:
    - {kind: TCPRoute, name: any-port}
    - {kind: UDPRoute, name: dns}
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: firefox, namespace: shop}
spec:
  matches:
    - name: ff
      headers: [{user-agent: ".*Firefox.*"}]
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: ab, namespace: shop}
spec:
  service: web
  matches: [{kind: HTTPRouteGroup, name: firefox}]
  backends:
    - {service: web-v1, weight: 1}
    - {service: web-v2, weight: 3}
`).model;

const request = (over: Partial<AccessRequest> & { src?: string; dst?: string }): AccessRequest => {
  const { src = 'web', dst = 'api', ...rest } = over;
  return {
    source: { namespace: src === 'prometheus' ? 'monitoring' : 'shop', name: src },
    destination: { namespace: 'shop', name: dst },
    protocol: 'http',
    port: 8080,
    http: { method: 'GET', path: '/metrics' },
    ...rest,
  };
};

describe('authorize (SMI reference semantics)', () => {
  it('denies by default: no TrafficTarget for the destination, or the source not listed', () => {
    expect(authorize(model, request({ dst: 'nobody' })).allowed).toBe(false);
    expect(authorize(model, request({ src: 'stranger' })).allowed).toBe(false);
  });

  it('ANDs TCP ports with HTTP matches of one TrafficTarget (AND across layers)', () => {
    expect(authorize(model, request({ src: 'prometheus' }))).toEqual({
      allowed: true,
      allowedBy: ['shop/prometheus'],
    });
    expect(authorize(model, request({ src: 'prometheus', port: 9090 })).allowed).toBe(false);
    expect(
      authorize(model, request({ src: 'prometheus', http: { method: 'POST', path: '/metrics' } }))
        .allowed,
    ).toBe(false);
    expect(
      authorize(model, request({ src: 'prometheus', http: { method: 'GET', path: '/other' } }))
        .allowed,
    ).toBe(false);
    expect(authorize(model, request({ src: 'prometheus', protocol: 'tcp' })).allowed).toBe(true);
  });

  it('anchors pathRegex at the start only, and lets omitted rule matches mean all matches', () => {
    expect(
      authorize(model, request({ http: { method: 'DELETE', path: '/api/v2/items' } })).allowed,
    ).toBe(true);
    expect(
      authorize(model, request({ http: { method: 'GET', path: '/metrics/extra' } })).allowed,
    ).toBe(true);
    expect(authorize(model, request({ http: { method: 'GET', path: '/x/api/v2/' } })).allowed).toBe(
      false,
    );
  });

  it('matches header names case-insensitively and values fully', () => {
    const beta = (value: string) =>
      request({ http: { method: 'PUT', path: '/', headers: { 'x-beta': value } } });
    expect(authorize(model, beta('yes')).allowed).toBe(true);
    expect(authorize(model, beta('true')).allowed).toBe(true);
    expect(authorize(model, beta('yes!')).allowed).toBe(false);
    expect(authorize(model, request({ http: { method: 'PUT', path: '/' } })).allowed).toBe(false);
  });

  it('needs a TCP rule for plain TCP and a UDP rule for UDP; an HTTP-only target admits no plain TCP', () => {
    expect(authorize(model, request({ protocol: 'tcp', port: 9000 })).allowed).toBe(false);
    expect(authorize(model, request({ dst: 'db', protocol: 'tcp', port: 5432 })).allowed).toBe(
      true,
    );
    expect(authorize(model, request({ dst: 'db', port: 5432 })).allowed).toBe(true);
    expect(authorize(model, request({ dst: 'db', protocol: 'udp', port: 53 })).allowed).toBe(true);
    expect(authorize(model, request({ dst: 'db', protocol: 'udp', port: 54 })).allowed).toBe(false);
  });
});

describe('route (SMI reference semantics)', () => {
  it('splits matching requests by weight and sends the rest to the root Service', () => {
    const firefox = route(model, {
      namespace: 'shop',
      service: 'web',
      protocol: 'http',
      http: { method: 'GET', path: '/', headers: { 'User-Agent': 'Mozilla Firefox/1' } },
    });
    expect(firefox).toEqual({
      backends: [
        { service: 'web-v1', weight: 1 },
        { service: 'web-v2', weight: 3 },
      ],
      decidedBy: 'shop/ab',
    });
    const other = route(model, {
      namespace: 'shop',
      service: 'web',
      protocol: 'http',
      http: { method: 'GET', path: '/' },
    });
    expect(other).toEqual({ backends: [{ service: 'web', weight: 1 }] });
    expect(route(model, { namespace: 'shop', service: 'web', protocol: 'tcp' }).backends).toEqual([
      { service: 'web', weight: 1 },
    ]);
    expect(route(model, { namespace: 'shop', service: 'api', protocol: 'http' }).backends).toEqual([
      { service: 'api', weight: 1 },
    ]);
  });
});
