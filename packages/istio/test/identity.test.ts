import {
  indexContext,
  parseYamlStream,
  readContext,
  toManifests,
  type ServicePortInfo,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import {
  containerPortProtocol,
  isLocalTrustDomain,
  parsePrincipal,
  parseServiceHost,
  servicePortProtocol,
  tcpContainerPorts,
} from '../src/identity.js';

/**
 * Names as Istio writes them (principals, Service hosts) and Istio's protocol selection (docs
 * "Protocol Selection": `appProtocol`, else the port name prefix `<protocol>[-<suffix>]`, else
 * sniffing; UDP is not proxied).
 */

describe('principals', () => {
  it('splits <trust domain>/ns/<ns>/sa/<sa>, with or without spiffe://', () => {
    expect(parsePrincipal('cluster.local/ns/shop/sa/web')).toEqual({
      trustDomain: 'cluster.local',
      namespace: 'shop',
      serviceAccount: 'web',
    });
    expect(parsePrincipal('spiffe://corp.example/ns/a/sa/b')).toEqual({
      trustDomain: 'corp.example',
      namespace: 'a',
      serviceAccount: 'b',
    });
  });

  it('gives nothing for other shapes', () => {
    for (const p of ['cluster.local/ns/shop', 'ns/shop/sa/web', 'td/ns/a/sa/b/c', '*', ''])
      expect([p, parsePrincipal(p)]).toEqual([p, undefined]);
  });

  it('treats cluster.local, the trust domain and its aliases as this mesh', () => {
    expect(isLocalTrustDomain('cluster.local', 'corp.example', [])).toBe(true);
    expect(isLocalTrustDomain('corp.example', 'corp.example', [])).toBe(true);
    expect(isLocalTrustDomain('old.example', 'corp.example', ['old.example'])).toBe(true);
    expect(isLocalTrustDomain('other.org', 'corp.example', ['old.example'])).toBe(false);
  });
});

describe('Service hosts', () => {
  it('resolves short names in the given namespace and full names of the cluster domain', () => {
    expect(parseServiceHost('api', 'shop', 'cluster.local')).toEqual({
      name: 'api',
      namespace: 'shop',
    });
    expect(parseServiceHost('api.other.svc.cluster.local', 'shop', 'cluster.local')).toEqual({
      name: 'api',
      namespace: 'other',
    });
    expect(parseServiceHost('api.other.svc.corp', 'shop', 'corp')).toEqual({
      name: 'api',
      namespace: 'other',
    });
  });

  it('is not a Service host otherwise', () => {
    for (const host of [
      'api.other',
      'api.other.svc',
      'a.b.c.svc.cluster.local',
      'API.shop.svc.cluster.local',
      '*.shop.svc.cluster.local',
      'api.other.svc.corp',
      'www.example.org',
    ])
      expect([host, parseServiceHost(host, 'shop', 'cluster.local')]).toEqual([host, undefined]);
  });
});

describe('port protocols', () => {
  const port = (p: Partial<ServicePortInfo>): ServicePortInfo => ({
    port: 80,
    protocol: 'TCP',
    ...p,
  });

  it.each([
    [{ name: 'http' }, 'http'],
    [{ name: 'http-web' }, 'http'],
    [{ name: 'HTTP2-x' }, 'http'],
    [{ name: 'grpc-web' }, 'http'],
    [{ name: 'https' }, 'tls'],
    [{ name: 'tls-passthrough' }, 'tls'],
    [{ name: 'tcp-admin' }, 'tcp'],
    [{ name: 'mongo' }, 'tcp'],
    [{ name: 'redis-cache' }, 'tcp'],
    [{ name: 'metrics' }, 'auto'],
    [{ name: 'httpx' }, 'auto'],
    [{}, 'auto'],
    [{ appProtocol: 'kubernetes.io/h2c', name: 'tcp' }, 'http'],
    [{ appProtocol: 'grpc-web' }, 'http'],
    [{ appProtocol: 'mysql', name: 'http' }, 'tcp'],
    [{ appProtocol: 'custom', name: 'http' }, 'auto'],
    [{ protocol: 'UDP', name: 'http' }, 'udp'],
    [{ protocol: 'udp', name: 'dns' }, 'udp'],
  ] as const)('%j is %s', (p, protocol) => {
    expect(servicePortProtocol(port(p))).toBe(protocol);
  });

  const cluster = (services: string) =>
    indexContext(
      readContext(
        toManifests(
          parseYamlStream({
            path: 'context.yaml',
            text: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers:
        - name: api
          image: x
          ports: [{containerPort: 8080, name: web}, {containerPort: 9090}, {containerPort: 53, protocol: UDP}, {containerPort: 36412, protocol: SCTP}]
${services}`,
          }).documents,
        ).manifests,
      ).context,
    );
  const service = (name: string, ports: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {selector: {app: api}, ports: ${ports}}
`;

  it('takes the protocol of the Service ports targeting a container port', () => {
    const c = cluster(
      service('api', '[{name: http, port: 80, targetPort: web}, {name: tcp, port: 9090}]'),
    );
    const workloads = c.workloadsOf('shop', 'api');
    expect(containerPortProtocol(8080, workloads, c)).toBe('http');
    expect(containerPortProtocol(9090, workloads, c)).toBe('tcp');
    // No Service port targets it: Istio sniffs.
    expect(containerPortProtocol(7000, workloads, c)).toBe('auto');
  });

  it('is auto when Services disagree about a port', () => {
    const c = cluster(
      service('a', '[{name: http, port: 80, targetPort: 8080}]') +
        service('b', '[{name: tcp, port: 81, targetPort: 8080}]'),
    );
    expect(containerPortProtocol(8080, c.workloadsOf('shop', 'api'), c)).toBe('auto');
  });

  it('lists the TCP container ports, not UDP or SCTP ones, sorted', () => {
    const c = cluster('');
    expect(tcpContainerPorts(c.workloadsOf('shop', 'api'))).toEqual([8080, 9090]);
  });
});
