import { largestRemainder } from '@meshlingo/core';

/** Consul splits in hundredths of a percent: every weight is rounded to 0.01 and they must add up to 100. */
export const UNITS = 10000;

/** SMI relative weights as hundredths of a percent (largest remainder), and whether that was exact. */
export function toUnits(weights: readonly number[]): { units: number[]; exact: boolean } {
  const sum = weights.reduce((a, b) => a + b, 0);
  const units = largestRemainder(weights, UNITS);
  return { units, exact: weights.every((w) => (w * UNITS) % sum === 0) };
}

/**
 * The consul-k8s webhook (`ServiceSplitter.validateSplits`) adds the weights as Go float32 values
 * in list order and requires exactly 100; float32 rounding rejects some valid sets, such as
 * 97.2, 1.1, 1.7 (research/consul.md 4.5.3). This replays that sum.
 */
export function webhookAccepts(units: readonly number[]): boolean {
  let sum = 0;
  for (const u of units) sum = Math.fround(sum + Math.fround(u / 100));
  return sum === 100;
}

function* permutations(n: number): Generator<number[]> {
  const order = Array.from({ length: n }, (_, i) => i);
  yield [...order];
  // Lexicographic next permutation.
  for (;;) {
    let i = n - 2;
    while (i >= 0 && (order[i] ?? 0) > (order[i + 1] ?? 0)) i--;
    if (i < 0) return;
    let j = n - 1;
    while ((order[j] ?? 0) < (order[i] ?? 0)) j--;
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    order.splice(i + 1, n - i - 1, ...order.slice(i + 1).reverse());
    yield [...order];
  }
}

function findOrder(units: readonly number[]): number[] | undefined {
  const pick = (order: readonly number[]): number[] => order.map((i) => units[i] ?? 0);
  const identity = units.map((_, i) => i);
  if (webhookAccepts(units)) return identity;
  const ascending = [...identity].sort((a, b) => (units[a] ?? 0) - (units[b] ?? 0) || a - b);
  if (webhookAccepts(pick(ascending))) return ascending;
  if (units.length <= 6)
    for (const order of permutations(units.length)) if (webhookAccepts(pick(order))) return order;
  return undefined;
}

/** How the emitter made the weights acceptable to the webhook. */
export type OrderChange = 'none' | 'reordered' | 'nudged' | 'unverified';

/**
 * An order of the splits (and, rarely, weights moved by 0.01 between the two largest) that the
 * webhook accepts: the SMI order when it passes, else ascending weights, else any permutation of
 * up to six splits, else nudged weights. Split order has no meaning in Consul.
 */
export function webhookOrder(units: readonly number[]): {
  order: number[];
  units: number[];
  change: OrderChange;
} {
  const direct = findOrder(units);
  if (direct !== undefined)
    return {
      order: direct,
      units: [...units],
      change: direct.every((v, i) => v === i) ? 'none' : 'reordered',
    };
  const ranked = units.map((_, i) => i).sort((a, b) => (units[b] ?? 0) - (units[a] ?? 0) || a - b);
  const [a, b] = ranked;
  // One hundredth of a percent, no more: with the rounding (under 0.01 % per split) every share
  // stays within the adapter's declared tolerance of 0.0002, which the `cosmetic` diagnostic claims.
  if (a !== undefined && b !== undefined && (units[b] ?? 0) > 0) {
    for (const sign of [1, -1]) {
      const moved = [...units];
      moved[a] = (moved[a] ?? 0) - sign;
      moved[b] = (moved[b] ?? 0) + sign;
      if ((moved[a] ?? 0) <= 0 || (moved[b] ?? 0) <= 0) continue;
      const order = findOrder(moved);
      if (order !== undefined) return { order, units: moved, change: 'nudged' };
    }
  }
  return { order: units.map((_, i) => i), units: [...units], change: 'unverified' };
}
