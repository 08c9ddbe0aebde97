import { TrafficMetricsListV1alpha2Schema, TrafficMetricsV1alpha2Schema } from '@meshlingo/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { runMetrics } from './support/cli.js';

/**
 * A stand-in Prometheus that answers every instant query with one sample: 600 for success
 * counts, 60 for failure counts, 38.75 for latencies, labelled with whatever the query groups by.
 */
let server: Server;
let url: string;
const queries: string[] = [];

function labelsOf(query: string): Record<string, string> {
  const by = /sum by \(([^)]*)\)/.exec(query)?.[1] ?? '';
  const names = by.split(', ').filter((l) => l !== '' && l !== 'le');
  const values: Record<string, string> = {};
  for (const name of names) {
    const pinned = new RegExp(`[{ ]${name}="([^"]*)"`).exec(query)?.[1];
    values[name] = pinned ?? 'peer';
  }
  return values;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const query = new URLSearchParams(body).get('query') ?? '';
      queries.push(query);
      const value = query.startsWith('histogram_quantile')
        ? '38.75'
        : /=~"5\.\."|=~"failure"|=~"5"/.test(query)
          ? '60'
          : '600';
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: labelsOf(query), value: [0, value] }] },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  queries.length = 0;
  delete process.env.PROMETHEUS_URL;
});

const base = (): string[] => ['metrics', '--mesh', 'istio', '--prometheus', url];

