import { expect, test } from 'vitest';
import {
  renderTrafficMetricsTable,
  type TrafficMetrics,
  type TrafficMetricsList,
} from '../src/index.js';

function item(
  name: string,
  values: [string, string, string, string, string],
  edge: TrafficMetrics['edge'] = { direction: 'from', side: 'server', resource: null },
): TrafficMetrics {
  const [p99, p90, p50, success, failure] = values;
  return {
    apiVersion: 'metrics.smi-spec.io/v1alpha2',
    kind: 'TrafficMetrics',
    metadata: { name, namespace: 'shop', selfLink: '', creationTimestamp: '2026-11-26T09:00:00Z' },
    timestamp: '2026-11-26T09:00:00Z',
    window: '1m0s',
    resource: { kind: 'Deployment', namespace: 'shop', name },
    edge,
    metrics: [
      { name: 'p99_response_latency', unit: 'ms', value: p99 },
      { name: 'p90_response_latency', unit: 'ms', value: p90 },
      { name: 'p50_response_latency', unit: 'ms', value: p50 },
      { name: 'success_count', value: success },
      { name: 'failure_count', value: failure },
    ],
  };
}

test('a resource: counts, success rate, requests per second and latencies', () => {
  const out = renderTrafficMetricsTable(item('web', ['472500m', '49750m', '38750m', '2k', '60']));
  expect(out).toBe(
    [
      'NAMESPACE  NAME            SIDE    SUCCESS  FAILURE  SUCCESS RATE  RPS    P50      P90      P99',
      'shop       deployment/web  server  2000     60       97.09%        34.33  38.75ms  49.75ms  472.5ms',
      '',
    ].join('\n'),
  );
});

test('edges show direction and peer; idle rows show dashes', () => {
  const list: TrafficMetricsList = {
    apiVersion: 'metrics.smi-spec.io/v1alpha2',
    kind: 'TrafficMetricsList',
    metadata: { selfLink: '' },
    resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    items: [
      item('web', ['16', '16', '10', '300', '0'], {
        direction: 'to',
        side: 'client',
        resource: { kind: 'Deployment', namespace: 'shop', name: 'api' },
      }),
      item('web', ['0', '0', '0', '0', '0'], {
        direction: 'from',
        resource: { kind: 'Deployment', namespace: 'edge', name: 'gateway' },
      }),
    ],
  };
  expect(renderTrafficMetricsTable(list).split('\n')).toEqual([
    'NAMESPACE  NAME            DIRECTION  PEER NAMESPACE  PEER                SIDE    SUCCESS  FAILURE  SUCCESS RATE  RPS  P50   P90   P99',
    'shop       deployment/web  to         shop            deployment/api      client  300      0        100%          5    10ms  16ms  16ms',
    'shop       deployment/web  from       edge            deployment/gateway  -       0        0        -             0    -     -     -',
    '',
  ]);
});

test('empty lists say so', () => {
  const empty = (name?: string): TrafficMetricsList => ({
    apiVersion: 'metrics.smi-spec.io/v1alpha2',
    kind: 'TrafficMetricsList',
    metadata: { selfLink: '' },
    resource: { kind: 'Deployment', namespace: 'shop', ...(name !== undefined && { name }) },
    items: [],
  });
  expect(renderTrafficMetricsTable(empty('web'))).toBe('No edges with traffic in the window.\n');
  expect(renderTrafficMetricsTable(empty())).toBe('No resources with traffic in the window.\n');
});
