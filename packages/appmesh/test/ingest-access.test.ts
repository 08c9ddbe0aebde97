import { compareDiagnostics, type ExpectedDiagnostic } from '@meshlingo/conformance';
import { convert, type ConvertResult, type Diagnostic } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

/**
 * VirtualNode backends read as TrafficTargets: with egress DROP_ALL a node may call exactly the
 * VirtualServices it lists, so its pods' ServiceAccounts may reach the pods those route to, on
 * the ports their listeners expose.
 */

const workload = (name: string, labels: string, account: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec: {serviceAccountName: ${account}, containers: [{name: c, image: i}]}
---`;

const CONTEXT = [
  workload('frontend', '{app: frontend}', 'frontend'),
  workload('batch', '{app: batch}', 'batch'),
  workload('web', '{app: web}', 'web'),
  workload('db', '{app: db}', 'db-account'),
].join('');

const node = (name: string, spec: string, version = 'v1beta2') => `
apiVersion: appmesh.k8s.aws/${version}
kind: VirtualNode
metadata: {name: ${name}, namespace: shop}
spec:${spec}
---`;

const WEB = node(
  'web',
  `
  podSelector: {matchLabels: {app: web}}
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  serviceDiscovery: {dns: {hostname: web.shop.svc.cluster.local}}`,
);

const WEB_SERVICE = `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  awsName: web.shop.svc.cluster.local
  provider: {virtualNode: {virtualNodeRef: {name: web}}}
---`;

const caller = (name: string, backends: string) =>
  node(
    name,
    `
  podSelector: {matchLabels: {app: ${name}}}
  backends: ${backends}`,
  );

const TO_WEB = '[{virtualService: {virtualServiceRef: {name: web}}}]';

function ingest(input: string) {
  return convert(input, { to: ['smi'], from: [appMeshAdapter], context: CONTEXT });
}

function expectDiagnostics(actual: readonly Diagnostic[], expected: ExpectedDiagnostic[]): void {
  expect(compareDiagnostics(actual, expected)).toEqual([]);
}

const D = (code: string, extra: Omit<ExpectedDiagnostic, 'code'> = {}): ExpectedDiagnostic => ({
  code: `appmesh/${code}`,
  ...extra,
});

function targets(result: ConvertResult) {
  const ports = new Map(result.model.tcpRoutes.map((r) => [r.name, r.ports]));
  return result.model.trafficTargets.map((t) => ({
    destination: `${t.destination.namespace}/${t.destination.name}`,
    sources: t.sources.map((s) => `${s.namespace}/${s.name}`),
    ports: t.rules.map((r) => ports.get(r.name)),
  }));
}

describe('backends as access', () => {
  it('takes a Mesh without spec as DROP_ALL and merges the callers of one destination', () => {
    const result = ingest(`
apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata: {name: m}
---${caller('frontend', TO_WEB)}${caller('batch', TO_WEB)}${WEB}${WEB_SERVICE}`);
    expect(targets(result)).toEqual([
      { destination: 'shop/web', sources: ['shop/batch', 'shop/frontend'], ports: [[8080]] },
    ]);
    // No egress-assumed (there is a Mesh) and no mesh-allows-all (DROP_ALL is the default).
    expectDiagnostics(result.diagnostics, []);
  });

  it('gets no identity from a v1beta2 node without podSelector (it selects no pods)', () => {
    const result = ingest(`${node('frontend', `\n  backends: ${TO_WEB}`)}${WEB}${WEB_SERVICE}`);
    expect(targets(result)).toEqual([]);
    expectDiagnostics(result.diagnostics, [
      D('identity-unresolved', {
        line: 5,
        pointer: '/spec',
        effect: 'narrows-access',
        data: { namespace: 'shop', node: 'frontend' },
      }),
      D('egress-assumed', { line: 6, pointer: '/spec/backends' }),
    ]);
  });

  it('reports a v1beta1 backend whose VirtualService (by AWS name) is not in the input', () => {
    const result = ingest(
      node(
        'frontend',
        `
  meshName: m
  backends: [{virtualService: {virtualServiceName: db.shop.svc.cluster.local}}]`,
        'v1beta1',
      ),
    );
    expect(targets(result)).toEqual([]);
    expectDiagnostics(result.diagnostics, [
      D('legacy-version', { line: 2 }),
      D('node-by-name', { line: 4, data: { node: 'shop/frontend' } }),
      D('egress-assumed', { line: 7 }),
      D('reference-not-found', {
        line: 7,
        pointer: '/spec/backends/0',
        effect: 'narrows-access',
        data: { kind: 'VirtualService', namespace: 'shop', name: 'db.shop.svc.cluster.local' },
      }),
    ]);
  });

  it('grants nothing through a VirtualService whose provider node is missing', () => {
    const result = ingest(
      `${caller('frontend', TO_WEB)}${WEB_SERVICE.replace('name: web}}}', 'name: gone}}}')}`,
    );
    expect(targets(result)).toEqual([]);
    expectDiagnostics(result.diagnostics, [
      D('egress-assumed', { pointer: '/spec/backends' }),
      D('reference-not-found', {
        pointer: '/spec/provider',
        data: { kind: 'VirtualNode', namespace: 'shop', name: 'gone' },
      }),
    ]);
  });

  it('reads a v1beta1 router without listeners through the listeners of its target node (https is TCP)', () => {
    const result = ingest(`${node(
      'frontend',
      `
  meshName: m
  backends: [{backendService: {name: db.shop.svc.cluster.local}}]`,
      'v1beta1',
    )}${node(
      'db',
      `
  meshName: m
  listeners: [{portMapping: {port: 5432, protocol: https}}]
  serviceDiscovery: {dns: {hostName: db.shop.svc.cluster.local}}`,
      'v1beta1',
    )}
apiVersion: appmesh.k8s.aws/v1beta1
kind: VirtualService
metadata: {name: db.shop.svc.cluster.local, namespace: shop}
spec:
  meshName: m
  routes:
    - name: all
      tcp: {action: {weightedTargets: [{virtualNodeName: db, weight: 1}]}}
`);
    expect(targets(result)).toEqual([
      { destination: 'shop/db-account', sources: ['shop/frontend'], ports: [[5432]] },
    ]);
    expect(result.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code)).toEqual([]);
  });
});
