/** Reading numbers back out of TrafficMetrics objects, and a fake terminal for the CLI. */
import { parseQuantity } from '@meshlingo/core';
import { expect } from 'vitest';
import type { MetricName, TrafficMetrics } from '../../src/index.js';
import type { Expected } from './expected.js';

/** A metric's value in thousandths, exactly. */
export function milli(item: TrafficMetrics, name: MetricName): bigint {
  const metric = item.metrics.find((m) => m.name === name);
  expect(metric, `${name} is present`).toBeDefined();
  const q = parseQuantity(metric?.value ?? '');
  expect(q, `${metric?.value} is a quantity`).toBeDefined();
  const { num, den } = q ?? { num: 0n, den: 1n };
  expect((num * 1000n) % den, `${metric?.value} has at most three decimals`).toBe(0n);
  return (num * 1000n) / den;
}

/**
 * Asserts an item carries the expected numbers: counts exactly, latencies within one thousandth
 * of a millisecond (Prometheus interpolates in floating point), `0` when nothing was requested.
 */
export function expectNumbers(item: TrafficMetrics, expected: Expected, what: string): void {
  expect(milli(item, 'success_count'), `${what} success_count`).toBe(
    BigInt(expected.success * 1000),
  );
  expect(milli(item, 'failure_count'), `${what} failure_count`).toBe(
    BigInt(expected.failure * 1000),
  );
  const latencies: [MetricName, number | undefined][] = [
    ['p50_response_latency', expected.p50],
    ['p90_response_latency', expected.p90],
    ['p99_response_latency', expected.p99],
  ];
  for (const [name, ms] of latencies) {
    const got = milli(item, name);
    const want = ms === undefined ? 0n : BigInt(Math.round(ms * 1000));
    const diff = got > want ? got - want : want - got;
    expect(diff <= 1n, `${what} ${name}: got ${got}m, want ${want}m`).toBe(true);
  }
}

/** Captured output of a CLI run. */
export interface FakeIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly out: () => string;
  readonly err: () => string;
}

/** An `Io` that records what the command writes. */
export function fakeIo(isTTY = false): FakeIo {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    isTTY,
    out: () => out,
    err: () => err,
  };
}
