import { parseQuantity, type Rational } from '@meshlingo/core';
import { parseGoDuration } from './duration.js';
import type { MetricName } from './kinds.js';
import type { ObjectReference, TrafficMetrics, TrafficMetricsList } from './traffic-metrics.js';

function value(item: TrafficMetrics, name: MetricName): Rational {
  const metric = item.metrics.find((m) => m.name === name);
  return (metric === undefined ? undefined : parseQuantity(metric.value)) ?? { num: 0n, den: 1n };
}

/** `num/den` rounded half up to `places` decimals, as text. */
function decimal(r: Rational, places: number): string {
  const scale = 10n ** BigInt(places);
  const negative = r.num < 0n !== r.den < 0n;
  const num = r.num < 0n ? -r.num : r.num;
  const den = r.den < 0n ? -r.den : r.den;
  const scaled = (num * scale * 2n + den) / (den * 2n);
  const digits = scaled.toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places).replace(/0+$/, '');
  return `${negative && scaled !== 0n ? '-' : ''}${whole}${frac === '' ? '' : `.${frac}`}`;
}

function add(a: Rational, b: Rational): Rational {
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

function ref(r: ObjectReference | null | undefined): string {
  if (r === null || r === undefined) return '-';
  return `${r.kind.toLowerCase()}/${r.name ?? ''}`;
}

function row(item: TrafficMetrics, edges: boolean): string[] {
  const success = value(item, 'success_count');
  const failure = value(item, 'failure_count');
  const total = add(success, failure);
  const idle = total.num === 0n;
  const window = parseGoDuration(item.window);
  const seconds = window.ok ? window.value : 0n;
  const latency = (name: MetricName): string => (idle ? '-' : `${decimal(value(item, name), 3)}ms`);
  const peer = item.edge.resource;
  return [
    item.resource.namespace ?? '-',
    ref(item.resource),
    ...(edges ? [item.edge.direction, peer?.namespace ?? '-', ref(peer)] : []),
    item.edge.side ?? '-',
    decimal(success, 3),
    decimal(failure, 3),
    idle
      ? '-'
      : `${decimal({ num: success.num * total.den * 100n, den: success.den * total.num }, 2)}%`,
    seconds === 0n
      ? '-'
      : decimal({ num: total.num * 1_000_000_000n, den: total.den * seconds }, 2),
    latency('p50_response_latency'),
    latency('p90_response_latency'),
    latency('p99_response_latency'),
  ];
}

/**
 * Renders TrafficMetrics as an aligned table for a terminal, one row per item: success and
 * failure counts over the window, success rate, requests per second and the latency
 * percentiles (`-` when nothing was requested). Edge lists add the direction and the peer.
 */
export function renderTrafficMetricsTable(object: TrafficMetrics | TrafficMetricsList): string {
  const items = object.kind === 'TrafficMetrics' ? [object] : object.items;
  const edges = object.kind === 'TrafficMetricsList' && items.some((i) => i.edge.resource !== null);
  if (items.length === 0) {
    const what = object.resource.name === undefined ? 'resources' : 'edges';
    return `No ${what} with traffic in the window.\n`;
  }
  const header = [
    'NAMESPACE',
    'NAME',
    ...(edges ? ['DIRECTION', 'PEER NAMESPACE', 'PEER'] : []),
    'SIDE',
    'SUCCESS',
    'FAILURE',
    'SUCCESS RATE',
    'RPS',
    'P50',
    'P90',
    'P99',
  ];
  const table = [header, ...items.map((item) => row(item, edges))];
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  return table
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
