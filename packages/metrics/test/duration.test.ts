import { describe, expect, test } from 'vitest';
import { formatGoDuration, formatTimestamp, parseGoDuration, parseTime } from '../src/index.js';

const S = 1_000_000_000n;

describe('Go durations', () => {
  test.each([
    [0n, '0s'],
    [30n * S, '30s'],
    [60n * S, '1m0s'],
    [90n * S, '1m30s'],
    [300n * S, '5m0s'],
    [3600n * S, '1h0m0s'],
    [3723n * S, '1h2m3s'],
    [500_000_000n, '500ms'],
    [1_500_000_000n, '1.5s'],
    [60n * S + 500_000_000n, '1m0.5s'],
    [1_500n, '1.5µs'],
    [999n, '999ns'],
    [-30n * S, '-30s'],
    [100n * 3600n * S, '100h0m0s'],
  ])('%s ns prints as %s', (ns, text) => {
    expect(formatGoDuration(ns)).toBe(text);
    expect(parseGoDuration(text)).toEqual({ ok: true, value: ns });
  });

  test.each([
    ['90s', 90n * S],
    ['1.5h', 5400n * S],
    ['2m3s', 123n * S],
    ['1h30m', 5400n * S],
    ['0', 0n],
    ['+5s', 5n * S],
    ['.5s', 500_000_000n],
    ['1us', 1_000n],
    ['1μs', 1_000n],
    ['1.0000000009s', S],
  ])('parses %s', (text, ns) => {
    expect(parseGoDuration(text)).toEqual({ ok: true, value: ns });
  });

  test.each(['', '30', 's', '1d', '1.s5', '5 s', '-', '1m-1s', 'ms'])('rejects %j', (text) => {
    expect(parseGoDuration(text).ok).toBe(false);
  });
});

describe('timestamps', () => {
  test('RFC 3339 in UTC, whole seconds, Z', () => {
    expect(formatTimestamp(new Date('2026-11-26T09:00:00.999+01:00'))).toBe('2026-11-26T08:00:00Z');
    expect(formatTimestamp(new Date(0))).toBe('1970-01-01T00:00:00Z');
  });

  test.each([
    ['2025-06-01T12:00:00Z', 1_748_779_200_000],
    ['2025-06-01t12:00:00z', 1_748_779_200_000],
    ['2025-06-01T14:00:00+02:00', 1_748_779_200_000],
    ['2025-06-01T12:00:00.25Z', 1_748_779_200_250],
    ['1748779200', 1_748_779_200_000],
    ['1748779200.5', 1_748_779_200_500],
  ])('reads %s', (text, ms) => {
    const parsed = parseTime(text);
    expect(parsed.ok && parsed.value.getTime()).toBe(ms);
  });

  test.each([
    'yesterday',
    '2025-06-01',
    '2025-13-01T00:00:00Z',
    '-5',
    '1e12',
    '99999999999999999999',
  ])('rejects %s', (text) => {
    expect(parseTime(text).ok).toBe(false);
  });
});
