import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, notFound } from '../../common';
import { inTransaction, PG_ERROR, pgCode } from '../../database';
import { EntryKind, PromotionPoints } from './ledger-entry.entity';
import { insufficientPoints, LedgerError, LedgerErrorCode } from './ledger.errors';
import { EntryContext, LedgerRepository, LotChange, LotRow, NewLot } from './ledger.repository';
import { AccountState, PostingContext, SYSTEM } from './ledger.types';
import { compareIds, takeFifo } from './lot-math';

/** One change to a member's points, as `post` writes it. */
export interface Posting {
  kind: EntryKind;
  /** Change to the balance. */
  points: number;
  /** Change to the pending points. */
  pendingPoints: number;
  lifetimeEarned?: number;
  promotions?: PromotionPoints[];
  /** Changes to existing lots (and lots to mark released). */
  lots: LotChange[];
  newLot?: NewLot;
}

/**
 * The mechanics every posting shares: the account lock, settling due lots, debt lots, and the
 * one-statement post guarded by the account's version. LedgerService holds the rules of each
 * kind of posting on top of these.
 */
@Injectable()
export class LedgerPostings {
  private readonly logger = new Logger('Ledger');

  constructor(
    private readonly repo: LedgerRepository,
    private readonly clock: Clock,
  ) {}

  /** Locks (creating if needed) the member's account for the rest of the caller's transaction. */
  async lock(tx: EntityManager, memberId: string): Promise<AccountState> {
    assertTransaction(tx);
    const locked = await this.repo.lockAccount(tx, memberId);
    if (locked) return locked;
    try {
      await this.repo.createAccount(tx, memberId);
    } catch (err) {
      if (pgCode(err) === PG_ERROR.foreignKeyViolation) throw notFound('member');
      throw err;
    }
    const created = await this.repo.lockAccount(tx, memberId);
    if (!created) throw this.corrupt(memberId, 'account not found after creating it');
    return created;
  }

  /**
   * Releases due pending lots (repaying debt first) and expires lots past their expiry, posting
   * one entry per lot. Returns the open lots as they are afterwards.
   */
  async settle(
    em: EntityManager,
    acct: AccountState,
    lots: LotRow[],
    stats: { released: number; expired: number } = { released: 0, expired: 0 },
  ): Promise<LotRow[]> {
    const now = this.clock.now().getTime();
    const toRelease = lots
      .filter((l) => !l.released && l.remaining > 0 && l.availableAt.getTime() <= now)
      .sort((a, b) => a.availableAt.getTime() - b.availableAt.getTime() || compareIds(a.id, b.id));
    for (const lot of toRelease) {
      const points = lot.remaining;
      const changes: Posting['lots'] = [{ lotId: lot.id, delta: 0, release: true }];
      if (acct.balance < 0) {
        const repay = Math.min(points, -acct.balance);
        const debt = lots.find((l) => l.kind === 'debt');
        if (!debt) throw this.corrupt(acct.memberId, 'negative balance without a debt lot');
        changes[0].delta = -repay;
        changes.push({ lotId: debt.id, delta: repay });
        lot.remaining -= repay;
        debt.remaining += repay;
      }
      await this.post(
        em,
        acct,
        {
          actor: SYSTEM,
          reason: 'Points available after the return window',
          purchaseId: lot.purchaseId,
        },
        { kind: 'release', points, pendingPoints: -points, lots: changes },
      );
      lot.released = true;
      stats.released++;
    }
    const toExpire = lots
      .filter((l) => l.remaining > 0 && l.expiresAt && l.expiresAt.getTime() <= now)
      .sort((a, b) => a.expiresAt!.getTime() - b.expiresAt!.getTime() || compareIds(a.id, b.id));
    for (const lot of toExpire) {
      await this.post(
        em,
        acct,
        {
          actor: SYSTEM,
          reason: `Points expired on ${lot.expiresAt!.toISOString().slice(0, 10)}`,
          purchaseId: lot.purchaseId,
        },
        {
          kind: 'expire',
          points: lot.released ? -lot.remaining : 0,
          pendingPoints: lot.released ? 0 : -lot.remaining,
          lots: [{ lotId: lot.id, delta: -lot.remaining }],
        },
      );
      lot.remaining = 0;
      stats.expired++;
    }
    return lots.filter((l) => l.remaining !== 0);
  }

