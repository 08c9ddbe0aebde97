/**
 * Scales relative integer weights to integers that add up to exactly `total` (100 for
 * percentages) with the largest-remainder method: every weight gets the floor of its exact share,
 * and the units left over go to the largest remainders, ties to the earlier backend. The result is
 * deterministic, never negative, sums to `total`, and a weight of 0 stays 0. Every result is
 * within 1 of the exact share. Throws (a programmer error) when all weights are 0, since SMI
 * validation rejects that before any adapter runs.
 */
export function largestRemainder(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new Error('largestRemainder needs at least one positive weight');
  const big = weights.map((w) => BigInt(w));
  const bigSum = BigInt(sum);
  const bigTotal = BigInt(total);
  const floors = big.map((w) => (w * bigTotal) / bigSum);
  const remainders = big.map((w, i) => ({ i, r: (w * bigTotal) % bigSum }));
  let left = Number(bigTotal - floors.reduce((a, b) => a + b, 0n));
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const out = floors.map(Number);
  for (const { i } of remainders) {
    if (left === 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left -= 1;
  }
  return out;
}
