import {
  compileCondition,
  compileTarget,
  CompiledCondition,
  LineMatcher,
  RuleCompileError,
} from './conditions';
import { allocate, buildState, EvalState } from './state';
import type {
  AppliedPromotion,
  Effect,
  Evaluation,
  EvaluationContext,
  NotApplied,
  PromotionRule,
} from './types';

/**
 * The pure promotion evaluator: (promotions, basket, member, time) → points per promotion and
 * line, plus the promotions that did not apply and why. No database, no clock, no I/O.
 *
 * Rounding (integers only): each effect computes its points for the whole basket and floors
 * once — points_per_unit: ⌊eligible × points / perCents⌋; percent_of_value:
 * ⌊eligible × percent / 10000⌋ (percent of the value in currency units); multiplier:
 * ⌊base × (factorPercent − 100) / 100⌋; fixed_bonus as is; bonus_per_unit: points × units per
 * line, reduced in proportion to the part of the line paid with points and floored per line.
 * The effect's points are then split over its lines by largest remainder (see `allocate`), so
 * per-line points always add up to the effect's points. The cap per purchase is applied to the
 * promotion's total the same way.
 *
 * Eligible value = quantity × unit price − discount − the part paid with points: points are
 * never earned on the part of a line paid with points.
 *
 * Order: by priority (higher first), then id. An exclusive promotion that applies stops every
 * promotion below it. Multipliers apply to the base points — the points of the applied `base`
 * promotions after their caps — once every other effect has been computed.
 */

interface CompiledEffect {
  kind: 'points' | 'multiplier' | 'stamps' | 'reward';
  /** Adds this effect's per-line points into `out`; returns its points. */
  run(s: EvalState, out: number[], base: number[] | null): number;
  rewardId?: string;
}

export interface CompiledPromotion {
  rule: PromotionRule;
  startsAtMs: number;
  endsAtMs: number;
  condition: CompiledCondition;
  effects: CompiledEffect[];
  hasMultiplier: boolean;
  notStarted: string;
  ended: string;
  stoppedPrefix: string;
}

export interface CompiledRules {
  promotions: CompiledPromotion[];
}

export interface EvaluateOptions {
  /** Promotions to leave out, with the reason (budget spent, member limit reached…). */
  skip?: ReadonlyMap<string, string>;
  /** Leave out the reasons of promotions that did not apply (faster; the till needs none). */
  withoutReasons?: boolean;
}

function matchWeights(s: EvalState, match: LineMatcher | undefined, out: number[]): number {
  let sum = 0;
  for (let i = 0; i < s.n; i++) {
    const w = !match || match(s.skus[i], s.categories[i]) ? s.eligible[i] : 0;
    out[i] = w;
    sum += w;
  }
  return sum;
}

