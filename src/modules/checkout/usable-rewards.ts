import type { UsableReward } from '../promotions';

/**
 * The offered rewards a balance can take: every coupon (already paid for) and the catalogue
 * rewards it covers. The catalogue comes cheapest first, so the affordable ones among the first
 * 50 offered are the first 50 affordable ones.
 */
export function usableWith(offered: UsableReward[], balance: number): UsableReward[] {
  const affordable = Math.max(0, balance);
  return offered.filter((r) => r.source === 'coupon' || r.costPoints <= affordable);
}
