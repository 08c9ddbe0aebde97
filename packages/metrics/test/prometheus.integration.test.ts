import {
  TrafficMetricsListV1alpha1Schema,
  TrafficMetricsListV1alpha2Schema,
  TrafficMetricsV1alpha1Schema,
  TrafficMetricsV1alpha2Schema,
} from '@meshlingo/core';
import { describe, expect, inject, test } from 'vitest';
import {
  createPrometheusClient,
  fetchTrafficMetrics,
  MESHES,
  RESOURCE_KINDS,
  type MeshName,
  type MetricsRequest,
  type TrafficMetrics,
  type TrafficMetricsList,
} from '../src/index.js';
import { edgeKey, expectedEdges, expectedResource, type Target } from './support/expected.js';
import { expectNumbers } from './support/helpers.js';
import { APP_MESH_NAME, END, WORKLOADS } from './support/scenario.js';

const url = inject('prometheusUrl');
const skip = inject('prometheusSkip');
const time = new Date(END * 1000);
const WINDOW = '1m';
const SECONDS = 60;

async function fetchAt(request: Omit<MetricsRequest, 'window'>, window = WINDOW) {
  const client = createPrometheusClient({ url, timeoutMs: 10_000 });
  const result = await fetchTrafficMetrics(client, { ...request, window }, { time });
  expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  return result;
}

async function single(request: Omit<MetricsRequest, 'window'>): Promise<TrafficMetrics> {
  const { object } = await fetchAt(request);
  expect(object?.kind).toBe('TrafficMetrics');
  TrafficMetricsV1alpha2Schema.parse(object);
  return object as TrafficMetrics;
}

async function list(request: Omit<MetricsRequest, 'window'>): Promise<TrafficMetricsList> {
  const { object } = await fetchAt(request);
  expect(object?.kind).toBe('TrafficMetricsList');
  TrafficMetricsListV1alpha2Schema.parse(object);
  return object as TrafficMetricsList;
}

function target(request: Omit<MetricsRequest, 'window' | 'mesh'>): Target {
  if (request.kind === 'Namespace') return { kind: 'Namespace', name: request.name ?? '' };
  if (request.kind === 'Pod') {
    return { kind: 'Pod', namespace: request.namespace ?? '', name: request.name ?? '' };
  }
  if (request.kind !== 'Deployment' && request.kind !== 'StatefulSet') throw new Error('kind');
  return { kind: request.kind, namespace: request.namespace ?? '', name: request.name ?? '' };
}

const RESOURCES: readonly Omit<MetricsRequest, 'window' | 'mesh'>[] = [
  { kind: 'Deployment', namespace: 'shop', name: 'web' },
  { kind: 'Deployment', namespace: 'shop', name: 'api' },
  { kind: 'StatefulSet', namespace: 'data', name: 'db' },
  { kind: 'Pod', namespace: 'shop', name: 'web-5d8f7c9b6d-x2x4z' },
  { kind: 'Namespace', name: 'shop' },
];

const EDGES: readonly Omit<MetricsRequest, 'window' | 'mesh'>[] = [
  { kind: 'Deployment', namespace: 'shop', name: 'web' },
  { kind: 'Deployment', namespace: 'shop', name: 'api' },
  { kind: 'StatefulSet', namespace: 'data', name: 'db' },
  { kind: 'StatefulSet', namespace: 'data', name: 'cache' },
  { kind: 'Namespace', name: 'shop' },
  { kind: 'Namespace', name: 'data' },
];

const label =
  skip === '' ? 'against a real Prometheus' : `against a real Prometheus (skipped: ${skip})`;

