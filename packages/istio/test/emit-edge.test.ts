import { AdapterTester, type CaseCoreOptions } from '@meshlingo/conformance';
import {
  authorize,
  convert,
  indexContext,
  route,
  shares,
  type AccessRequest,
  type RouteRequest,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import istio, { authorizeIstio, IstioOptionsSchema, routeIstio } from '../src/index.js';

/**
 * SMI to Istio, the less travelled paths: VirtualService path regexes, weights beyond int32 and
 * before Istio 1.15; AuthorizationPolicy rules for any-path matches, several TCPRoutes, UDP,
 * ports of unknown protocol and IdentityBindings. Emitted objects are checked with the Istio
 * evaluator against the SMI reference on the same model.
 */

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
apiVersion: apps/v1
kind: Deployment
metadata: {name: bare, namespace: shop}
spec:
  selector: {matchLabels: {app: bare}}
  template:
    metadata: {labels: {app: bare}}
    spec: {serviceAccountName: bare, containers: [{name: bare, image: x}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: tcp-admin, port: 9090}, {name: metrics, port: 7000}]
`;

const target = (
  rules: string,
  extra = '',
  destination = 'api',
  sources = '[{kind: ServiceAccount, name: web, namespace: shop}]',
) => `${extra}
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: tt, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: ${destination}, namespace: shop}
  rules: ${rules}
  sources: ${sources}
`;

const group = (matches: string) => `
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g, namespace: shop}
spec:
  matches: ${matches}
---`;

const portRoute = (name: string, ports: string, kind = 'TCPRoute') => `
apiVersion: specs.smi-spec.io/v1alpha4
kind: ${kind}
metadata: {name: ${name}, namespace: shop}
spec:
  matches: {ports: ${ports}}
