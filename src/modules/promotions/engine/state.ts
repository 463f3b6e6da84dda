import { epochDayOf, LocalTime, localTime } from './local-time';
import type { EvaluationContext } from './types';

/**
 * The facts of one evaluation, computed once and read by every compiled condition and effect:
 * line columns as flat arrays, totals, the store's wall clock and the member's facts.
 */
export interface EvalState {
  n: number;
  skus: string[];
  categories: (string | null | undefined)[];
  qty: number[];
  /** quantity × unit price − discount (never below 0). */
  net: number[];
  /** net − the part paid with points: the only value that earns points. */
  eligible: number[];
  netTotal: number;
  eligibleTotal: number;
  local: LocalTime;
  storeId: string | null;
  channel: string | null;
  member: boolean;
  profiling: boolean;
  tier: string | null;
  tags: ReadonlySet<string>;
  daysSinceEnrolment: number | null;
  birthdayMonth: boolean;
  firstPurchase: boolean;
}

const NO_TAGS: ReadonlySet<string> = new Set();

export function buildState(ctx: EvaluationContext): EvalState {
  const lines = ctx.basket.lines;
  const n = lines.length;
  const skus = new Array<string>(n);
  const categories = new Array<string | null | undefined>(n);
  const qty = new Array<number>(n);
  const net = new Array<number>(n);
  const eligible = new Array<number>(n);
  let netTotal = 0;
  for (let i = 0; i < n; i++) {
    const l = lines[i];
    skus[i] = l.sku;
    categories[i] = l.category;
    qty[i] = l.quantity;
    const v = Math.max(0, l.quantity * l.unitPriceCents - (l.discountCents ?? 0));
    net[i] = v;
    eligible[i] = Math.max(0, v - (l.paidWithPointsCents ?? 0));
    netTotal += v;
  }
  // A basket-level points payment is spread over the lines in proportion to their value.
  const paid = Math.min(ctx.basket.paidWithPointsCents ?? 0, netTotal);
  if (paid > 0) {
    const shares = new Array<number>(n).fill(0);
    allocate(paid, net, shares);
    for (let i = 0; i < n; i++) eligible[i] = Math.max(0, eligible[i] - shares[i]);
  }
  let eligibleTotal = 0;
  for (let i = 0; i < n; i++) eligibleTotal += eligible[i];

  const local = localTime(ctx.now, ctx.timeZone);
  const m = ctx.member;
  let daysSinceEnrolment: number | null = null;
  if (m?.enrolledAt) daysSinceEnrolment = local.epochDay - epochDayOf(m.enrolledAt, ctx.timeZone);
  const birthMonth = m?.birthDate ? Number(m.birthDate.slice(5, 7)) : 0;
  return {
    n,
    skus,
    categories,
    qty,
    net,
    eligible,
    netTotal,
    eligibleTotal,
    local,
    storeId: ctx.storeId ?? null,
    channel: ctx.channel ?? null,
    member: !!m,
    profiling: !!m?.profilingConsent,
    tier: m?.tier ?? null,
    tags: m?.tags?.length ? new Set(m.tags) : NO_TAGS,
    daysSinceEnrolment,
    birthdayMonth: birthMonth === local.month,
    firstPurchase: !!m?.firstPurchase,
  };
}

/**
 * Splits the integer `total` over lines in proportion to `weights` (largest remainder: each line
 * gets floor(total × wᵢ / W), the units left go to the largest fractional parts, ties to the
 * first line) and adds the shares into `out`. The shares always add up to `total`. With no
 * weight at all, nothing is added and 0 is returned.
 */
export function allocate(
  total: number,
  weights: ArrayLike<number>,
  out: number[],
  n: number = weights.length,
): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i];
  if (sum <= 0 || total <= 0) return 0;
  let given = 0;
  for (let i = 0; i < n; i++) {
    const share = Math.floor((total * weights[i]) / sum);
    out[i] += share;
    given += share;
  }
  let left = total - given;
  if (left === 0) return total;
  // Few units left (fewer than lines): hand them out by largest remainder.
  const taken = new Uint8Array(n);
  while (left > 0) {
    let best = -1;
    let bestRem = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i] || weights[i] <= 0) continue;
      const rem = (total * weights[i]) % sum;
      if (rem > bestRem) {
        bestRem = rem;
        best = i;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    out[best] += 1;
    left--;
  }
  return total;
}
