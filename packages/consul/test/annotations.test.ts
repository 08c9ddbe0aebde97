import { toYamlStream, type KubeObject } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { SMI_ANNOTATION } from '../src/index.js';
import { fromConsul, toConsul, withCode } from './support.js';

/** SMI: an L7 grant (api), an L4 grant (db), and a canary split of web, in namespace shop. */
const smi = `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: api-reads, namespace: shop}
spec:
  matches: [{name: reads, pathRegex: /items, methods: [GET]}]
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: db-port, namespace: shop}
spec: {matches: {ports: []}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata:
  name: web-reads-api
  namespace: shop
  labels: {team: store}
  annotations: {note: reviewed}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: [{kind: HTTPRouteGroup, name: api-reads}]
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: api-uses-db, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: db, namespace: shop}
  rules: [{kind: TCPRoute, name: db-port}]
  sources: [{kind: ServiceAccount, name: api, namespace: shop}]
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: web-canary, namespace: shop}
spec:
  service: web
  backends: [{service: web-v1, weight: 9}, {service: web-v2, weight: 1}]
`;

function emitted(): KubeObject[] {
  const result = toConsul(smi);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.objects;
}

function find(list: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = list.find((o) => o.kind === kind && o.metadata?.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found;
}

function annotation(object: KubeObject): string {
  return object.metadata?.annotations?.[SMI_ANNOTATION] ?? '';
}

function withAnnotation(object: KubeObject, value: string): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: { ...object.metadata?.annotations, [SMI_ANNOTATION]: value },
    },
  };
}

/** Reads Consul objects back; the names tell whether an annotation restored the SMI. */
function readBack(list: readonly KubeObject[]) {
  return fromConsul(toYamlStream(list));
}

const targetNames = (result: ReturnType<typeof readBack>): string[] =>
  result.model.trafficTargets.map((t) => `${t.namespace}/${t.name}`).sort();