---`;

const split = (backends: string, extra = '') => `
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: s, namespace: shop}
spec: {service: api, backends: ${backends}${extra}}
`;

const defaultAllow = { code: 'istio/default-allow', effect: 'widens-access' as const };

const specs = (yaml: string, core: CaseCoreOptions = {}, options: Record<string, unknown> = {}) =>
  convert(yaml, { to: [istio], context, adapterOptions: { istio: options }, ...core }).objects.map(
    (o) => ({ kind: o.kind, spec: o.spec }),
  );

// --- semantic cross-check ----------------------------------------------------------------------

type Relation = 'same' | 'narrower' | 'wider';

const ACCESS: AccessRequest[] = ['web', 'db'].flatMap((from) => {
  const base = {
    source: { namespace: 'shop', name: from },
    destination: { namespace: 'shop', name: 'api', podLabels: { app: 'api' } },
  };
  const http = (port: number, method: string, path: string) => ({
    ...base,
    protocol: 'http' as const,
    port,
    http: { method, path },
  });
  return [
    { ...base, protocol: 'tcp' as const, port: 9090 },
    { ...base, protocol: 'tcp' as const, port: 7000 },
    http(8080, 'GET', '/'),
    http(8080, 'GET', '/a/x'),
    http(8080, 'POST', '/b/1'),
    http(8080, 'POST', '/c'),
    http(7000, 'GET', '/'),
  ];
});

/** Istio's decisions on the emitted objects against SMI's on the model; returns what SMI allows. */
function crossCheck(yaml: string, relation: Relation, core: CaseCoreOptions = {}): string[] {
  const result = convert(yaml, { to: [istio], context, ...core });
  const env = { options: IstioOptionsSchema.parse({}), cluster: indexContext(result.context) };
  const allowed: string[] = [];
  for (const request of ACCESS) {
    const native = authorizeIstio(result.objects, request, env).allowed;
    const smi = authorize(result.model, request).allowed;
    const label = `${request.source.name} ${request.protocol} ${request.port} ${request.http?.method ?? ''} ${request.http?.path ?? ''}`;
    if (relation === 'same') expect([label, native]).toEqual([label, smi]);
    if (relation === 'narrower' && native) expect([label, smi]).toEqual([label, true]);
    if (relation === 'wider' && smi) expect([label, native]).toEqual([label, true]);
    if (smi) allowed.push(label.trim());
  }
  return allowed;
}

// --- AuthorizationPolicy ----------------------------------------------------------------------

const anyPathAndAlternation = target(
  '[{kind: HTTPRouteGroup, name: g}]',
  group("[{name: all, pathRegex: '.*', methods: [GET]}, {name: some, pathRegex: '/a|/b/[0-9]+'}]"),
);
const twoTcpRoutesAndUdp = target(
  '[{kind: TCPRoute, name: t1}, {kind: TCPRoute, name: t2}, {kind: UDPRoute, name: u}]',
  portRoute('t1', '[9090]') + portRoute('t2', '[7000]') + portRoute('u', '[53]', 'UDPRoute'),
);
const unknownPortBesideHttp = target(
  '[{kind: TCPRoute, name: t}, {kind: HTTPRouteGroup, name: g}]',
  group('[{name: m, methods: [GET]}]') + portRoute('t', '[7000, 9090]'),
);

const rule = (to?: unknown[]) => ({
  from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }],
  ...(to !== undefined && { to }),
});

describe('emit AuthorizationPolicy', () => {
  new AdapterTester({ describe, it }).run(istio, {
    valid: [
      {
        name: 'narrow: an alternation keeps its representable branches',
        input: anyPathAndAlternation,
        context,
        core: { onUnrepresentable: 'narrow' },
        diagnostics: [
          defaultAllow,
          {
            code: 'istio/path-not-representable',
            severity: 'warning',
            pointer: '/spec/matches/1/pathRegex',
            data: { branch: '/b/[0-9]+', reason: 'unbounded', widened: '/b/*' },
            effect: 'narrows-access',
          },
        ],
      },
      {
        name: 'narrow: the ports of several TCPRoutes add up; UDP stays open',
        input: twoTcpRoutesAndUdp,
        context,
        core: { onUnrepresentable: 'narrow' },
        diagnostics: [
          defaultAllow,
          {
            code: 'istio/udp-not-supported',
            pointer: '/spec/rules/2',
            data: { route: 'u', ports: '53' },
            effect: 'widens-access',
          },
        ],
      },
      {
        name: 'narrow: a TrafficTarget with only UDP rules writes nothing',
        input: target('[{kind: UDPRoute, name: u}]', portRoute('u', '[53]', 'UDPRoute')),
        context,
        core: { onUnrepresentable: 'narrow' },
        output: '',
        diagnostics: [
          defaultAllow,
          { code: 'istio/no-usable-rules', data: { name: 'shop/tt' } },
          { code: 'istio/udp-not-supported', data: { route: 'u', ports: '53' } },
        ],
      },
      {
        name: 'widen: all ports of a workload declaring none are taken as TCP',
        input: target(
          '[{kind: TCPRoute, name: t}, {kind: HTTPRouteGroup, name: g}]',
          group('[{name: m, methods: [GET]}]') + portRoute('t', '[]'),
          'bare',
        ),
        context,
        core: { onUnrepresentable: 'widen' },
        diagnostics: [
          defaultAllow,
          {
            code: 'istio/tcp-port-protocol-unknown',
            severity: 'warning',
            pointer: '/spec/rules',
            data: { port: 'any', serviceAccount: 'bare' },
            effect: 'widens-access',
          },
        ],
      },
      {
        name: 'narrow: a port of unknown protocol is taken as HTTP',
        input: unknownPortBesideHttp,
        context,
        core: { onUnrepresentable: 'narrow' },
        diagnostics: [
          defaultAllow,
          {
            code: 'istio/tcp-port-protocol-unknown',
            data: { port: '7000' },
            effect: 'narrows-access',
          },
          { code: 'istio/http-matches-skip-tcp-port', data: { name: 'shop/tt', ports: '9090' } },
        ],
      },
      {
        name: 'narrow: IdentityBinding subjects are left out, ServiceAccounts stay',
        input:
          `
