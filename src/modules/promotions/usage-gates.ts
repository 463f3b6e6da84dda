import type { EntityManager } from 'typeorm';
import type { Tx } from '../../database';
import { localTime } from './engine';
import { periodKey } from './period';
import type { Promotion } from './promotion.entity';
import type { PromotionsRepository } from './promotions.repository';

/** Consumes (or, for simulations, only checks) budgets and per-member limits. */
export interface UsageGate {
  takeUse(p: Promotion): Promise<boolean>;
  releaseUse(p: Promotion): Promise<void>;
  /** Moves the budget by `delta` points; false when it would go over the total. */
  moveBudget(p: Promotion, delta: number): Promise<boolean>;
}

/** A purchase consumes in its transaction: conditional updates hold under any concurrency. */
export function realGate(
  repo: PromotionsRepository,
  tx: Tx,
  memberId: string | null,
  now: Date,
  tz: string,
): UsageGate {
  const local = localTime(now, tz);
  return {
    async takeUse(p) {
      if (!memberId) return false; // an anonymous purchase cannot count against a member
      const key = periodKey(p.memberLimitPeriod!, local);
      return repo.takeUse(tx, p.id, memberId, key, p.memberLimitCount!);
    },
    async releaseUse(p) {
      if (!memberId) return;
      await repo.releaseUse(tx, p.id, memberId, periodKey(p.memberLimitPeriod!, local));
    },
    moveBudget: (p, delta) => repo.moveBudget(tx, p.id, delta),
  };
}

/** Simulations consume nothing: they only look at what is left. */
export function dryGate(
  repo: PromotionsRepository,
  reader: EntityManager,
  memberId: string | null,
  now: Date,
  tz: string,
): UsageGate {
  const local = localTime(now, tz);
  const pending = new Map<string, number>();
  return {
    async takeUse(p) {
      if (!memberId) return true;
      const key = periodKey(p.memberLimitPeriod!, local);
      return (await repo.usesOf(reader, p.id, memberId, key)) < p.memberLimitCount!;
    },
    async releaseUse() {},
    async moveBudget(p, delta) {
      const budget = await repo.budget(reader, p.id);
      const next = (pending.get(p.id) ?? 0) + delta;
      if (budget && budget.used + next > budget.total) return false;
      pending.set(p.id, next);
      return true;
    },
  };
}
