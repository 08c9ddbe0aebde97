import {
  EMPTY_CONTEXT,
  indexContext,
  shares,
  type AccessRequest,
  type KubeObject,
  type RouteRequest,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import {
  authorizeIstio as authorize,
  IstioOptionsSchema,
  routeIstio as route,
  type IstioOptions,
} from '../src/index.js';

const env = (options: Partial<IstioOptions> = {}) => ({
  options: IstioOptionsSchema.parse(options),
  cluster: indexContext(EMPTY_CONTEXT),
});

function policy(
  name: string,
  spec: Record<string, unknown>,
  namespace = 'shop',
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace, ...(annotations !== undefined && { annotations }) },
    spec,
  };
}

const apiPods = { app: 'api', version: 'v1' };
const selector = { matchLabels: { app: 'api' } };
const fromWeb = { source: { principals: ['cluster.local/ns/shop/sa/web'] } };

function http(
  method: string,
  path: string,
  headers?: Record<string, string>,
  from = 'web',
): AccessRequest {
  return {
    source: { namespace: 'shop', name: from },
    destination: { namespace: 'shop', name: 'api', podLabels: apiPods, service: 'api' },
    protocol: 'http',
    port: 8080,
    http: { method, path, ...(headers !== undefined && { headers }) },
  };
}

function tcp(port: number, from = 'web'): AccessRequest {
  return {
    source: { namespace: 'shop', name: from },
    destination: { namespace: 'shop', name: 'api', podLabels: apiPods },
    protocol: 'tcp',
    port,
  };
}

const allowed = (objects: KubeObject[], request: AccessRequest, options?: Partial<IstioOptions>) =>
  authorize(objects, request, env(options)).allowed;

describe('authorize: which policies apply and in which order', () => {
  it('allows everything when no ALLOW policy selects the workload (Istio is default-allow)', () => {
    expect(allowed([], http('GET', '/'))).toBe(true);
    const other = policy('other', { selector: { matchLabels: { app: 'db' } }, rules: [{}] });
    expect(allowed([other], http('GET', '/'))).toBe(true);
  });

  it('denies what no ALLOW policy matches once one selects the workload; spec {} allows nothing', () => {
    expect(allowed([policy('deny-all', {})], http('GET', '/'))).toBe(false);
    expect(allowed([policy('nil', { selector })], tcp(9090))).toBe(false);
    expect(allowed([policy('all', { selector, rules: [{}] })], tcp(9090))).toBe(true);
  });

  it('checks CUSTOM, then DENY, then ALLOW; AUDIT never decides', () => {
    const allowAll = policy('allow', { rules: [{}] });
    const deny = policy('deny', {
      action: 'DENY',
      rules: [{ to: [{ operation: { methods: ['POST'] } }] }],
    });
    const custom = policy('ext', {
      action: 'CUSTOM',
      provider: { name: 'opa' },
      rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }],
    });
    const audit = policy('audit', { action: 'AUDIT', rules: [{}] });
    const all = [allowAll, deny, custom, audit];
    expect(allowed(all, http('GET', '/'))).toBe(true);
    expect(allowed(all, http('POST', '/'))).toBe(false);
    expect(allowed(all, http('GET', '/admin/x'))).toBe(false);
    expect(allowed([audit], http('GET', '/'))).toBe(true);
  });

  it('applies root-namespace policies everywhere, ignores targetRefs and dry-run policies', () => {
    expect(allowed([policy('mesh', {}, 'istio-system')], http('GET', '/'))).toBe(false);
    expect(
      allowed([policy('mesh', {}, 'mesh-root')], http('GET', '/'), { rootNamespace: 'mesh-root' }),
    ).toBe(false);
    const waypoint = policy('wp', { targetRefs: [{ kind: 'Service', name: 'api' }] });
    expect(allowed([waypoint], http('GET', '/'))).toBe(true);
    const dry = policy('dry', {}, 'shop', { 'istio.io/dry-run': 'true' });
    expect(allowed([dry], http('GET', '/'))).toBe(true);
  });

  it('names the ALLOW policies that matched', () => {
    const a = policy('a', { selector, rules: [{ from: [fromWeb] }] });
    const b = policy('b', { selector, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });
    expect(authorize([a, b], http('GET', '/'), env()).allowedBy).toEqual(['shop/a', 'shop/b']);
  });
});