apiVersion: access.smi-spec.io/v1alpha4
kind: IdentityBinding
metadata: {name: ib, namespace: shop}
spec: {schemes: {serviceAccount: web}}
---` +
          target(
            '[{kind: TCPRoute, name: t}]',
            portRoute('t', '[9090]'),
            'api',
            '[{kind: IdentityBinding, group: access.smi-spec.io, name: ib, namespace: shop}, {kind: ServiceAccount, name: web, namespace: shop}]',
          ).replace('v1alpha3', 'v1alpha4') +
          '---' +
          target(
            '[{kind: TCPRoute, name: t}]',
            '',
            'api',
            '[{kind: IdentityBinding, group: access.smi-spec.io, name: ib, namespace: shop}]',
          )
            .replace('v1alpha3', 'v1alpha4')
            .replace('name: tt,', 'name: only-ib,') +
          '---' +
          target('[{kind: TCPRoute, name: t}]')
            .replace('v1alpha3', 'v1alpha4')
            .replace('name: tt,', 'name: ib-dest,')
            .replace(
              '{kind: ServiceAccount, name: api, namespace: shop}',
              '{kind: IdentityBinding, group: access.smi-spec.io, name: ib, namespace: shop}',
            ),
        context,
        core: { experimental: true, onUnrepresentable: 'narrow' },
        diagnostics: [
          defaultAllow,
          // tt: the IdentityBinding source is left out, web stays.
          {
            code: 'istio/identity-binding-unsupported',
            pointer: '/spec/sources/0',
            data: { name: 'shop/ib' },
            effect: 'narrows-access',
          },
          // only-ib: no source is left, so no policy.
          { code: 'istio/no-usable-rules', data: { name: 'shop/only-ib' } },
          { code: 'istio/identity-binding-unsupported', pointer: '/spec/sources/0' },
          // ib-dest: no selector for an IdentityBinding destination.
          { code: 'istio/identity-binding-unsupported', pointer: '/spec/destination' },
        ],
      },
    ],
  });

  it('writes the rules Istio needs for each case', () => {
    const selector = { matchLabels: { app: 'api' } };
    expect(specs(anyPathAndAlternation, { onUnrepresentable: 'narrow' })).toEqual([
      {
        kind: 'AuthorizationPolicy',
        // `.*` is any path: the GET match has no paths at all.
        spec: {
          selector,
          action: 'ALLOW',
          rules: [rule([{ operation: { methods: ['GET'] } }, { operation: { paths: ['/a*'] } }])],
        },
      },
    ]);
    expect(specs(twoTcpRoutesAndUdp, { onUnrepresentable: 'narrow' })).toEqual([
      {
        kind: 'AuthorizationPolicy',
        spec: {
          selector,
          action: 'ALLOW',
          rules: [rule([{ operation: { ports: ['7000', '9090'] } }])],
        },
      },
    ]);
    expect(specs(unknownPortBesideHttp, { onUnrepresentable: 'narrow' })).toEqual([
      {
        kind: 'AuthorizationPolicy',
        spec: {
          selector,
          action: 'ALLOW',
          rules: [
            rule([{ operation: { ports: ['7000'], methods: ['GET'] } }]),
            rule([{ operation: { ports: ['9090'] } }]),
          ],
        },
      },
    ]);
  });

  it.each([
    ['alternation, narrowed', anyPathAndAlternation, 'narrower', { onUnrepresentable: 'narrow' }],
    ['two TCPRoutes', twoTcpRoutesAndUdp, 'same', { onUnrepresentable: 'narrow' }],
    ['unknown port, narrowed', unknownPortBesideHttp, 'narrower', { onUnrepresentable: 'narrow' }],
    ['unknown port, widened', unknownPortBesideHttp, 'wider', { onUnrepresentable: 'widen' }],
  ] as const)('Istio decides like SMI: %s', (_, yaml, relation, core) => {
    expect(crossCheck(yaml, relation, core).length).toBeGreaterThan(0);
  });

  it('allows exactly what the alternation keeps (narrow) and the TCPRoute ports', () => {
    const result = convert(anyPathAndAlternation, {
      to: [istio],
      context,
      onUnrepresentable: 'narrow',
    });
    const env = { options: IstioOptionsSchema.parse({}), cluster: indexContext(result.context) };
    const native = ACCESS.filter((r) => authorizeIstio(result.objects, r, env).allowed).map(
      (r) =>
        `${r.source.name} ${r.protocol} ${r.port} ${r.http?.method ?? ''} ${r.http?.path ?? ''}`,
    );
    // GET anything, or any method on /a...; /b/1 was dropped with its branch; no plain TCP.
    expect(native).toEqual([
      'web http 8080 GET /',
      'web http 8080 GET /a/x',
      'web http 7000 GET /',
    ]);
    // TCPRoute ports admit any traffic, HTTP included.
    expect(crossCheck(twoTcpRoutesAndUdp, 'same', { onUnrepresentable: 'narrow' })).toEqual([
      'web tcp 9090',
      'web tcp 7000',
      'web http 7000 GET /',
    ]);
  });
});

// --- VirtualService ---------------------------------------------------------------------------

const regexSplit =
  group(`
  - {name: alt, pathRegex: '/a$|/b'}
  - {name: dollar, pathRegex: '/x/[a-z]+\\$'}
  - {name: open, pathRegex: '/x/[0-9]+/.*'}
  - {name: end, pathRegex: '/y/[0-9]+$'}
  - {name: backslash, pathRegex: '/z/[a-z]+\\\\$'}`) +
  split(
    '[{service: api-v1, weight: 1}, {service: api-v2, weight: 1}]',
    ', matches: [{kind: HTTPRouteGroup, name: g}]',
  );

const routeRequest = (path: string): RouteRequest => ({
  namespace: 'shop',
  service: 'api',
  port: 80,
  protocol: 'http',
  http: { method: 'GET', path },
});

describe('emit VirtualService', () => {
  it('writes Envoy (whole-path) regexes for start-anchored SMI path regexes', () => {
    const [vs] = specs(regexSplit);
    const http = (vs?.spec as { http: { match?: { name: string; uri: unknown }[] }[] }).http;
    expect(http[0]?.match?.map((m) => [m.name, m.uri])).toEqual([
      ['alt', { regex: '(?:/a$|/b).*' }],
      ['dollar', { regex: '/x/[a-z]+\\$.*' }],
      ['open', { regex: '/x/[0-9]+/.*' }],
      ['end', { regex: '/y/[0-9]+' }],
      ['backslash', { regex: '/z/[a-z]+\\\\' }],
    ]);
  });

  it('routes every path as the SMI split does', () => {
    const result = convert(regexSplit, { to: [istio], context });
    const env = { options: IstioOptionsSchema.parse({}), cluster: indexContext(result.context) };
    const paths = [
      '/a',
      '/a/',
      '/ab',
      '/b',
      '/bc/d',
      '/x/abc$',
      '/x/abc$/more',
      '/x/abc',
      '/x/12/',
      '/x/12/z',
      '/x/12',
      '/y/12',
      '/y/12/',
      '/z/ab\\',
      '/z/ab\\x',
      '/z/ab',
      '/c',
    ];
    const split: string[] = [];
    for (const path of paths) {
      const native = Object.fromEntries(
        shares(routeIstio(result.objects, routeRequest(path), env)),
      );
      const smi = Object.fromEntries(shares(route(result.model, routeRequest(path))));
      expect([path, native]).toEqual([path, smi]);
      if (smi.api === undefined) split.push(path);
    }
    expect(split).toEqual([
      '/a',
      '/b',
      '/bc/d',
      '/x/abc$',
      '/x/abc$/more',
      '/x/12/',
      '/x/12/z',
      '/y/12',
      '/z/ab\\',
    ]);
  });

  it('reduces weights beyond int32 by their common divisor, exactly', () => {
    const yaml = split(
      '[{service: api-v1, weight: 3000000000}, {service: api-v2, weight: 1000000000}]',
    );
    const result = convert(yaml, { to: [istio], context });
    // No weight beyond int32 and no loss: nothing to report.
    expect(result.diagnostics).toEqual([]);
    const [vs] = result.objects;
    const http = (vs?.spec as { http: { route: { weight: number }[] }[] }).http;
    expect(http[0]?.route.map((r) => r.weight)).toEqual([3, 1]);
  });

  it('scales weights beyond int32 without a common divisor, and says so', () => {
    const yaml = split('[{service: api-v1, weight: 3000000000}, {service: api-v2, weight: 1}]');
    const result = convert(yaml, { to: [istio], context });
    expect(
      result.diagnostics.map((d) => ({ code: d.code, pointer: d.location?.pointer, data: d.data })),
    ).toEqual([
      {
        code: 'istio/weights-scaled',
        pointer: '/spec/backends',
        data: { name: 'shop/s', weights: '3000000000, 1', scaled: '1000000, 0' },
      },
    ]);
    const env = { options: IstioOptionsSchema.parse({}), cluster: indexContext(result.context) };
    const native = shares(routeIstio(result.objects, routeRequest('/'), env));
    const smi = shares(route(result.model, routeRequest('/')));
    // Each share within one part per million of the SMI share.
    for (const [service, share] of smi)
      expect(Math.abs((native.get(service) ?? 0) - share)).toBeLessThan(1e-6);
  });

  it('gives a single backend 100 percent before Istio 1.15, with nothing to report', () => {
    const result = convert(split('[{service: api-v1, weight: 7}]'), {
      to: [istio],
      context,
      adapterOptions: { istio: { istioVersion: '1.14' } },
    });
    expect(result.diagnostics).toEqual([]);
    const [vs] = result.objects;
    expect(vs?.apiVersion).toBe('networking.istio.io/v1beta1');
    const spec = vs?.spec as { http: { route: unknown[] }[]; tcp: { route: unknown[] }[] };
    expect(spec.http[0]?.route).toEqual([
      { destination: { host: 'api-v1.shop.svc.cluster.local' }, weight: 100 },
    ]);
    // The root Service has TCP ports: the same split for TCP.
    expect(spec.tcp[0]?.route).toEqual(spec.http[0]?.route);
  });
});