describe('SMI annotations on the objects meshlingo wrote', () => {
  it('restore the SMI exactly, user labels and annotations included', () => {
    const list = emitted();
    const stored = JSON.parse(annotation(find(list, 'ServiceIntentions', 'api'))) as KubeObject[];
    // Only what the user wrote: not meshlingo's own label and annotations.
    expect(stored.find((o) => o.kind === 'TrafficTarget')?.metadata).toEqual({
      name: 'web-reads-api',
      namespace: 'shop',
      labels: { team: 'store' },
      annotations: { note: 'reviewed' },
    });
    const result = readBack(list);
    expect(result.diagnostics).toEqual([]);
    expect(targetNames(result)).toEqual(['shop/api-uses-db', 'shop/web-reads-api']);
    const target = result.model.trafficTargets.find((t) => t.name === 'web-reads-api');
    expect(target?.labels?.team).toBe('store');
    expect(target?.annotations?.note).toBe('reviewed');
    expect(
      result.model.trafficSplits.map((s) => [s.name, s.backends.map((b) => b.weight)]),
    ).toEqual([['web-canary', [9, 1]]]);
  });

  it('are stale once a service the SMI needs as HTTP is TCP again', () => {
    const list = emitted().map((o) =>
      o.kind === 'ServiceDefaults' && o.metadata?.name === 'api'
        ? { ...o, spec: { protocol: 'tcp' } }
        : o,
    );
    const result = readBack(list);
    expect(withCode(result, 'consul/smi-annotation-stale')).toMatchObject([
      { location: { pointer: `/metadata/annotations/${SMI_ANNOTATION.replace('/', '~1')}` } },
    ]);
    // Read from the object: Consul does not apply L7 permissions to a TCP service.
    expect(withCode(result, 'consul/l7-requires-http')).toMatchObject([
      { data: { source: 'web', destination: 'api', protocol: 'tcp' } },
    ]);
    expect(targetNames(result)).toEqual(['shop/api-uses-db']);
  });

  it('are stale once a destination the SMI leaves TCP has become HTTP', () => {
    const list = [
      ...emitted(),
      {
        apiVersion: 'consul.hashicorp.com/v1alpha1',
        kind: 'ServiceDefaults',
        metadata: { name: 'db', namespace: 'shop' },
        spec: { protocol: 'http' },
      },
    ];
    const result = readBack(list);
    expect(withCode(result, 'consul/smi-annotation-stale')).toMatchObject([
      { resource: { kind: 'ServiceIntentions', name: 'db' } },
    ]);
    // An allow on an HTTP service carries HTTP only: an HTTP match of everything.
    const db = result.model.trafficTargets.find((t) => t.destination.name === 'db');
    expect(db?.rules.map((r) => r.kind)).toEqual(['HTTPRouteGroup']);
  });

  it('are stale once the object was edited', () => {
    const list = emitted().map((o) =>
      o.kind === 'ServiceIntentions' && o.metadata?.name === 'db'
        ? {
            ...o,
            spec: { destination: { name: 'db' }, sources: [{ name: 'batch', action: 'allow' }] },
          }
        : o,
    );
    const result = readBack(list);
    expect(withCode(result, 'consul/smi-annotation-stale')).toHaveLength(1);
    expect(
      result.model.trafficTargets.find((t) => t.destination.name === 'db')?.sources,
    ).toMatchObject([{ name: 'batch' }]);
  });

  it('do not explain another object they were copied to', () => {
    const list = emitted();
    const copied = withAnnotation(
      find(list, 'ServiceIntentions', 'db'),
      annotation(find(list, 'ServiceIntentions', 'api')),
    );
    const result = readBack(
      list.map((o) => (o.kind === 'ServiceIntentions' && o.metadata?.name === 'db' ? copied : o)),
    );
    expect(withCode(result, 'consul/smi-annotation-stale')).toMatchObject([
      { resource: { name: 'db' } },
    ]);
    // Names still come back from meshlingo.io/source; the grants are read from the objects.
    expect(targetNames(result)).toEqual(['shop/api-uses-db', 'shop/web-reads-api']);
    expect(
      result.model.trafficTargets.find((t) => t.name === 'api-uses-db')?.sources,
    ).toMatchObject([{ name: 'api', namespace: 'shop' }]);
  });

  it('of a split are stale when the root has routing objects the SMI does not explain', () => {
    const list = [
      ...emitted(),
      {
        apiVersion: 'consul.hashicorp.com/v1alpha1',
        kind: 'ServiceRouter',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          routes: [
            { match: { http: { pathPrefix: '/beta' } }, destination: { service: 'web-v2' } },
          ],
        },
      },
    ];
    const result = readBack(list);
    expect(withCode(result, 'consul/smi-annotation-stale')).toMatchObject([
      { resource: { kind: 'ServiceSplitter', name: 'web' } },
    ]);
    expect(result.model.trafficSplits.map((s) => s.name)).toEqual(['web']);
  });

  it('are stale when their SMI would not translate without loss (a port list)', () => {
    const portSmi = smi.replace('spec: {matches: {ports: []}}', 'spec: {matches: {ports: [5432]}}');
    const result = toConsul(portSmi, { onUnrepresentable: 'widen' });
    expect(withCode(result, 'consul/port-restriction-dropped')).toHaveLength(1);
    const back = readBack(result.objects);
    expect(withCode(back, 'consul/smi-annotation-stale')).toMatchObject([
      { resource: { name: 'db' } },
    ]);
    // Consul allows every port: the TCPRoute read back has none.
    expect(back.model.tcpRoutes.map((r) => r.ports)).toEqual([[]]);
  });

  it('that disagree about one SMI object: the first is kept', () => {
    const first = emitted();
    const other = toConsul(
      smi
        .replace('pathRegex: /items, methods: [GET]', 'pathRegex: /items, methods: [GET, HEAD]')
        .replace(
          'name: api, namespace: shop}\n  rules: [{kind: HTTPRouteGroup',
          'name: cart, namespace: shop}\n  rules: [{kind: HTTPRouteGroup',
        )
        .replace('name: web-reads-api', 'name: web-reads-cart'),
    ).objects;
    const list = [
      ...first.filter((o) => o.kind !== 'ServiceSplitter'),
      find(other, 'ServiceIntentions', 'cart'),
      ...other.filter((o) => o.kind === 'ServiceDefaults' && o.metadata?.name === 'cart'),
    ];
    const result = readBack(list);
    // Both annotations define HTTPRouteGroup shop/api-reads, differently: the second is stale.
    expect(withCode(result, 'consul/smi-annotation-stale')).toMatchObject([
      { resource: { name: 'cart' } },
    ]);
    expect(targetNames(result)).toEqual([
      'shop/api-uses-db',
      'shop/web-reads-api',
      'shop/web-reads-cart',
    ]);
  });

  it.each([
    ['{not json', 'not JSON'],
    ['{"kind": "TrafficTarget"}', 'not a list of objects'],
    ['[1, 2]', 'not a list of objects'],
    [
      '[{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"}}]',
      'it holds objects that are not SMI',
    ],
  ])('that cannot be read (%s) are ignored', (value, reason) => {
    const list = emitted();
    const result = readBack(
      list.map((o) =>
        o.kind === 'ServiceIntentions' && o.metadata?.name === 'db' ? withAnnotation(o, value) : o,
      ),
    );
    expect(withCode(result, 'consul/smi-annotation-invalid')).toMatchObject([
      {
        effect: 'cosmetic',
        location: { pointer: `/metadata/annotations/${SMI_ANNOTATION.replace('/', '~1')}` },
        data: { reason },
      },
    ]);
    expect(targetNames(result)).toEqual(['shop/api-uses-db', 'shop/web-reads-api']);
  });

  it('holding SMI with errors are ignored', () => {
    const broken = JSON.stringify([
      {
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        metadata: { name: 'x', namespace: 'shop' },
        spec: { service: 'web', backends: [] },
      },
    ]);
    const result = readBack(
      emitted().map((o) => (o.kind === 'ServiceSplitter' ? withAnnotation(o, broken) : o)),
    );
    expect(withCode(result, 'consul/smi-annotation-invalid')).toMatchObject([
      { resource: { kind: 'ServiceSplitter', name: 'web' } },
    ]);
    // Read from the object: weights 90 and 10 are 9 to 1.
    expect(
      result.model.trafficSplits.map((s) => [s.name, s.backends.map((b) => b.weight)]),
    ).toEqual([['web-canary', [9, 1]]]);
  });
});