describe('meshlingo metrics', () => {
  test('a table on a terminal', async () => {
    const run = await runMetrics([...base(), 'deployments/web', '-n', 'shop'], true);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'NAMESPACE  NAME            SIDE    SUCCESS  FAILURE  SUCCESS RATE  RPS  P50      P90      P99',
        'shop       deployment/web  server  600      60       90.91%        22   38.75ms  38.75ms  38.75ms',
        '',
      ].join('\n'),
    });
    expect(queries).toHaveLength(5);
    expect(
      queries.every((q) => q.includes('destination_workload="web"') && q.includes('[30s]')),
    ).toBe(true);
  });

  test('YAML when stdout is not a terminal, JSON on request', async () => {
    const yaml = await runMetrics([...base(), 'deploy/web', '-n', 'shop', '--time', '1748779200']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain(
      'apiVersion: metrics.smi-spec.io/v1alpha2\nkind: TrafficMetrics\n',
    );
    expect(yaml.stdout).toContain('timestamp: "2025-06-01T12:00:00Z"\nwindow: "30s"\n');
    expect(yaml.stdout).toContain('  - name: success_count\n    value: "600"\n');
    const json = await runMetrics([
      ...base(),
      'deployments',
      'web',
      '-n',
      'shop',
      '-o',
      'json',
      '-w',
      '5m',
    ]);
    const object = TrafficMetricsV1alpha2Schema.parse(JSON.parse(json.stdout));
    expect(object.window).toBe('5m0s');
    expect(object.metrics.map((m) => m.value)).toEqual(['38750m', '38750m', '38750m', '600', '60']);
  });

  test('edges and lists', async () => {
    const edges = await runMetrics([
      ...base(),
      'deployments/web',
      '-n',
      'shop',
      '--edges',
      '-o',
      'json',
    ]);
    expect(edges.code).toBe(0);
    const list = TrafficMetricsListV1alpha2Schema.parse(JSON.parse(edges.stdout));
    expect(list.items.map((i) => i.edge?.direction)).toEqual(['to', 'from']);
    expect(queries).toHaveLength(10);
    const all = await runMetrics([...base(), 'deployments', '-n', 'shop', '-o', 'json']);
    expect(JSON.parse(all.stdout)).toMatchObject({ kind: 'TrafficMetricsList', items: [{}] });
  });

  test('namespaces take their name from the argument, not -n', async () => {
    const run = await runMetrics([...base(), 'ns/shop', '-n', 'other', '-o', 'json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ resource: { kind: 'Namespace', name: 'shop' } });
    expect(queries[0]).toContain('destination_workload_namespace="shop"');
  });

  test('mesh options reach the queries', async () => {
    await runMetrics([
      'metrics',
      '--mesh',
      'appmesh',
      '--prometheus',
      url,
      'statefulsets/db',
      '-n',
      'data',
      '--label',
      'pod=pod_name',
      '--label',
      'namespace=ns',
      '--failure',
      'envoy_response_code=~5..|429',
      '--appmesh-mesh',
      'global',
    ]);
    expect(queries[3]).toBe(
      'sum by (ns, meshlingo_workload) (label_replace(increase(envoy_cluster_upstream_rq_xx{ns="data", pod_name=~"db-[0-9]+", envoy_cluster_name=~"cds_ingress_global_.+", envoy_response_code!~"5..|429"}[30s]), "meshlingo_workload", "$1", "pod_name", "(db)-[0-9]+"))',
    );
    await runMetrics([
      'metrics',
      '--mesh',
      'consul',
      '--prometheus',
      url,
      'deployments/web',
      '--edges',
      '--consul-namespace',
      'team-a',
    ]);
    expect(queries.some((q) => q.includes('consul_destination_namespace="team-a"'))).toBe(true);
  });

  test('the Prometheus URL can come from PROMETHEUS_URL', async () => {
    process.env.PROMETHEUS_URL = url;
    const run = await runMetrics(['metrics', '--mesh', 'linkerd', 'pods/web-0', '-o', 'json']);
    expect(run.code).toBe(0);
    expect(queries[0]).toContain('direction="inbound", namespace="default", pod="web-0"');
  });

  test.each([
    [['services/web'], 'unknown kind "services"'],
    [['deployments/web', 'web'], 'give the name once'],
    [['deployments/'], 'the name after "/" is empty'],
    [['deployments/web', '--label', 'pod'], 'expected KEY=LABEL'],
    [['deployments/web', '--failure', 'response_code=5..'], 'expected LABEL=~REGEX'],
    [['deployments/web', '--time', 'noon'], '--time noon: it is neither RFC 3339 nor Unix seconds'],
    [['deployments/web', '--timeout', '0s'], '--timeout 0s'],
  ])('usage error %j', async (args, message) => {
    const run = await runMetrics([...base(), ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(queries).toEqual([]);
  });

  test.each([
    [
      ['metrics', 'deployments/web', '--prometheus', 'http://127.0.0.1:9'],
      "required option '--mesh <mesh>' not specified",
    ],
    [
      ['metrics', 'deployments/web', '--mesh', 'istio'],
      "required option '--prometheus <url>' not specified",
    ],
    [
      ['metrics', 'deployments/web', '--mesh', 'kuma', '--prometheus', 'http://127.0.0.1:9'],
      "option '--mesh <mesh>' argument 'kuma' is invalid",
    ],
  ])('commander rejects %j', async (args, message) => {
    const run = await runMetrics(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  test('invalid names are diagnostics: exit 1, nothing on stdout', async () => {
    const run = await runMetrics([...base(), 'deployments/Web', '-n', 'shop']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('"Web" is not a valid Deployment name');
    expect(queries).toEqual([]);
  });

  test('Prometheus down: exit 1 with the reason, as text or JSON', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const text = await runMetrics([
      'metrics',
      '--mesh',
      'istio',
      '--prometheus',
      down,
      'deployments/web',
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain(`cannot reach Prometheus at ${down}`);
    expect(text.stderr.match(/cannot reach/g)).toHaveLength(1);
    const json = await runMetrics([
      'metrics',
      '--mesh',
      'istio',
      '--prometheus',
      down,
      'deployments/web',
      '--diagnostics',
      'json',
    ]);
    expect(json.code).toBe(1);
    expect(JSON.stringify(JSON.parse(json.stderr))).toContain('metrics/prometheus-unreachable');
  });
});
