/** A tier as the member sees it. */
export interface TierBrief {
  code: string;
  nameEs: string;
  nameEn: string;
  thresholdPoints: number;
}

export interface TierProgress {
  current: TierBrief | null;
  next: TierBrief | null;
  /** Points earned in the qualifying window. */
  earned: number;
  /** Points still to earn for the next tier (0 at the top). */
  missing: number;
  /** 0–100: how far from the current threshold to the next one. */
  percent: number;
}

/** Where the member stands: their tier, the next one up, and what is missing to reach it. */
export function tierProgress(
  tiers: TierBrief[],
  currentCode: string | null,
  earned: number,
): TierProgress {
  const sorted = [...tiers].sort((a, b) => a.thresholdPoints - b.thresholdPoints);
  const current = sorted.find((t) => t.code === currentCode) ?? null;
  const floor = current?.thresholdPoints ?? 0;
  const next = sorted.find((t) => t.thresholdPoints > floor && t.code !== currentCode) ?? null;
  if (!next) return { current, next: null, earned, missing: 0, percent: 100 };
  const missing = Math.max(0, next.thresholdPoints - earned);
  const span = next.thresholdPoints - floor;
  const percent =
    span > 0 ? Math.min(100, Math.max(0, Math.floor(((earned - floor) * 100) / span))) : 100;
  return { current, next, earned, missing, percent };
}
