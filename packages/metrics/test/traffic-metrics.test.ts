import {
  TrafficMetricsListV1alpha1Schema,
  TrafficMetricsListV1alpha2Schema,
  TrafficMetricsV1alpha2Schema,
} from '@meshlingo/core';
import { describe, expect, test } from 'vitest';
import {
  buildTrafficMetrics,
  fetchTrafficMetrics,
  planTrafficMetrics,
  type MetricsPlan,
  type MetricsRequest,
  type PrometheusClient,
  type QueryOutcome,
  type Sample,
  type TrafficMetrics,
  type TrafficMetricsList,
} from '../src/index.js';

const time = new Date('2026-11-26T09:00:00.750Z');

function planOf(request: MetricsRequest): MetricsPlan {
  const { plan } = planTrafficMetrics(request);
  if (plan === undefined) throw new Error('no plan');
  return plan;
}

function sample(labels: Record<string, string>, value: string): Sample {
  return { labels, time: time.getTime() / 1000, value };
}

/** Results in plan order from per-metric sample lists (p99, p90, p50, success, failure). */
function results(...views: Sample[][][]): Sample[][][] {
  return views;
}

const webLabels = { destination_workload_namespace: 'shop', destination_workload: 'web' };

describe('buildTrafficMetrics', () => {
  test('one resource: exact quantities, ms latencies, Go window, RFC 3339 timestamp', () => {
    const plan = planOf({
      mesh: 'istio',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      window: '1m',
    });
    const { object, diagnostics } = buildTrafficMetrics(
      plan,
      results([
        [sample(webLabels, '472.5000000000001')],
        [sample(webLabels, '49.75')],
        [sample(webLabels, '38.75')],
        [sample(webLabels, '2000')],
        [sample(webLabels, '59.99999999999999')],
      ]),
      { time, version: 'v1alpha2' },
    );
    expect(diagnostics).toEqual([]);
    expect(object).toEqual({
      apiVersion: 'metrics.smi-spec.io/v1alpha2',
      kind: 'TrafficMetrics',
      metadata: {
        name: 'web',
        namespace: 'shop',
        selfLink: '/apis/metrics.smi-spec.io/v1alpha2/namespaces/shop/deployments/web',
        creationTimestamp: '2026-11-26T09:00:00Z',
      },
      timestamp: '2026-11-26T09:00:00Z',
      window: '1m0s',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      edge: { direction: 'from', side: 'server', resource: null },
      metrics: [
        { name: 'p99_response_latency', unit: 'ms', value: '472500m' },
        { name: 'p90_response_latency', unit: 'ms', value: '49750m' },
        { name: 'p50_response_latency', unit: 'ms', value: '38750m' },
        { name: 'success_count', value: '2k' },
        { name: 'failure_count', value: '60' },
      ],
    });
    TrafficMetricsV1alpha2Schema.parse(object);
  });

  test('NaN latencies (no requests) and missing failure series are written as 0', () => {
    const plan = planOf({ mesh: 'istio', kind: 'Deployment', namespace: 'shop', name: 'web' });
    const { object, diagnostics } = buildTrafficMetrics(
      plan,
      results([
        [sample(webLabels, 'NaN')],
        [sample(webLabels, '+Inf')],
        [],
        [sample(webLabels, '0')],
        [],
      ]),
      { time, version: 'v1alpha2' },
    );
    expect(diagnostics).toEqual([]);
    expect((object as TrafficMetrics).metrics.map((m) => m.value)).toEqual([
      '0',
      '0',
      '0',
      '0',
      '0',
    ]);
  });

  test('a resource with no samples at all: zeros and a no-data note', () => {
    const plan = planOf({ mesh: 'linkerd', kind: 'Namespace', name: 'shop' });
    const { object, diagnostics } = buildTrafficMetrics(plan, results([[], [], [], [], []]), {
      time,
      version: 'v1alpha1',
    });
    expect(diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      [
        'metrics/no-data',
        'info',
        'no request samples for Namespace shop in the 30s window; reported as 0',
      ],
    ]);
    expect(object).toMatchObject({
      apiVersion: 'metrics.smi-spec.io/v1alpha1',
      metadata: { name: 'shop', selfLink: '/apis/metrics.smi-spec.io/v1alpha1/namespaces/shop' },
      resource: { kind: 'Namespace', name: 'shop' },
      edge: { direction: 'from', resource: null },
    });
    expect((object as TrafficMetrics).metadata).not.toHaveProperty('namespace');
  });

  test('a kind list: one item per identity, sorted, series without identity skipped', () => {
    const plan = planOf({ mesh: 'linkerd', kind: 'Deployment', namespace: 'shop' });
    const a = { namespace: 'shop', deployment: 'api' };
    const w = { namespace: 'shop', deployment: 'web' };
    const { object, diagnostics } = buildTrafficMetrics(
      plan,
      results([
        [],
        [],
        [],
        [sample(w, '10'), sample(a, '5'), sample({ namespace: 'shop' }, '1')],
        [sample(w, '1')],
      ]),
      { time, version: 'v1alpha2' },
    );
    expect(diagnostics.map((d) => [d.code, d.data])).toEqual([
      ['metrics/series-without-identity', { metric: 'success_count', labels: 'deployment' }],
    ]);
    const list = TrafficMetricsListV1alpha2Schema.parse(object);
    expect(list.metadata).toEqual({
      selfLink: '/apis/metrics.smi-spec.io/v1alpha2/namespaces/shop/deployments',
    });
    expect(list.resource).toEqual({ kind: 'Deployment', namespace: 'shop' });
    expect(
      (object as TrafficMetricsList).items.map((i) => [
        i.resource.name,
        i.metrics[3]?.value,
        i.metrics[4]?.value,
      ]),
    ).toEqual([
      ['api', '5', '0'],
      ['web', '10', '1'],
    ]);
  });

  test('edges: direction and side from the view, peers from the labels, duplicates warned', () => {
    const plan = planOf({
      mesh: 'istio',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      edges: true,
    });
    const api = { destination_workload_namespace: 'shop', destination_workload: 'api' };
    const lg = { source_workload_namespace: 'shop', source_workload: 'loadgen' };
    const self = { source_workload_namespace: 'shop', source_workload: 'web' };
    const toWeb = { destination_workload_namespace: 'shop', destination_workload: 'web' };
    const { object, diagnostics } = buildTrafficMetrics(
      plan,
      results(
        [[], [], [], [sample(api, '3'), sample(toWeb, '2'), sample(api, '4')], []],
        [[sample(lg, '100')], [], [], [sample(lg, '7'), sample(self, '2')], []],
      ),
      { time, version: 'v1alpha2' },
    );
    expect(diagnostics.map((d) => d.code)).toEqual(['metrics/duplicate-series']);
    const list = object as TrafficMetricsList;
    TrafficMetricsListV1alpha2Schema.parse(list);
    expect(list.metadata.selfLink).toBe(
      '/apis/metrics.smi-spec.io/v1alpha2/namespaces/shop/deployments/web/edges',
    );
    expect(list.resource).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(list.items.map((i) => [i.edge, i.metrics[0]?.value, i.metrics[3]?.value])).toEqual([
      [
        {
          direction: 'to',
          side: 'client',
          resource: { kind: 'Deployment', namespace: 'shop', name: 'api' },
        },
        '0',
        '3',
      ],
      [
        {
          direction: 'to',
          side: 'client',
          resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
        },
        '0',
        '2',
      ],
      [
        {
          direction: 'from',
          side: 'server',
          resource: { kind: 'Deployment', namespace: 'shop', name: 'loadgen' },
        },
        '100',
        '7',
      ],
      [
        {
          direction: 'from',
          side: 'server',
          resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
        },
        '0',
        '2',
      ],
    ]);
    expect(list.items.every((i) => i.resource.name === 'web' && i.metadata.name === 'web')).toBe(
      true,
    );
  });

  test('Consul callees without mirroring are placed in the resource namespace; v1alpha1 has no side', () => {
    const plan = planOf({
      mesh: 'consul',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      edges: true,
    });
    const { object } = buildTrafficMetrics(
      plan,
      results(
        [[], [], [], [sample({ consul_destination_service: 'db' }, '1')], []],
        [[], [], [], [], []],
      ),
      { time, version: 'v1alpha1' },
    );
    const list = TrafficMetricsListV1alpha1Schema.parse(object);
    expect(list.items[0]?.edge).toEqual({
      direction: 'to',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'db' },
    });
  });
});

