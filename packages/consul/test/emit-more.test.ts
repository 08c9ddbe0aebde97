import { type AccessRequest } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { authorizeConsul } from '../src/index.js';
import { env, ofKind, specOf, toConsul, withCode } from './support.js';

const service = (name: string, selector?: string, namespace = 'shop'): string =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {${selector === undefined ? '' : `selector: ${selector}`}}\n---\n`;

const split = (backends: string): string => `apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: canary, namespace: shop}
spec:
  service: web
  backends: ${backends}
`;

const tcpTarget = (destination: string, source: string, sourceNamespace = 'shop'): string =>
  `apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: all, namespace: shop}
spec: {matches: {ports: []}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: t, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: ${destination}, namespace: shop}
  rules: [{kind: TCPRoute, name: all}]
  sources: [{kind: ServiceAccount, name: ${source}, namespace: ${sourceNamespace}}]
`;

describe('TrafficSplit backends as subsets of the root', () => {
  const context =
    service('web', '{app: web}') +
    service('plain') +
    service('other', '{app: other, version: b}') +
    service('same', '{app: web}') +
    service('dotted', '{app: web, "example.com/track": canary}') +
    service('web-v1', '{app: web, version: v1}') +
    service('web-v2', '{app: web, version: v2}') +
    service('web-v3', '{app: web, version: v3}');

  it('says why a backend cannot be a subset, and writes it as a service', () => {
    const result = toConsul(
      split(
        '[{service: plain, weight: 1}, {service: other, weight: 1}, {service: same, weight: 1}, {service: dotted, weight: 1}, {service: web-v1, weight: 6}]',
      ),
      { context, options: { backends: 'subsets' } },
    );
    expect(
      withCode(result, 'consul/subset-not-derivable').map((d) => [
        d.location?.pointer,
        d.data?.service,
        d.data?.reason,
      ]),
    ).toEqual([
      ['/spec/backends/0', 'plain', 'its Service or the root Service has no selector'],
      [
        '/spec/backends/1',
        'other',
        'its Service does not select a subset of the root Service pods',
      ],
      ['/spec/backends/2', 'same', 'its Service selects the same pods as the root Service'],
      ['/spec/backends/3', 'dotted', 'label "example.com/track" cannot be a Consul metadata key'],
    ]);
    expect(specOf(result, 'ServiceSplitter', 'web').splits).toEqual([
      { weight: 10, service: 'plain' },
      { weight: 10, service: 'other' },
      { weight: 10, service: 'same' },
      { weight: 10, service: 'dotted' },
      { weight: 60, service: 'web', serviceSubset: 'web-v1' },
    ]);
  });

  it('a root Service without a selector has no subsets', () => {
    const result = toConsul(split('[{service: web-v1, weight: 1}]'), {
      context: service('web') + service('web-v1', '{app: web, version: v1}'),
      options: { backends: 'subsets' },
    });
    expect(withCode(result, 'consul/subset-not-derivable')[0]?.data?.reason).toBe(
      'its Service or the root Service has no selector',
    );
    expect(ofKind(result, 'ServiceResolver')).toEqual([]);
  });

  it('writes one resolver subset per backend, sorted, each filtering on the extra labels', () => {
    const result = toConsul(
      split(
        '[{service: web-v3, weight: 1}, {service: web-v1, weight: 2}, {service: web-v2, weight: 1}]',
      ),
      { context },
    );
    const subsets = specOf(result, 'ServiceResolver', 'web').subsets as Record<string, unknown>;
    expect(Object.keys(subsets)).toEqual(['web-v1', 'web-v2', 'web-v3']);
    expect(subsets['web-v3']).toEqual({ filter: 'Service.Meta.version == "v3"' });
    expect(withCode(result, 'consul/subset-meta-required').map((d) => d.data?.annotations)).toEqual(
      [
        'consul.hashicorp.com/service-meta-version=v3',
        'consul.hashicorp.com/service-meta-version=v1',
        'consul.hashicorp.com/service-meta-version=v2',
      ],
    );
  });

  it('a backend that is the root itself stays the root service, not a subset', () => {
    const result = toConsul(split('[{service: web, weight: 1}, {service: web-v1, weight: 1}]'), {
      context,
    });
    expect(withCode(result, 'smi/self-backend')).toHaveLength(1);
    expect(specOf(result, 'ServiceSplitter', 'web').splits).toEqual([
      { weight: 50, service: 'web' },
      { weight: 50, service: 'web', serviceSubset: 'web-v1' },
    ]);
    // Nothing to service-ignore: the root keeps its instances.
    expect(withCode(result, 'consul/root-service-ignore')).toEqual([]);
  });
});

describe('TrafficTargets Consul cannot carry', () => {
  it('UDP only: nothing is written, narrowing', () => {
    const input = `apiVersion: specs.smi-spec.io/v1alpha4
kind: UDPRoute
metadata: {name: dns, namespace: shop}
spec: {matches: {ports: [53]}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: t, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: dns, namespace: shop}
  rules: [{kind: UDPRoute, name: dns}]
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`;
    const result = toConsul(input, { onUnrepresentable: 'narrow' });
    expect(result.diagnostics.map((d) => [d.code, d.effect, d.location?.pointer])).toEqual([
      ['consul/udp-unsupported', 'narrows-access', '/spec/rules/0'],
    ]);
    expect(result.objects).toEqual([]);
  });

  it('a destination without a Consul identity (no ACLs, no Service in the context)', () => {
    const result = toConsul(tcpTarget('db', 'web'), {
      options: { acls: false },
      onUnrepresentable: 'narrow',
    });
    expect(withCode(result, 'consul/unresolved-identity')).toMatchObject([
      {
        effect: 'narrows-access',
        location: { pointer: '/spec/destination' },
        data: { namespace: 'shop', name: 'db' },
      },
    ]);
    expect(ofKind(result, 'ServiceIntentions')).toEqual([]);
  });
});

describe('one Consul namespace for every Kubernetes namespace', () => {
  it('names every identity in that namespace, and Consul decides like the SMI', () => {
    const options = { namespaces: { mode: 'single', namespace: 'apps' } };
    const result = toConsul(tcpTarget('db', 'web', 'ops'), { options });
    expect(specOf(result, 'ServiceIntentions', 'db')).toEqual({
      destination: { name: 'db', namespace: 'apps' },
      sources: [{ name: 'web', namespace: 'apps', action: 'allow' }],
    });
    const request = (source: string, sourceNamespace: string): AccessRequest => ({
      source: { namespace: sourceNamespace, name: source },
      destination: { namespace: 'shop', name: 'db' },
      protocol: 'tcp',
      port: 5432,
    });
    expect(authorizeConsul(result.objects, request('web', 'ops'), env(options)).allowed).toBe(true);
    expect(authorizeConsul(result.objects, request('batch', 'ops'), env(options)).allowed).toBe(
      false,
    );
  });
});