describe('authorize: sources', () => {
  it('matches principals with cluster.local standing for the local trust domain and aliases', () => {
    const p = policy('p', { selector, rules: [{ from: [fromWeb] }] });
    expect(allowed([p], http('GET', '/'))).toBe(true);
    expect(allowed([p], http('GET', '/', undefined, 'db'))).toBe(false);
    expect(allowed([p], http('GET', '/'), { trustDomain: 'corp.example' })).toBe(true);
    const corp = policy('c', {
      selector,
      rules: [{ from: [{ source: { principals: ['old.example/ns/shop/sa/web'] } }] }],
    });
    expect(allowed([corp], http('GET', '/'), { trustDomain: 'corp.example' })).toBe(false);
    expect(
      allowed([corp], http('GET', '/'), {
        trustDomain: 'corp.example',
        trustDomainAliases: ['old.example'],
      }),
    ).toBe(true);
  });

  it('matches namespaces (with *), serviceAccounts (ns/sa or bare) and not* fields', () => {
    const ns = policy('ns', { selector, rules: [{ from: [{ source: { namespaces: ['sh*'] } }] }] });
    expect(allowed([ns], http('GET', '/'))).toBe(true);
    const sa = policy('sa', {
      selector,
      rules: [{ from: [{ source: { serviceAccounts: ['web'] } }] }],
    });
    expect(allowed([sa], http('GET', '/'))).toBe(true);
    expect(allowed([sa], http('GET', '/', undefined, 'db'))).toBe(false);
    const not = policy('not', {
      selector,
      rules: [{ from: [{ source: { notPrincipals: ['*/sa/web'] } }] }],
    });
    expect(allowed([not], http('GET', '/'))).toBe(false);
    expect(allowed([not], http('GET', '/', undefined, 'db'))).toBe(true);
  });

  it('never matches IP blocks or JWT principals (requests carry neither); their not* forms always do', () => {
    const ip = policy('ip', {
      selector,
      rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }],
    });
    expect(allowed([ip], http('GET', '/'))).toBe(false);
    const notIp = policy('nip', {
      selector,
      rules: [{ from: [{ source: { notIpBlocks: ['10.0.0.0/8'] } }] }],
    });
    expect(allowed([notIp], http('GET', '/'))).toBe(true);
  });
});

describe('authorize: operations and conditions', () => {
  const ops = policy('ops', {
    selector,
    rules: [
      {
        from: [fromWeb],
        to: [
          {
            operation: { ports: ['8080'], methods: ['GET'], paths: ['/api/*', '/files/{*}/meta'] },
          },
          { operation: { ports: ['9090'] } },
        ],
      },
    ],
  });

  it('matches ports, methods and path patterns (OR across operations, AND inside)', () => {
    expect(allowed([ops], http('GET', '/api/v1'))).toBe(true);
    expect(allowed([ops], http('GET', '/files/a/meta'))).toBe(true);
    expect(allowed([ops], http('GET', '/files/a/b/meta'))).toBe(false);
    expect(allowed([ops], http('POST', '/api/v1'))).toBe(false);
  });

  it('drops an ALLOW rule with any HTTP-only field on TCP traffic (istio/istio#37920)', () => {
    expect(allowed([ops], tcp(9090))).toBe(false);
    const portsOnly = policy('p', {
      selector,
      rules: [{ from: [fromWeb], to: [{ operation: { ports: ['9090'] } }] }],
    });
    expect(allowed([portsOnly], tcp(9090))).toBe(true);
    expect(allowed([portsOnly], tcp(9091))).toBe(false);
  });

  it('widens DENY rules on TCP by dropping their HTTP-only fields', () => {
    const deny = policy('d', {
      action: 'DENY',
      rules: [{ to: [{ operation: { methods: ['POST'] } }] }],
    });
    expect(allowed([deny], tcp(9090))).toBe(false);
    expect(allowed([deny], http('GET', '/'))).toBe(true);
  });

  it('evaluates when conditions: headers (presence, prefix), ports, source keys, notValues', () => {
    const when = (conditions: unknown[]) =>
      policy('w', { selector, rules: [{ from: [fromWeb], when: conditions }] });
    const beta = when([{ key: 'request.headers[X-Beta]', values: ['tr*'] }]);
    expect(allowed([beta], http('GET', '/', { 'x-beta': 'true' }))).toBe(true);
    expect(allowed([beta], http('GET', '/', { 'x-beta': 'no' }))).toBe(false);
    expect(allowed([beta], http('GET', '/'))).toBe(false);
    const present = when([{ key: 'request.headers[x-beta]', values: ['*'] }]);
    expect(allowed([present], http('GET', '/', { 'x-beta': '' }))).toBe(true);
    const notValues = when([{ key: 'source.namespace', notValues: ['shop'] }]);
    expect(allowed([notValues], http('GET', '/'))).toBe(false);
    const port = when([{ key: 'destination.port', values: ['8080'] }]);
    expect(allowed([port], http('GET', '/'))).toBe(true);
    const jwt = when([{ key: 'request.auth.claims[iss]', values: ['x'] }]);
    expect(allowed([jwt], http('GET', '/'))).toBe(false);
  });

  it('matches hosts against the spellings of the addressed Service, case-insensitively', () => {
    const hosts = policy('h', {
      selector,
      rules: [{ to: [{ operation: { hosts: ['API.shop.svc.cluster.local'] } }] }],
    });
    expect(allowed([hosts], http('GET', '/'))).toBe(true);
  });

  it('lets UDP through: Istio does not proxy it', () => {
    const request: AccessRequest = { ...tcp(5353), protocol: 'udp' };
    expect(allowed([policy('deny-all', {})], request)).toBe(true);
  });
});

