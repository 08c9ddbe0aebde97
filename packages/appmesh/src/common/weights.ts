import { largestRemainder } from '@meshlingo/core';

/** App Mesh weights for relative SMI weights, and how they were obtained. */
export interface WeightResult {
  readonly weights: number[];
  /** `verbatim`: unchanged; `reduced`: divided by their common divisor (same ratios); `rounded`: rounded to 100. */
  readonly how: 'verbatim' | 'reduced' | 'rounded';
  /** True when a positive weight had to be raised from 0 to 1 (shares moved by more than 1 %). */
  readonly bumped: boolean;
}

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const fits = (weights: readonly number[]): boolean =>
  weights.every((w) => w <= 100) && weights.reduce((a, b) => a + b, 0) <= 100;

/**
 * App Mesh weights are integers 0-100 adding up to at most 100 (AWS WeightedTarget). Weights that
 * fit stay as they are; otherwise they are divided by their greatest common divisor when that
 * makes them fit (exact ratios), else rounded to a total of 100 with the largest-remainder method.
 * A positive weight that rounds to 0 is raised to 1, taken from the largest weight, so a backend
 * never silently drops out. At least one weight must be positive.
 */
export function appMeshWeights(input: readonly number[]): WeightResult {
  if (fits(input)) return { weights: [...input], how: 'verbatim', bumped: false };
  const divisor = input.reduce((acc, w) => gcd(acc, w), 0) || 1;
  const reduced = input.map((w) => w / divisor);
  if (fits(reduced)) return { weights: reduced, how: 'reduced', bumped: false };
  const out = largestRemainder(input, 100);
  let bumped = false;
  input.forEach((w, i) => {
    if (w > 0 && out[i] === 0) {
      const largest = out.indexOf(Math.max(...out));
      out[largest] = (out[largest] ?? 0) - 1;
      out[i] = 1;
      bumped = true;
    }
  });
  return { weights: out, how: 'rounded', bumped };
}
