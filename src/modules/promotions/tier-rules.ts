/**
 * Tier maths, pure. A member qualifies for the highest tier whose threshold is at most the
 * points they *earned* in the rolling window (not their balance). Upgrades are immediate;
 * a member below their tier keeps it for a grace period, then drops to the tier they qualify for.
 */

export const TIER_WINDOW_DAYS = 365;
export const TIER_GRACE_DAYS = 30;

export interface TierLevel {
  id: string;
  code: string;
  thresholdPoints: number;
}

export interface MemberTierState {
  tierId: string | null;
  /** When the member first fell below the threshold of their tier (null: not below). */
  belowSince: Date | null;
}

export function qualifyingTier<T extends TierLevel>(tiers: readonly T[], earned: number): T | null {
  let best: T | null = null;
  for (const t of tiers)
    if (t.thresholdPoints <= earned && (!best || t.thresholdPoints > best.thresholdPoints))
      best = t;
  return best;
}

export type TierDecision =
  | { action: 'keep'; state: MemberTierState }
  | {
      action: 'upgrade' | 'downgrade';
      state: MemberTierState;
      from: string | null;
      to: string | null;
    };

/** What the nightly recalculation (or a purchase, with `upgradeOnly`) does to a member. */
export function decideTier(
  tiers: readonly TierLevel[],
  current: MemberTierState,
  earned: number,
  now: Date,
  opts: { graceDays?: number; upgradeOnly?: boolean } = {},
): TierDecision {
  const grace = (opts.graceDays ?? TIER_GRACE_DAYS) * 86_400_000;
  const rank = (id: string | null) =>
    id ? (tiers.find((t) => t.id === id)?.thresholdPoints ?? -1) : -1;
  const target = qualifyingTier(tiers, earned);
  const targetRank = target ? target.thresholdPoints : -1;
  const currentRank = rank(current.tierId);
  if (targetRank > currentRank)
    return {
      action: 'upgrade',
      from: current.tierId,
      to: target!.id,
      state: { tierId: target!.id, belowSince: null },
    };
  if (targetRank === currentRank || opts.upgradeOnly) {
    if (targetRank === currentRank && current.belowSince)
      return { action: 'keep', state: { tierId: current.tierId, belowSince: null } };
    return { action: 'keep', state: current };
  }
  // Below the current tier: start (or continue) the grace period.
  if (!current.belowSince)
    return { action: 'keep', state: { tierId: current.tierId, belowSince: now } };
  if (now.getTime() - current.belowSince.getTime() < grace)
    return { action: 'keep', state: current };
  return {
    action: 'downgrade',
    from: current.tierId,
    to: target?.id ?? null,
    state: { tierId: target?.id ?? null, belowSince: null },
  };
}