function compileEffect(e: Effect, path: string): CompiledEffect {
  const positiveInt = (v: unknown, field: string, max = 1_000_000) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
      throw new RuleCompileError(`${path}.${field}`, `must be an integer from 1 to ${max}`);
    return v;
  };
  // Scratch weights reused across evaluations (evaluation is synchronous).
  let weights: number[] = [];
  const weightsFor = (n: number) =>
    weights.length >= n ? weights : (weights = new Array<number>(n).fill(0));
  switch (e.type) {
    case 'points_per_unit': {
      const points = positiveInt(e.points, 'points');
      const per = positiveInt(e.perCents, 'perCents', 100_000_00);
      const match = compileTarget(e.target);
      return {
        kind: 'points',
        run(s, out) {
          const w = weightsFor(s.n);
          const sum = matchWeights(s, match, w);
          const total = Math.floor((sum * points) / per);
          return allocate(total, w, out, s.n);
        },
      };
    }
    case 'percent_of_value': {
      const percent = positiveInt(e.percent, 'percent', 100);
      const match = compileTarget(e.target);
      return {
        kind: 'points',
        run(s, out) {
          const w = weightsFor(s.n);
          const sum = matchWeights(s, match, w);
          const total = Math.floor((sum * percent) / 10_000);
          return allocate(total, w, out, s.n);
        },
      };
    }
    case 'fixed_bonus': {
      const points = positiveInt(e.points, 'points');
      const match = compileTarget(e.target);
      return {
        kind: 'points',
        run(s, out) {
          const w = weightsFor(s.n);
          matchWeights(s, match, w);
          return allocate(points, w, out, s.n);
        },
      };
    }
    case 'bonus_per_unit': {
      const points = positiveInt(e.points, 'points');
      if (!e.target) throw new RuleCompileError(`${path}.target`, 'bonus_per_unit needs a target');
      const match = compileTarget(e.target);
      return {
        kind: 'points',
        run(s, out) {
          let total = 0;
          for (let i = 0; i < s.n; i++) {
            if (match && !match(s.skus[i], s.categories[i])) continue;
            const full = points * s.qty[i];
            const p =
              s.eligible[i] === s.net[i]
                ? full
                : s.net[i] > 0
                  ? Math.floor((full * s.eligible[i]) / s.net[i])
                  : 0;
            out[i] += p;
            total += p;
          }
          return total;
        },
      };
    }
    case 'multiplier': {
      if (
        typeof e.factorPercent !== 'number' ||
        !Number.isInteger(e.factorPercent) ||
        e.factorPercent < 101 ||
        e.factorPercent > 1000
      )
        throw new RuleCompileError(`${path}.factorPercent`, 'must be an integer from 101 to 1000');
      const extra = e.factorPercent - 100;
      return {
        kind: 'multiplier',
        run(s, out, base) {
          if (!base) return 0;
          let sum = 0;
          for (let i = 0; i < s.n; i++) sum += base[i];
          return allocate(Math.floor((sum * extra) / 100), base, out);
        },
      };
    }
    case 'stamps': {
      const stamps = positiveInt(e.stamps, 'stamps', 100);
      const match = compileTarget(e.target);
      const perUnit = !!e.perUnit;
      return {
        kind: 'stamps',
        run(s) {
          let units = 0;
          for (let i = 0; i < s.n; i++) {
            if (s.eligible[i] <= 0 || (match && !match(s.skus[i], s.categories[i]))) continue;
            units += s.qty[i];
          }
          return units === 0 ? 0 : perUnit ? stamps * units : stamps;
        },
      };
    }
    case 'issue_reward': {
      if (typeof e.rewardId !== 'string' || !e.rewardId)
        throw new RuleCompileError(`${path}.rewardId`, 'must be a reward id');
      return { kind: 'reward', rewardId: e.rewardId, run: () => 0 };
    }
    default:
      throw new RuleCompileError(`${path}.type`, 'unknown effect type');
  }
}

function toMs(v: Date | string | null | undefined, fallback: number): number {
  if (v == null) return fallback;
  const ms = new Date(v).getTime();
  return Number.isFinite(ms) ? ms : fallback;
}

/** Compile once (when promotions change), evaluate many times. Throws RuleCompileError. */
export function compileRules(rules: readonly PromotionRule[]): CompiledRules {
  const promotions = rules.map((rule): CompiledPromotion => {
    if (!Array.isArray(rule.effects) || rule.effects.length === 0)
      throw new RuleCompileError('effects', 'must contain at least one effect');
    const effects = rule.effects.map((e, i) => compileEffect(e, `effects.${i}`));
    return {
      rule,
      startsAtMs: toMs(rule.startsAt, -Infinity),
      endsAtMs: toMs(rule.endsAt, Infinity),
      condition: compileCondition(rule.conditions ?? null),
      effects,
      hasMultiplier: effects.some((e) => e.kind === 'multiplier'),
      notStarted: 'not started yet',
      ended: 'ended',
      stoppedPrefix: 'stopped by exclusive promotion ',
    };
  });
  promotions.sort(
    (a, b) =>
      b.rule.priority - a.rule.priority ||
      (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0),
  );
  return { promotions };
}

interface Working {
  p: CompiledPromotion;
  lines: number[];
  points: number;
  stamps: number;
  rewardIds: string[];
  capped: boolean;
}