describe.skipIf(skip !== '')(label, () => {
  describe.each(MESHES)('%s', (mesh: MeshName) => {
    test.each(RESOURCES)('resource metrics of $kind $name', async (resource) => {
      const item = await single({ mesh, ...resource });
      expect(item.timestamp).toBe('2025-06-01T12:00:00Z');
      expect(item.window).toBe('1m0s');
      expect(item.edge).toEqual({ direction: 'from', side: 'server', resource: null });
      expect(item.resource.kind).toBe(resource.kind);
      expectNumbers(
        item,
        expectedResource(mesh, target(resource), SECONDS),
        `${mesh} ${resource.name}`,
      );
    });

    test.each(EDGES)('edges of $kind $name', async (resource) => {
      if (mesh === 'consul' && resource.kind === 'Namespace') {
        const client = createPrometheusClient({ url });
        const result = await fetchTrafficMetrics(
          client,
          { mesh, ...resource, edges: true },
          { time },
        );
        expect(result.object).toBeUndefined();
        expect(result.diagnostics.map((d) => d.code)).toEqual(['metrics/unsupported-edges']);
        return;
      }
      const edges = await list({ mesh, ...resource, edges: true });
      const expected = expectedEdges(mesh, target(resource), SECONDS);
      expect(expected.size).toBeGreaterThan(0);
      const keys = edges.items.map((i) => edgeKey(i.edge.direction, i.edge.resource ?? {}));
      expect(keys.sort()).toEqual([...expected.keys()].sort());
      for (const item of edges.items) {
        const key = edgeKey(item.edge.direction, item.edge.resource ?? {});
        const want = expected.get(key);
        expect(item.resource).toEqual(edges.resource);
        expect(item.edge.resource).toEqual(want?.peer);
        expect(item.edge.side).toBe(want?.side);
        expectNumbers(item, want?.expected ?? { success: -1, failure: -1 }, `${mesh} ${key}`);
      }
    });

    test('every deployment of a namespace', async () => {
      const deployments = await list({ mesh, kind: 'Deployment', namespace: 'shop' });
      const served = WORKLOADS.filter(
        (w) => w.kind === 'Deployment' && w.namespace === 'shop' && w.name !== 'loadgen',
      );
      expect(deployments.items.map((i) => i.resource.name)).toEqual(
        served.map((w) => w.name).sort(),
      );
      for (const item of deployments.items) {
        const t: Target = { kind: 'Deployment', namespace: 'shop', name: item.resource.name ?? '' };
        expectNumbers(item, expectedResource(mesh, t, SECONDS), `${mesh} ${t.name}`);
      }
    });

    test('a window with no traffic gives zeros and a no-data note', async () => {
      const client = createPrometheusClient({ url });
      const result = await fetchTrafficMetrics(
        client,
        { mesh, kind: 'Deployment', namespace: 'shop', name: 'web' },
        { time: new Date((END + 3_600) * 1000) },
      );
      expect(result.diagnostics.map((d) => d.code)).toEqual(['metrics/no-data']);
      const item = result.object as TrafficMetrics;
      expect(item.metrics.map((m) => m.value)).toEqual(['0', '0', '0', '0', '0']);
    });
  });

  test('App Mesh queries can be narrowed to one mesh name', async () => {
    const request = {
      mesh: 'appmesh',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'api',
    } as const;
    const named = await fetchAt({
      ...request,
      edges: true,
      options: { appMeshName: APP_MESH_NAME },
    });
    const any = await fetchAt({ ...request, edges: true });
    expect(named.object).toEqual(any.object);
    const other = await fetchAt({
      ...request,
      edges: true,
      options: { appMeshName: 'other-mesh' },
    });
    expect((other.object as TrafficMetricsList).items).toEqual([]);
  });

  test('v1alpha1 objects have no edge side and validate against the v1alpha1 schemas', async () => {
    const client = createPrometheusClient({ url });
    const request = {
      mesh: 'istio',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      window: WINDOW,
    } as const;
    const one = await fetchTrafficMetrics(client, request, { time, version: 'v1alpha1' });
    const item = TrafficMetricsV1alpha1Schema.parse(one.object);
    expect(item.edge).toEqual({ direction: 'from', resource: null });
    const edges = await fetchTrafficMetrics(
      client,
      { ...request, edges: true },
      { time, version: 'v1alpha1' },
    );
    const parsed = TrafficMetricsListV1alpha1Schema.parse(edges.object);
    expect(
      parsed.items.every((i) => i.edge !== null && i.edge !== undefined && !('side' in i.edge)),
    ).toBe(true);
  });

  test('every query of every mesh, kind and view is valid PromQL', async () => {
    const client = createPrometheusClient({ url });
    for (const mesh of MESHES) {
      for (const kind of RESOURCE_KINDS) {
        for (const edges of [false, true]) {
          for (const name of [undefined, 'web']) {
            if (edges && name === undefined) continue;
            const result = await fetchTrafficMetrics(
              client,
              { mesh, kind, namespace: 'shop', ...(name !== undefined && { name }), edges },
              { time },
            );
            const errors = result.diagnostics.filter(
              (d) => d.severity === 'error' && d.code !== 'metrics/unsupported-edges',
            );
            expect(errors, `${mesh} ${kind} ${name ?? '(all)'} edges=${edges}`).toEqual([]);
          }
        }
      }
    }
  });
});
