import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common';
import { AppConfig } from '../../config';
import { SettingsService } from '../settings';
import { PromotionPoints } from './ledger-entry.entity';
import { insufficientPoints, invalidPoints } from './ledger.errors';
import { LedgerPostings, assertTransaction, entryContext } from './ledger-postings';
import { LedgerRepository, LotChange, NewLot } from './ledger.repository';
import {
  AccountState,
  BalanceListener,
  EarnResult,
  PostingContext,
  PostingResult,
} from './ledger.types';
import { compareIds, expiryFor, takeFifo } from './lot-math';

export type {
  AccountState,
  BalanceListener,
  EarnResult,
  LedgerActor,
  PostingContext,
  PostingResult,
} from './ledger.types';

/**
 * The points ledger. Every change runs in the caller's transaction (an EntityManager) and starts
 * by locking the member's account row `FOR UPDATE`, so postings for one member are serial while
 * members run in parallel. Each posting is one SQL statement (entry, lots, movements, account)
 * whose account update is conditional on the version read under the lock — and, for a
 * redemption, on `balance >= n` — with CHECK constraints as the last guard.
 *
 * Rules:
 *  - balance = Σ entries.points = Σ remaining of released lots; pending likewise for unreleased.
 *  - Debits take from the lots that expire first. A return or a negative adjustment may take more
 *    than is left: the rest becomes the member's `debt` lot (negative), so the balance goes
 *    negative and redemptions are refused until later credits repay it (credits repay debt first).
 *  - Before a debit, the member's due lots are settled (released or expired) so a debit never
 *    spends points that have expired but not yet been swept by the job.
 */
/** The largest balance the integer columns hold. */
const MAX_BALANCE = 2_147_483_647;

@Injectable()
export class LedgerService {
  private readonly listeners: BalanceListener[] = [];

  constructor(
    private readonly postings: LedgerPostings,
    private readonly repo: LedgerRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
  ) {}