  /** Takes `points` from released positive lots, expiring first; what they lack is the shortfall. */
  planDebit(lots: LotRow[], points: number) {
    const { taken, shortfall } = takeFifo(
      lots.filter((l) => l.kind !== 'debt'),
      points,
    );
    return { changes: taken.map((t) => ({ lotId: t.lotId, delta: -t.points })), shortfall };
  }

  /** Adds `points` of debt: to the member's debt lot, or a new one. */
  async debtChange(
    em: EntityManager,
    acct: AccountState,
    points: number,
  ): Promise<LotChange | NewLot> {
    const debtLot = await this.repo.debtLotId(em, acct.memberId);
    if (debtLot) return { lotId: debtLot, delta: -points };
    return {
      kind: 'debt',
      points: 0,
      remaining: -points,
      availableAt: this.clock.now(),
      released: true,
      expiresAt: null,
    };
  }

  async debtLotId(tx: EntityManager, memberId: string): Promise<string> {
    const id = await this.repo.debtLotId(tx, memberId);
    if (!id) throw this.corrupt(memberId, 'negative balance without a debt lot');
    return id;
  }

  /**
   * One statement: the entry, its new lot, the changes to existing lots, their movements and the
   * account — whose update holds only if the version is the one read under the lock (and, for a
   * redemption, the balance covers it). Updates `acct` in place.
   */
  async post(
    em: EntityManager,
    acct: AccountState,
    ctx: PostingContext,
    p: Posting,
  ): Promise<string> {
    const changes = p.lots.filter((l) => l.delta !== 0 || l.release);
    const row = await this.repo.post(em, {
      memberId: acct.memberId,
      version: acct.version,
      kind: p.kind,
      points: p.points,
      pendingPoints: p.pendingPoints,
      balanceAfter: acct.balance + p.points,
      lifetimeEarned: p.lifetimeEarned ?? 0,
      promotions: p.promotions ?? [],
      ctx: entryContext(ctx),
      at: this.clock.now(),
      changes,
      newLot: p.newLot ?? null,
    });
    if (!row) {
      if (p.kind === 'redeem') throw insufficientPoints(acct.balance, -p.points);
      throw new LedgerError(
        'conflict',
        LedgerErrorCode.Concurrency,
        'the points account changed while posting; try again',
      );
    }
    if (row.lotsUpdated !== changes.length) throw this.corrupt(acct.memberId, 'lot not found');
    acct.balance = row.balance;
    acct.pending = row.pending;
    acct.version = row.version;
    acct.lifetimeEarned += p.lifetimeEarned ?? 0;
    return row.entryId;
  }

  corrupt(memberId: string, what: string): Error {
    this.logger.error({ memberId }, `ledger inconsistency: ${what}`);
    return new Error(`ledger inconsistency for member ${memberId}: ${what}`);
  }
}

/** The entry's who/why/where as the repository writes it. */
export function entryContext(ctx: PostingContext): EntryContext {
  const actor = ctx.actor ?? SYSTEM;
  return {
    actorType: actor.actorType,
    actorId: actor.actorId,
    reason: ctx.reason,
    storeId: ctx.storeId ?? null,
    purchaseId: ctx.purchaseId ?? null,
    idempotencyKey: ctx.idempotencyKey ?? null,
  };
}

/** Postings lock the account: without the caller's transaction the lock would end at once. */
export function assertTransaction(tx: EntityManager): void {
  if (!inTransaction(tx)) {
    throw new Error('LedgerService needs the caller transaction (a Tx from TransactionRunner.run)');
  }
}
