// Shares of a purchase's totals per line: points paid, discounts and returns (integer cents and
// points, summing exactly to the total).

/**
 * Shares an integer `total` over `weights` in proportion, by largest remainder, so the shares
 * are integers that add up to `total` exactly (earlier weights win ties). All weights zero: the
 * total goes to the first.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]++;
    left--;
  }
  return shares;
}

/**
 * The part of `points` that belongs to `returned` of `quantity` units, counted cumulatively so
 * that returning every unit in any number of steps gives back exactly `points`.
 */
export function shareForReturn(
  points: number,
  quantity: number,
  returnedBefore: number,
  returnedNow: number,
): number {
  const upTo = (q: number) => Math.floor((points * q) / quantity);
  return upTo(returnedBefore + returnedNow) - upTo(returnedBefore);
}