  /**
   * Called inside the posting transaction after a member's points change (e.g. the cards module
   * updates wallet passes). Keep listeners cheap: they run on the till's path. Returns the
   * function that removes the listener.
   */
  onBalanceChanged(listener: BalanceListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Tells the listeners; the ledger's own operations call it unless `notify: false`. */
  async notifyChanged(tx: EntityManager, memberIds: string[]): Promise<void> {
    for (const listener of this.listeners) await listener(tx, memberIds);
  }

  /**
   * When a lot created now expires: the admin's points expiry (programme settings, cached, so no
   * query on the till's path). A change applies to new lots only; existing lots keep theirs.
   */
  private expiryOf(now: Date): Promise<Date | null> {
    return this.settings
      .programme()
      .then(({ pointsExpiryMonths }) =>
        expiryFor(now, pointsExpiryMonths, this.config.POINTS_EXPIRY_MONTH_END),
      );
  }

  /** Locks (creating if needed) the member's account for the rest of the caller's transaction. */
  lock(tx: EntityManager, memberId: string): Promise<AccountState> {
    return this.postings.lock(tx, memberId);
  }

  /**
   * Credits points earned by a purchase as a new lot: available at once, or pending until the
   * return window (POINTS_RETURN_WINDOW_DAYS) has passed.
   */
  async earn(
    em: EntityManager,
    input: { memberId: string; points: number; promotions?: PromotionPoints[] },
    ctx: PostingContext,
    opts: { notify?: boolean; account?: AccountState } = {},
  ): Promise<EarnResult> {
    assertPoints(input.points, { allowZero: true });
    const now = this.clock.now();
    const availableAt = new Date(now.getTime() + this.config.POINTS_RETURN_WINDOW_DAYS * 86400000);
    const expiresAt = await this.expiryOf(now);
    const released = this.config.POINTS_RETURN_WINDOW_DAYS === 0;
    if (!opts.account && input.points > 0) {
      const fast = await this.earnAtOnce(em, input, ctx, { availableAt, expiresAt, released });
      if (fast) {
        if (opts.notify !== false) await this.notifyChanged(em, [input.memberId]);
        return fast;
      }
    }
    const acct = opts.account ?? (await this.lock(em, input.memberId));
    if (input.points === 0) {
      return {
        entryId: null,
        balance: acct.balance,
        pending: acct.pending,
        pendingPoints: 0,
        availableAt,
        expiresAt,
      };
    }
    const lots: LotChange[] = [];
    let remaining = input.points;
    if (released && acct.balance < 0) {
      const repay = Math.min(input.points, -acct.balance);
      lots.push({ lotId: await this.postings.debtLotId(em, acct.memberId), delta: repay });
      remaining -= repay;
    }
    const entryId = await this.postings.post(em, acct, ctx, {
      kind: 'earn',
      points: released ? input.points : 0,
      pendingPoints: released ? 0 : input.points,
      lifetimeEarned: input.points,
      promotions: input.promotions,
      lots,
      newLot: {
        kind: 'earn',
        points: input.points,
        remaining,
        availableAt,
        released,
        expiresAt,
      },
    });
    if (opts.notify !== false) await this.notifyChanged(em, [acct.memberId]);
    return {
      entryId,
      balance: acct.balance,
      pending: acct.pending,
      pendingPoints: released ? 0 : input.points,
      availableAt,
      expiresAt,
    };
  }

  /**
   * The common earn in one statement: the account row is updated first (which locks it for the
   * rest of the transaction, as `lock` does), then the entry, its lot and the lot's movement.
   * Null, with nothing written, when the account does not exist yet or a released earn must first
   * repay a debt (a negative balance): the caller then takes the general path.
   */
  private async earnAtOnce(
    tx: EntityManager,
    input: { memberId: string; points: number; promotions?: PromotionPoints[] },
    ctx: PostingContext,
    lot: { availableAt: Date; expiresAt: Date | null; released: boolean },
  ): Promise<EarnResult | null> {
    assertTransaction(tx);
    const row = await this.repo.earnAtOnce(tx, {
      memberId: input.memberId,
      points: input.points,
      released: lot.released,
      promotions: input.promotions ?? [],
      ctx: entryContext(ctx),
      at: this.clock.now(),
      availableAt: lot.availableAt,
      expiresAt: lot.expiresAt,
    });
    if (!row) return null;
    return {
      entryId: row.entryId,
      balance: row.balance,
      pending: row.pending,
      pendingPoints: lot.released ? 0 : input.points,
      availableAt: lot.availableAt,
      expiresAt: lot.expiresAt,
    };
  }

  /** Spends points (lots that expire first). Not enough, or a negative balance: 409, nothing written. */
  async redeem(
    em: EntityManager,
    input: { memberId: string; points: number },
    ctx: PostingContext,
    opts: { notify?: boolean; account?: AccountState } = {},
  ): Promise<PostingResult> {
    assertPoints(input.points);
    const acct = opts.account ?? (await this.lock(em, input.memberId));
    if (acct.balance < input.points) throw insufficientPoints(acct.balance, input.points);
    const lots = await this.postings.settle(em, acct, await this.repo.openLots(em, acct.memberId));
    if (acct.balance < input.points) throw insufficientPoints(acct.balance, input.points);
    const { taken, shortfall } = takeFifo(
      lots.filter((l) => l.released && l.kind !== 'debt'),
      input.points,
    );
    if (shortfall > 0) throw this.postings.corrupt(acct.memberId, 'lots do not cover the balance');
    const entryId = await this.postings.post(em, acct, ctx, {
      kind: 'redeem',
      points: -input.points,
      pendingPoints: 0,
      lots: taken.map((t) => ({ lotId: t.lotId, delta: -t.points })),
    });
    if (opts.notify !== false) await this.notifyChanged(em, [acct.memberId]);
    return { entryId, balance: acct.balance, pending: acct.pending };
  }

  /**
   * Takes back points a purchase earned (a return): first from that purchase's own lots (pending
   * or not), then from the lots that expire first, and what is left becomes debt.
   */
  async reverseEarn(
    em: EntityManager,
    input: { memberId: string; purchaseId: string; points: number },
    ctx: PostingContext,
    opts: { notify?: boolean; account?: AccountState } = {},
  ): Promise<PostingResult> {
    assertPoints(input.points, { allowZero: true });
    const acct = opts.account ?? (await this.lock(em, input.memberId));
    if (input.points === 0) return { entryId: null, balance: acct.balance, pending: acct.pending };
    const lots = await this.postings.settle(em, acct, await this.repo.openLots(em, acct.memberId));
    const own = lots
      .filter((l) => l.purchaseId === input.purchaseId && l.kind === 'earn' && l.remaining > 0)
      .sort((a, b) => compareIds(a.id, b.id));
    const changes: LotChange[] = [];
    let left = input.points;
    let fromBalance = 0;
    let fromPending = 0;
    for (const lot of own) {
      if (left === 0) break;
      const take = Math.min(lot.remaining, left);
      changes.push({ lotId: lot.id, delta: -take });
      if (lot.released) fromBalance += take;
      else fromPending += take;
      left -= take;
    }
    const debit = this.postings.planDebit(
      lots.filter((l) => l.released && !own.includes(l)),
      left,
    );
    changes.push(...debit.changes);
    fromBalance += left;
    const newLot =
      debit.shortfall > 0 ? await this.postings.debtChange(em, acct, debit.shortfall) : null;
    if (newLot && 'lotId' in newLot) changes.push(newLot);
    const entryId = await this.postings.post(
      em,
      acct,
      { ...ctx, purchaseId: input.purchaseId },
      {
        kind: 'reverse',
        points: -fromBalance,
        pendingPoints: -fromPending,
        lots: changes,
        newLot: newLot && !('lotId' in newLot) ? newLot : undefined,
      },
    );
    if (opts.notify !== false) await this.notifyChanged(em, [acct.memberId]);
    return { entryId, balance: acct.balance, pending: acct.pending };
  }

  /**
   * Gives back points a purchase redeemed (a return): repays any debt first, then restores the
   * lots the redemption took from, with their original expiry (points already past it expire at
   * once, as they would have).
   */
  async recredit(
    em: EntityManager,
    input: { memberId: string; purchaseId: string; points: number },
    ctx: PostingContext,
    opts: { notify?: boolean; account?: AccountState } = {},
  ): Promise<PostingResult> {
    assertPoints(input.points, { allowZero: true });
    const acct = opts.account ?? (await this.lock(em, input.memberId));
    if (input.points === 0) return { entryId: null, balance: acct.balance, pending: acct.pending };
    return this.restore(em, acct, input.points, { ...ctx, purchaseId: input.purchaseId }, () =>
      this.repo.redeemedOutstanding(em, acct.memberId, { purchaseId: input.purchaseId }),
    ).then(async (entryId) => {
      if (opts.notify !== false) await this.notifyChanged(em, [acct.memberId]);
      return { entryId, balance: acct.balance, pending: acct.pending };
    });
  }

  /**
   * Gives back everything one redemption entry took (a cancelled coupon), onto the very lots it
   * took from with their original expiry — not a fresh lot with a new expiry (issue 13, defect 7).
   * Debt is repaid first, as with any credit. The caller guarantees it runs once per entry (the
   * coupon's status change is the guard).
   */
  async refundRedemption(
    em: EntityManager,
    input: { memberId: string; entryId: string },
    ctx: PostingContext,
  ): Promise<PostingResult & { points: number }> {
    const acct = await this.lock(em, input.memberId);
    const taken = await this.repo.redeemedOutstanding(em, acct.memberId, {
      entryId: input.entryId,
    });
    const points = taken.reduce((n, t) => n + t.outstanding, 0);
    if (points === 0)
      return { entryId: null, balance: acct.balance, pending: acct.pending, points };
    const entryId = await this.restore(em, acct, points, ctx, async () => taken);
    await this.notifyChanged(em, [acct.memberId]);
    return { entryId, balance: acct.balance, pending: acct.pending, points };
  }

  /** Posts a credit of `points` that repays debt, then refills the lots `outstanding` names. */
  private async restore(
    em: EntityManager,
    acct: AccountState,
    points: number,
    ctx: PostingContext,
    outstanding: () => Promise<{ lotId: string; outstanding: number }[]>,
  ): Promise<string | null> {
    await this.postings.settle(em, acct, await this.repo.openLots(em, acct.memberId));
    const changes: LotChange[] = [];
    let left = points;
    if (acct.balance < 0) {
      const repay = Math.min(left, -acct.balance);
      changes.push({ lotId: await this.postings.debtLotId(em, acct.memberId), delta: repay });
      left -= repay;
    }
    let newLot: NewLot | undefined;
    if (left > 0) {
      for (const o of await outstanding()) {
        if (left === 0) break;
        const give = Math.min(o.outstanding, left);
        changes.push({ lotId: o.lotId, delta: give });
        left -= give;
      }
      if (left > 0) {
        // Nothing left to restore onto (should not happen): a fresh lot with the default expiry.
        const now = this.clock.now();
        newLot = {
          kind: 'adjust',
          points: left,
          remaining: left,
          availableAt: now,
          released: true,
          expiresAt: await this.expiryOf(now),
        };
      }
    }
    const entryId = await this.postings.post(em, acct, ctx, {
      kind: 'reverse',
      points,
      pendingPoints: 0,
      lots: changes,
      newLot,
    });
    // Restored lots already past their expiry expire now.
    await this.postings.settle(em, acct, await this.repo.openLots(em, acct.memberId));
    return entryId;
  }

  /**
   * A supervisor's signed correction. Positive: a new lot (available now, default expiry) that
   * repays debt first. Negative: taken from the lots that expire first, and may leave a debt.
   */
  async adjust(
    em: EntityManager,
    input: { memberId: string; points: number; allowDebt?: boolean },
    ctx: PostingContext,
    opts: { notify?: boolean } = {},
  ): Promise<PostingResult> {
    if (!Number.isSafeInteger(input.points) || input.points === 0) {
      throw invalidPoints('must be a non-zero integer');
    }
    const acct = await this.lock(em, input.memberId);
    // Issue 13, defect 12: name the limit of the balance column instead of a generic 400.
    if (input.points > 0 && acct.balance + acct.pending + input.points > MAX_BALANCE)
      throw invalidPoints(`would take the balance past ${MAX_BALANCE}`);
    const lots = await this.postings.settle(em, acct, await this.repo.openLots(em, acct.memberId));
    const changes: LotChange[] = [];
    let newLot: NewLot | undefined;
    if (input.points > 0) {
      let remaining = input.points;
      if (acct.balance < 0) {
        const repay = Math.min(remaining, -acct.balance);
        changes.push({ lotId: await this.postings.debtLotId(em, acct.memberId), delta: repay });
        remaining -= repay;
      }
      const now = this.clock.now();
      newLot = {
        kind: 'adjust',
        points: input.points,
        remaining,
        availableAt: now,
        released: true,
        expiresAt: await this.expiryOf(now),
      };
    } else {
      const debit = this.postings.planDebit(
        lots.filter((l) => l.released),
        -input.points,
      );
      changes.push(...debit.changes);
      // Below zero only when the adjustment says it corrects a debt (issue 13, defect 12).
      if (debit.shortfall > 0 && !input.allowDebt)
        throw insufficientPoints(acct.balance, -input.points);
      if (debit.shortfall > 0) {
        const debt = await this.postings.debtChange(em, acct, debit.shortfall);
        if ('lotId' in debt) changes.push(debt);
        else newLot = debt;
      }
    }
    const entryId = await this.postings.post(em, acct, ctx, {
      kind: 'adjust',
      points: input.points,
      pendingPoints: 0,
      lots: changes,
      newLot,
    });
    if (opts.notify !== false) await this.notifyChanged(em, [acct.memberId]);
    return { entryId, balance: acct.balance, pending: acct.pending };
  }

  /** Releases and expires what is due for one member (the jobs, in their own transaction). */
  async settleDue(tx: EntityManager, memberId: string) {
    const acct = await this.lock(tx, memberId);
    const stats = { released: 0, expired: 0 };
    await this.postings.settle(tx, acct, await this.repo.openLots(tx, memberId), stats);
    if (stats.released || stats.expired) await this.notifyChanged(tx, [memberId]);
    return stats;
  }
}

function assertPoints(points: number, opts: { allowZero?: boolean } = {}): void {
  if (!Number.isSafeInteger(points) || points < 0 || (points === 0 && !opts.allowZero)) {
    throw invalidPoints(
      opts.allowZero ? 'must be a whole number ≥ 0' : 'must be a whole number ≥ 1',
    );
  }
}
