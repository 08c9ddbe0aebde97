import { TrafficMetricsListV1alpha2Schema } from '@meshlingo/core';
import { describe, expect, inject, test } from 'vitest';
import { MESHES, type MeshName, type TrafficMetricsList } from '../src/index.js';
import { runMetrics } from './support/cli.js';
import { edgeKey, expectedEdges, expectedResource } from './support/expected.js';
import { expectNumbers } from './support/helpers.js';

const url = inject('prometheusUrl');
const skip = inject('prometheusSkip');
const SECONDS = 60;

const label =
  skip === ''
    ? 'meshlingo metrics against a real Prometheus'
    : `meshlingo metrics (skipped: ${skip})`;

describe.skipIf(skip !== '')(label, () => {
  describe.each(MESHES)('%s', (mesh: MeshName) => {
    test('the CLI prints the metrics of a resource and its edges', async () => {
      const base = [
        'metrics',
        '--mesh',
        mesh,
        '--prometheus',
        url,
        '--time',
        '2025-06-01T12:00:00Z',
      ];
      const table = await runMetrics([...base, 'deployments/web', '-n', 'shop', '-w', '1m'], true);
      expect(table.stderr).toBe('');
      expect(table.code).toBe(0);
      const want = expectedResource(
        mesh,
        { kind: 'Deployment', namespace: 'shop', name: 'web' },
        SECONDS,
      );
      const [header, row] = table.stdout.trimEnd().split('\n');
      expect(header).toMatch(
        /^NAMESPACE +NAME +SIDE +SUCCESS +FAILURE +SUCCESS RATE +RPS +P50 +P90 +P99$/,
      );
      const cells = row?.split(/ {2,}/) ?? [];
      expect(cells.slice(0, 5)).toEqual([
        'shop',
        'deployment/web',
        'server',
        String(want.success),
        String(want.failure),
      ]);
      const rate = (100 * want.success) / (want.success + want.failure);
      expect(cells[5]).toBe(`${Number(rate.toFixed(2))}%`);
      expect(cells[6]).toBe(String(Number(((want.success + want.failure) / SECONDS).toFixed(2))));

      const json = await runMetrics([
        ...base,
        'deploy',
        'web',
        '-n',
        'shop',
        '--window',
        '1m',
        '--edges',
        '-o',
        'json',
      ]);
      expect(json.code).toBe(0);
      const output = JSON.parse(json.stdout) as TrafficMetricsList;
      const parsed = TrafficMetricsListV1alpha2Schema.parse(output);
      const expected = expectedEdges(
        mesh,
        { kind: 'Deployment', namespace: 'shop', name: 'web' },
        SECONDS,
      );
      expect(parsed.items).toHaveLength(expected.size);
      for (const item of output.items) {
        const key = edgeKey(item.edge.direction, item.edge.resource ?? {});
        expectNumbers(item, expected.get(key)?.expected ?? { success: -1, failure: -1 }, key);
      }

      const yaml = await runMetrics([...base, 'namespaces/shop', '--api-version', 'v1alpha1']);
      expect(yaml.code).toBe(0);
      expect(yaml.stdout).toMatch(
        /^apiVersion: metrics\.smi-spec\.io\/v1alpha1\nkind: TrafficMetrics\n/,
      );
    });
  });
});