function fakeClient(
  answer: (promql: string) => QueryOutcome,
): PrometheusClient & { times: number[] } {
  const times: number[] = [];
  return {
    url: 'http://prometheus.test',
    timeoutMs: 1_500,
    times,
    query: (promql, at) => {
      times.push(at.getTime());
      return Promise.resolve(answer(promql));
    },
  };
}

describe('fetchTrafficMetrics', () => {
  const request = {
    mesh: 'istio',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    edges: true,
  } as const;

  test('evaluates every query at one instant, truncated to the second', async () => {
    const client = fakeClient(() => ({ ok: true, samples: [], warnings: [] }));
    const result = await fetchTrafficMetrics(client, request, { time });
    expect(client.times).toEqual(Array<number>(10).fill(Date.parse('2026-11-26T09:00:00Z')));
    expect(result.diagnostics).toEqual([]);
    expect(result.object).toMatchObject({ kind: 'TrafficMetricsList', items: [] });
  });

  test('a failure of every query is reported once and gives no object', async () => {
    const client = fakeClient(() => ({
      ok: false,
      failure: {
        kind: 'unreachable',
        url: 'http://prometheus.test',
        message: 'connect ECONNREFUSED',
      },
    }));
    const result = await fetchTrafficMetrics(client, request, { time });
    expect(result.object).toBeUndefined();
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'cannot reach Prometheus at http://prometheus.test: connect ECONNREFUSED',
    ]);
  });

  test.each([
    [{ kind: 'timeout', message: 'x' }, 'Prometheus at http://p did not answer within 1.5s'],
    [
      { kind: 'http-error', message: 'bad gateway', status: 502 },
      'Prometheus at http://p answered HTTP 502: bad gateway',
    ],
    [
      { kind: 'bad-response', message: 'the body is not JSON: x' },
      'the answer from Prometheus at http://p is not a valid query result: the body is not JSON: x',
    ],
    [
      { kind: 'query-error', message: 'query timed out', errorType: 'timeout' },
      'Prometheus rejected a query (timeout): query timed out',
    ],
    [
      { kind: 'invalid-url', message: 'it is not an absolute URL' },
      'the Prometheus URL "http://p" is invalid: it is not an absolute URL',
    ],
  ] as const)('failure %o reads %j', async (f, message) => {
    const client = fakeClient(() => ({ ok: false, failure: { url: 'http://p', ...f } }));
    const result = await fetchTrafficMetrics(client, request, { time });
    expect(result.diagnostics.map((d) => [d.severity, d.message])).toEqual([['error', message]]);
  });

  test('warnings are passed on with the object', async () => {
    const client = fakeClient(() => ({ ok: true, samples: [], warnings: ['PromQL info: x'] }));
    const result = await fetchTrafficMetrics(client, request, { time });
    expect(result.object).toBeDefined();
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['metrics/prometheus-warning', 'warning'],
    ]);
  });

  test('bad input is reported without querying', async () => {
    const client = fakeClient(() => ({ ok: true, samples: [], warnings: [] }));
    const bad = await fetchTrafficMetrics(client, { ...request, name: 'x"}' }, { time });
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['metrics/invalid-name']);
    const badTime = await fetchTrafficMetrics(client, request, { time: new Date(Number.NaN) });
    expect(badTime.diagnostics.map((d) => d.code)).toEqual(['metrics/invalid-time']);
    expect(client.times).toEqual([]);
  });
});
