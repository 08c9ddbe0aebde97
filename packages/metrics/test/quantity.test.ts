import { parseQuantity } from '@meshlingo/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decimalToMilli, formatMilliQuantity } from '../src/index.js';

describe('decimalToMilli', () => {
  test.each([
    ['300', 300_000n],
    ['296.875', 296_875n],
    ['0.5', 500n],
    ['30.000000000000004', 30_000n],
    ['472.5000000000001', 472_500n],
    ['2999.9999999999995', 3_000_000n],
    ['0.0004999', 0n],
    ['0.0005', 1n],
    ['-0.0005', -1n],
    ['-12.25', -12_250n],
    ['1e3', 1_000_000n],
    ['1.5E-2', 15n],
    ['.25', 250n],
    ['7.', 7_000n],
    ['18.645', 18_645n],
  ])('%s is %s thousandths', (text, milli) => {
    expect(decimalToMilli(text)).toBe(milli);
  });

  test.each(['NaN', '+Inf', '-Inf', 'Inf', '', '.', 'abc', '1e', '1e99999', '0x10'])(
    '%s has no value',
    (text) => {
      expect(decimalToMilli(text)).toBeUndefined();
    },
  );

  test('agrees with the number it reads, to the thousandth', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (v) => {
        const milli = decimalToMilli(String(v));
        expect(milli).toBeDefined();
        expect(Math.abs(Number(milli) - v * 1000)).toBeLessThanOrEqual(0.5 + Math.abs(v) * 1e-9);
      }),
    );
  });
});

describe('formatMilliQuantity', () => {
  test.each([
    [0n, '0'],
    [296_875n, '296875m'],
    [294_000n, '294'],
    [500n, '500m'],
    [30_000n, '30'],
    [1_500_000n, '1500'],
    [2_000_000n, '2k'],
    [1_008_100n, '1008100m'],
    [472_500n, '472500m'],
    [10n, '10m'],
    [1n, '1m'],
    [20_000_000n, '20k'],
    [120_000_000n, '120k'],
    [3_000_000_000n, '3M'],
    [-500n, '-500m'],
    [-2_000_000n, '-2k'],
    [10n ** 21n, '1E'],
    [10n ** 24n, '1e21'],
  ])('%s thousandths is %s', (milli, text) => {
    expect(formatMilliQuantity(milli)).toBe(text);
  });

  test('reads back as the same exact value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (milli) => {
        const q = parseQuantity(formatMilliQuantity(milli));
        expect(q).toBeDefined();
        expect((q?.num ?? 0n) * 1000n).toBe(milli * (q?.den ?? 1n));
      }),
    );
  });
});