function applyCap(w: Working, n: number): void {
  const cap = w.p.rule.maxPointsPerPurchase;
  if (cap == null || w.points <= cap) return;
  const capped = new Array<number>(n).fill(0);
  allocate(cap, w.lines, capped);
  w.lines = capped;
  w.points = cap;
  w.capped = true;
}

export function evaluate(
  compiled: CompiledRules,
  ctx: EvaluationContext,
  options: EvaluateOptions = {},
): Evaluation {
  const s = buildState(ctx);
  const n = s.n;
  const nowMs = ctx.now.getTime();
  const explain = !options.withoutReasons;
  const skip = options.skip;
  const notApplied: NotApplied[] = [];
  const working: Working[] = [];
  const miss = (p: CompiledPromotion, reason: string) => {
    if (explain)
      notApplied.push({
        promotionId: p.rule.id,
        version: p.rule.version,
        name: p.rule.name,
        reason,
      });
  };

  let stoppedBy: CompiledPromotion | null = null;
  for (const p of compiled.promotions) {
    if (stoppedBy) {
      miss(p, p.stoppedPrefix + JSON.stringify(stoppedBy.rule.name));
      continue;
    }
    const skipped = skip?.get(p.rule.id);
    if (skipped !== undefined) {
      miss(p, skipped);
      continue;
    }
    if (nowMs < p.startsAtMs) {
      miss(p, p.notStarted);
      continue;
    }
    if (nowMs >= p.endsAtMs) {
      miss(p, p.ended);
      continue;
    }
    const failed = p.condition(s);
    if (failed !== null) {
      miss(p, failed);
      continue;
    }
    const w: Working = {
      p,
      lines: new Array<number>(n).fill(0),
      points: 0,
      stamps: 0,
      rewardIds: [],
      capped: false,
    };
    for (const e of p.effects) {
      if (e.kind === 'points') w.points += e.run(s, w.lines, null);
      else if (e.kind === 'stamps') w.stamps += e.run(s, w.lines, null);
      else if (e.kind === 'reward') w.rewardIds.push(e.rewardId!);
    }
    working.push(w);
    if (p.rule.exclusive) stoppedBy = p;
  }

  // Caps first for promotions without multipliers, so base points are the capped ones.
  let base: number[] | null = null;
  for (const w of working) {
    if (w.p.hasMultiplier) continue;
    applyCap(w, n);
    if (w.p.rule.base) {
      base ??= new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) base[i] += w.lines[i];
    }
  }
  for (const w of working) {
    if (!w.p.hasMultiplier) continue;
    for (const e of w.p.effects) if (e.kind === 'multiplier') w.points += e.run(s, w.lines, base);
    applyCap(w, n);
  }

  const breakdown: AppliedPromotion[] = [];
  const linePoints = new Array<number>(n).fill(0);
  let pointsEarned = 0;
  for (const w of working) {
    if (w.points === 0 && w.stamps === 0 && w.rewardIds.length === 0) {
      miss(
        w.p,
        n === 0 || s.eligibleTotal === 0
          ? 'nothing eligible: no value left after discounts and points'
          : 'no eligible lines or base points',
      );
      continue;
    }
    const lines = w.lines;
    for (let i = 0; i < n; i++) linePoints[i] += lines[i];
    pointsEarned += w.points;
    const applied: AppliedPromotion = {
      promotionId: w.p.rule.id,
      version: w.p.rule.version,
      name: w.p.rule.name,
      points: w.points,
      lines,
      stamps: w.stamps,
      rewardIds: w.rewardIds,
    };
    if (w.capped) applied.capped = true;
    breakdown.push(applied);
  }
  return { pointsEarned, breakdown, notApplied, linePoints };
}

/** Convenience for one-off evaluations (simulations, tests): compile and evaluate. */
export function evaluatePromotions(
  rules: readonly PromotionRule[],
  ctx: EvaluationContext,
  options?: EvaluateOptions,
): Evaluation {
  return evaluate(compileRules(rules), ctx, options);
}
