import { describe, expect, test } from 'vitest';
import {
  planTrafficMetrics,
  type MeshName,
  type MetricsRequest,
  type ResourceKind,
} from '../src/index.js';

function codes(request: MetricsRequest): string[] {
  const result = planTrafficMetrics(request);
  if (result.diagnostics.length > 0) expect(result.plan).toBeUndefined();
  return result.diagnostics.map((d) => d.code);
}

const web = { mesh: 'istio', kind: 'Deployment', namespace: 'shop', name: 'web' } as const;

describe('request validation', () => {
  test('a valid request plans, with the window in Go form', () => {
    const result = planTrafficMetrics({ ...web, window: '90s' });
    expect(result.diagnostics).toEqual([]);
    expect(result.plan).toMatchObject({
      windowMs: 90_000,
      window: '1m30s',
      namespace: 'shop',
      name: 'web',
    });
    expect(planTrafficMetrics(web).plan?.window).toBe('30s');
  });

  test.each([
    ['web"} or vector(1) or x{a="', 'metrics/invalid-name'],
    ['Web', 'metrics/invalid-name'],
    ['web\n', 'metrics/invalid-name'],
    ['a'.repeat(254), 'metrics/invalid-name'],
  ])('resource name %j is rejected before it reaches a query', (name, code) => {
    const result = planTrafficMetrics({ ...web, name });
    expect(result.diagnostics.map((d) => d.code)).toEqual([code]);
    expect(result.diagnostics[0]?.data).toMatchObject({ value: name, what: 'Deployment name' });
  });

  test('namespaces must be DNS labels; namespaced kinds need one', () => {
    expect(codes({ ...web, namespace: 'shop.prod' })).toEqual(['metrics/invalid-name']);
    const { namespace: _, ...noNamespace } = web;
    expect(codes(noNamespace)).toEqual(['metrics/namespace-required']);
    expect(codes({ mesh: 'istio', kind: 'Namespace', name: 'Shop' })).toEqual([
      'metrics/invalid-name',
    ]);
    expect(
      codes({ mesh: 'istio', kind: 'Namespace', name: 'shop', namespace: 'ignored!' }),
    ).toEqual([]);
  });

  test('edges need a name', () => {
    expect(codes({ mesh: 'linkerd', kind: 'Deployment', namespace: 'shop', edges: true })).toEqual([
      'metrics/name-required',
    ]);
  });

  test.each(['0s', '-30s', '30', '1.5ms2', '1500us5ns', '1d'])(
    'window %s is rejected',
    (window) => {
      expect(codes({ ...web, window })).toEqual(['metrics/invalid-window']);
    },
  );

  test('sub-second windows are allowed in whole milliseconds', () => {
    expect(
      planTrafficMetrics({ ...web, window: '1.5s' }).plan?.views[0]?.queries[3]?.promql,
    ).toContain('[1500ms]');
    expect(codes({ ...web, window: '2000us' })).toEqual([]);
    expect(codes({ ...web, window: '1500us' })).toEqual(['metrics/invalid-window']);
    expect(codes({ ...web, window: '1500001ns' })).toEqual(['metrics/invalid-window']);
  });

  test('options are checked', () => {
    expect(codes({ ...web, options: { labels: { pods: 'x' } } })).toEqual([
      'metrics/unknown-label-key',
    ]);
    expect(codes({ ...web, options: { labels: { pod: 'pod"}' } } })).toEqual([
      'metrics/invalid-label-name',
    ]);
    const proto = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    expect(codes({ ...web, options: { labels: proto } })).toEqual(['metrics/unknown-label-key']);
    expect(codes({ ...web, options: { success: { label: 'a-b', failure: '5..' } } })).toEqual([
      'metrics/invalid-label-name',
    ]);
    expect(codes({ ...web, options: { success: { label: 'code', failure: '(5' } } })).toEqual([
      'metrics/invalid-failure-regex',
    ]);
    expect(codes({ ...web, options: { success: { label: 'code', failure: '(?=5)' } } })).toEqual([
      'metrics/invalid-failure-regex',
    ]);
    expect(codes({ ...web, options: { consulNamespace: 'Team A' } })).toEqual([
      'metrics/invalid-name',
    ]);
    expect(codes({ ...web, options: { appMeshName: 'mesh"x' } })).toEqual(['metrics/invalid-name']);
  });

  test('unknown meshes and kinds from untyped callers', () => {
    expect(codes({ ...web, mesh: 'kuma' as MeshName })).toEqual(['metrics/unknown-mesh']);
    expect(codes({ ...web, kind: 'Service' as ResourceKind })).toEqual(['metrics/unknown-kind']);
  });

  test('pods have no edges in meshes that do not name peer pods', () => {
    const result = planTrafficMetrics({ ...web, kind: 'Pod', name: 'web-0', edges: true });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['metrics/unsupported-edges']);
    expect(result.diagnostics[0]?.message).toBe(
      'Istio cannot list the edges of a Pod: Istio metrics name the peer workload, never the peer pod',
    );
  });

  test('several problems are reported together', () => {
    expect(codes({ ...web, name: 'Bad', window: 'x', options: { labels: { nope: 'x' } } })).toEqual(
      ['metrics/invalid-name', 'metrics/invalid-window', 'metrics/unknown-label-key'],
    );
  });
});