function vs(name: string, spec: Record<string, unknown>, namespace = 'shop'): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace },
    spec,
  };
}

const get = (path: string, headers?: Record<string, string>): RouteRequest => ({
  namespace: 'shop',
  service: 'api',
  port: 8080,
  protocol: 'http',
  http: { method: 'GET', path, ...(headers !== undefined && { headers }) },
});

const shareOf = (objects: KubeObject[], request: RouteRequest) =>
  Object.fromEntries(shares(route(objects, request, env())));

describe('route', () => {
  const canary = vs('canary', {
    hosts: ['api'],
    http: [
      {
        match: [{ headers: { 'x-beta': { exact: 'true' } } }, { uri: { regex: '/v[0-9]+/.*' } }],
        route: [
          { destination: { host: 'api-v1' }, weight: 1 },
          { destination: { host: 'api-v2.shop.svc.cluster.local' }, weight: 3 },
        ],
      },
      { route: [{ destination: { host: 'api' } }] },
    ],
    tcp: [{ match: [{ port: 9090 }], route: [{ destination: { host: 'api-v2' } }] }],
  });

  it('goes to the Service itself without a VirtualService', () => {
    expect(shareOf([], get('/'))).toEqual({ api: 1 });
  });

  it('takes the first matching route and splits by relative weight', () => {
    expect(shareOf([canary], get('/', { 'X-Beta': 'true' }))).toEqual({
      'api-v1': 0.25,
      'api-v2': 0.75,
    });
    expect(shareOf([canary], get('/v2/items'))).toEqual({ 'api-v1': 0.25, 'api-v2': 0.75 });
    expect(shareOf([canary], get('/items'))).toEqual({ api: 1 });
    expect(route([canary], get('/'), env()).decidedBy).toBe('shop/canary');
  });

  it('answers 404 (no backend) when no HTTP route matches', () => {
    const noDefault = vs('x', {
      hosts: ['api.shop.svc.cluster.local'],
      http: [{ match: [{ uri: { exact: '/a' } }], route: [{ destination: { host: 'api-v1' } }] }],
    });
    expect(route([noDefault], get('/b'), env()).backends).toEqual([]);
  });

  it('uses TCP routes for TCP, falling back to the Service', () => {
    const tcpRequest: RouteRequest = {
      namespace: 'shop',
      service: 'api',
      port: 9090,
      protocol: 'tcp',
    };
    expect(shareOf([canary], tcpRequest)).toEqual({ 'api-v2': 1 });
    expect(shareOf([canary], { ...tcpRequest, port: 9091 })).toEqual({ api: 1 });
  });

  it('ignores gateway-only VirtualServices and other hosts; resolves short hosts in the VirtualService namespace', () => {
    const gateway = vs('gw', {
      hosts: ['api'],
      gateways: ['public'],
      http: [{ route: [{ destination: { host: 'api-v2' } }] }],
    });
    expect(shareOf([gateway], get('/'))).toEqual({ api: 1 });
    const elsewhere = vs(
      'o',
      { hosts: ['api'], http: [{ route: [{ destination: { host: 'api-v2' } }] }] },
      'other',
    );
    expect(shareOf([elsewhere], get('/'))).toEqual({ api: 1 });
  });

  it('gives a single destination everything, even with weight 0, and names subsets', () => {
    const single = vs('s', {
      hosts: ['api'],
      http: [{ route: [{ destination: { host: 'api', subset: 'v2' }, weight: 0 }] }],
    });
    expect(shareOf([single], get('/'))).toEqual({ 'api#v2': 1 });
  });
});
