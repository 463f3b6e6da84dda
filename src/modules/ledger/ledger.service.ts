import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  Clock,
  keysetCursor,
  keysetPage,
  DEFAULT_LIMIT,
  notFound,
  Page,
  PersonalDataRegistry,
} from '../../common';
import { AppConfig } from '../../config';
import { PG_ERROR, pgCode, preparedQuery } from '../../database';
import { EntryKind, PromotionPoints } from './ledger-entry.entity';
import { insufficientPoints, invalidPoints, LedgerError, LedgerErrorCode } from './ledger.errors';
import { compareIds, expiryFor, takeFifo } from './lot-math';
import { LotKind } from './point-lot.entity';

/** Who posted an entry, as `actorOf(principal)` names it ('system' for jobs). */
export interface LedgerActor {
  actorType: string;
  actorId: string | null;
}

export interface PostingContext {
  actor: LedgerActor;
  /** Why, in words a member understands ("Purchase T1-000123 at Madrid Centro"). */
  reason: string;
  storeId?: string | null;
  purchaseId?: string | null;
  idempotencyKey?: string | null;
}

export interface AccountState {
  memberId: string;
  balance: number;
  pending: number;
  lifetimeEarned: number;
  version: string;
}

export interface PostingResult {
  /** The entry posted, or null when there was nothing to post (0 points). */
  entryId: string | null;
  balance: number;
  pending: number;
}

export interface EarnResult extends PostingResult {
  /** The points went to `pending` (inside the return window) rather than to the balance. */
  pendingPoints: number;
  availableAt: Date;
  expiresAt: Date | null;
}

export interface PointsSummary {
  balance: number;
  pending: number;
  lifetimeEarned: number;
  expiring: { points: number; expiresAt: Date }[];
}

export interface EntryView {
  id: string;
  kind: EntryKind;
  points: number;
  pendingPoints: number;
  balanceAfter: number;
  purchaseId: string | null;
  storeId: string | null;
  promotions: PromotionPoints[];
  actorType: string;
  reason: string;
  createdAt: Date;
}

export type BalanceListener = (memberIds: string[], em: EntityManager) => Promise<void>;

interface LotRow {
  id: string;
  kind: LotKind;
  remaining: number;
  released: boolean;
  availableAt: Date;
  expiresAt: Date | null;
  purchaseId: string | null;
}

interface Posting {
  kind: EntryKind;
  /** Change to the balance. */
  points: number;
  /** Change to the pending points. */
  pendingPoints: number;
  lifetimeEarned?: number;
  promotions?: PromotionPoints[];
  /** Changes to existing lots (and lots to mark released). */
  lots: { lotId: string; delta: number; release?: boolean }[];
  newLot?: {
    kind: LotKind;
    points: number;
    remaining: number;
    availableAt: Date;
    released: boolean;
    expiresAt: Date | null;
  };
}

const SYSTEM: LedgerActor = { actorType: 'system', actorId: null };

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
export class LedgerService implements OnModuleInit {
  private readonly logger = new Logger('Ledger');
  private readonly listeners: BalanceListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    this.personalData.register({
      category: 'points',
      export: async (em, memberId) => ({
        account: await this.balanceOf(memberId, em),
        entries: (
          await em.query(
            `SELECT id, kind, points, pending_points, balance_after, purchase_id, store_id, reason,
                    created_at FROM ledger_entries WHERE member_id = $1 ORDER BY id`,
            [memberId],
          )
        ).map((r: Record<string, unknown>) => ({
          id: r.id,
          kind: r.kind,
          points: r.points,
          pendingPoints: r.pending_points,
          balanceAfter: r.balance_after,
          purchaseId: r.purchase_id,
          storeId: r.store_id,
          reason: r.reason,
          createdAt: r.created_at,
        })),
      }),
      // Sums survive erasure; the text staff wrote (adjustment reasons) and caller-supplied keys
      // go (issue 13). The trigger allows exactly this under fidelia.erasure, in this transaction.
      erase: async (em, memberId) => {
        await em.query(`SELECT set_config('fidelia.erasure', 'on', true)`);
        await em.query(
          `UPDATE ledger_entries
              SET reason = CASE WHEN kind = 'adjust' THEN '[erased]' ELSE reason END,
                  idempotency_key = CASE WHEN idempotency_key IS NULL THEN NULL
                                         ELSE 'erased:' || gen_random_uuid() END
            WHERE member_id = $1 AND (kind = 'adjust' OR idempotency_key IS NOT NULL)`,
          [memberId],
        );
        await em.query(`SELECT set_config('fidelia.erasure', 'off', true)`);
      },
    });
  }

  /**
   * Called inside the posting transaction after a member's points change (e.g. the cards module
   * updates wallet passes). Keep listeners cheap: they run on the till's path.
   */
  onBalanceChanged(listener: BalanceListener): void {
    this.listeners.push(listener);
  }

  /** Tells the listeners; the ledger's own operations call it unless `notify: false`. */
  async notifyChanged(memberIds: string[], em: EntityManager): Promise<void> {
    for (const listener of this.listeners) await listener(memberIds, em);
  }

  /** Locks (creating if needed) the member's account for the rest of the caller's transaction. */
  async lock(memberId: string, em: EntityManager): Promise<AccountState> {
    if (!em.queryRunner?.isTransactionActive) {
      throw new Error('LedgerService needs the caller transaction (an EntityManager inside one)');
    }
    const select = `SELECT member_id, balance, pending, lifetime_earned, version::text AS version
                      FROM point_accounts WHERE member_id = $1 FOR UPDATE`;
    let { rows } = await preparedQuery(em, 'ledger_lock', select, [memberId]);
    if (!rows.length) {
      try {
        await em.query(
          `INSERT INTO point_accounts (member_id) VALUES ($1) ON CONFLICT DO NOTHING`,
          [memberId],
        );
      } catch (err) {
        if (pgCode(err) === PG_ERROR.foreignKeyViolation) throw notFound('member');
        throw err;
      }
      ({ rows } = await preparedQuery(em, 'ledger_lock', select, [memberId]));
    }
    const r = rows[0];
    return {
      memberId,
      balance: r.balance as number,
      pending: r.pending as number,
      lifetimeEarned: r.lifetime_earned as number,
      version: r.version as string,
    };
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
    const expiresAt = expiryFor(
      now,
      this.config.POINTS_EXPIRY_MONTHS,
      this.config.POINTS_EXPIRY_MONTH_END,
    );
    const released = this.config.POINTS_RETURN_WINDOW_DAYS === 0;
    if (!opts.account && input.points > 0) {
      const fast = await this.earnAtOnce(em, input, ctx, { availableAt, expiresAt, released });
      if (fast) {
        if (opts.notify !== false) await this.notifyChanged([input.memberId], em);
        return fast;
      }
    }
    const acct = opts.account ?? (await this.lock(input.memberId, em));
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
    const lots: Posting['lots'] = [];
    let remaining = input.points;
    if (released && acct.balance < 0) {
      const repay = Math.min(input.points, -acct.balance);
      lots.push({ lotId: await this.debtLotId(em, acct.memberId), delta: repay });
      remaining -= repay;
    }
    const entryId = await this.post(em, acct, ctx, {
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
    if (opts.notify !== false) await this.notifyChanged([acct.memberId], em);
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
    em: EntityManager,
    input: { memberId: string; points: number; promotions?: PromotionPoints[] },
    ctx: PostingContext,
    lot: { availableAt: Date; expiresAt: Date | null; released: boolean },
  ): Promise<EarnResult | null> {
    if (!em.queryRunner?.isTransactionActive) {
      throw new Error('LedgerService needs the caller transaction (an EntityManager inside one)');
    }
    const actor = ctx.actor ?? SYSTEM;
    const { rows } = await preparedQuery<{ balance: number; pending: number; entry_id: string }>(
      em,
      'ledger_earn_at_once',
      `WITH a AS (
         UPDATE point_accounts
            SET balance = balance + $2, pending = pending + $3,
                lifetime_earned = lifetime_earned + $4, version = version + 1, updated_at = $12
          WHERE member_id = $1 AND (NOT $15::boolean OR balance >= 0)
          RETURNING balance, pending),
       e AS (
         INSERT INTO ledger_entries (member_id, kind, points, pending_points, balance_after,
           purchase_id, promotions, actor_type, actor_id, store_id, reason, idempotency_key,
           created_at)
         SELECT $1, 'earn', $2, $3, a.balance, $5, $6::jsonb, $7, $8, $9, $10, $11, $12 FROM a
         RETURNING id),
       l AS (
         INSERT INTO point_lots (member_id, entry_id, purchase_id, kind, points, remaining,
           available_at, released, expires_at, created_at)
         SELECT $1, e.id, $5, 'earn', $4, $4, $13, $15, $14, $12 FROM e
         RETURNING id, entry_id)
       INSERT INTO point_lot_movements (entry_id, lot_id, points)
       SELECT l.entry_id, l.id, $4 FROM l
       RETURNING (SELECT balance FROM a) AS balance, (SELECT pending FROM a) AS pending,
                 entry_id::text AS entry_id`,
      [
        input.memberId,
        lot.released ? input.points : 0,
        lot.released ? 0 : input.points,
        input.points,
        ctx.purchaseId ?? null,
        JSON.stringify(input.promotions ?? []),
        actor.actorType,
        actor.actorId,
        ctx.storeId ?? null,
        ctx.reason,
        ctx.idempotencyKey ?? null,
        this.clock.now(),
        lot.availableAt,
        lot.expiresAt,
        lot.released,
      ],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      entryId: row.entry_id,
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
    const acct = opts.account ?? (await this.lock(input.memberId, em));
    if (acct.balance < input.points) throw insufficientPoints(acct.balance, input.points);
    const lots = await this.settle(em, acct, await this.openLots(em, acct.memberId));
    if (acct.balance < input.points) throw insufficientPoints(acct.balance, input.points);
    const { taken, shortfall } = takeFifo(
      lots.filter((l) => l.released && l.kind !== 'debt'),
      input.points,
    );
    if (shortfall > 0) throw this.corrupt(acct.memberId, 'lots do not cover the balance');
    const entryId = await this.post(em, acct, ctx, {
      kind: 'redeem',
      points: -input.points,
      pendingPoints: 0,
      lots: taken.map((t) => ({ lotId: t.lotId, delta: -t.points })),
    });
    if (opts.notify !== false) await this.notifyChanged([acct.memberId], em);
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
    const acct = opts.account ?? (await this.lock(input.memberId, em));
    if (input.points === 0) return { entryId: null, balance: acct.balance, pending: acct.pending };
    const lots = await this.settle(em, acct, await this.openLots(em, acct.memberId));
    const own = lots
      .filter((l) => l.purchaseId === input.purchaseId && l.kind === 'earn' && l.remaining > 0)
      .sort((a, b) => compareIds(a.id, b.id));
    const changes: Posting['lots'] = [];
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
    const debit = this.planDebit(
      lots.filter((l) => l.released && !own.includes(l)),
      left,
    );
    changes.push(...debit.changes);
    fromBalance += left;
    const newLot = debit.shortfall > 0 ? await this.debtChange(em, acct, debit.shortfall) : null;
    if (newLot && 'lotId' in newLot) changes.push(newLot);
    const entryId = await this.post(
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
    if (opts.notify !== false) await this.notifyChanged([acct.memberId], em);
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
    const acct = opts.account ?? (await this.lock(input.memberId, em));
    if (input.points === 0) return { entryId: null, balance: acct.balance, pending: acct.pending };
    await this.settle(em, acct, await this.openLots(em, acct.memberId));
    const changes: Posting['lots'] = [];
    let left = input.points;
    if (acct.balance < 0) {
      const repay = Math.min(left, -acct.balance);
      changes.push({ lotId: await this.debtLotId(em, acct.memberId), delta: repay });
      left -= repay;
    }
    let newLot: Posting['newLot'];
    if (left > 0) {
      const outstanding: { lot_id: string; outstanding: number }[] = await em.query(
        `SELECT mv.lot_id::text AS lot_id, (-sum(mv.points))::int AS outstanding
           FROM ledger_entries e
           JOIN point_lot_movements mv ON mv.entry_id = e.id
           JOIN point_lots l ON l.id = mv.lot_id AND l.kind <> 'debt'
          WHERE e.member_id = $1 AND e.purchase_id = $2
            AND (e.kind = 'redeem' OR (e.kind = 'reverse' AND e.points > 0))
          GROUP BY mv.lot_id, l.expires_at HAVING sum(mv.points) < 0
          ORDER BY l.expires_at DESC NULLS FIRST, mv.lot_id DESC`,
        [acct.memberId, input.purchaseId],
      );
      for (const o of outstanding) {
        if (left === 0) break;
        const give = Math.min(o.outstanding, left);
        changes.push({ lotId: o.lot_id, delta: give });
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
          expiresAt: expiryFor(
            now,
            this.config.POINTS_EXPIRY_MONTHS,
            this.config.POINTS_EXPIRY_MONTH_END,
          ),
        };
      }
    }
    const entryId = await this.post(
      em,
      acct,
      { ...ctx, purchaseId: input.purchaseId },
      {
        kind: 'reverse',
        points: input.points,
        pendingPoints: 0,
        lots: changes,
        newLot,
      },
    );
    // Restored lots already past their expiry expire now.
    await this.settle(em, acct, await this.openLots(em, acct.memberId));
    if (opts.notify !== false) await this.notifyChanged([acct.memberId], em);
    return { entryId, balance: acct.balance, pending: acct.pending };
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
    const acct = await this.lock(input.memberId, em);
    // Issue 13, defect 12: name the limit of the balance column instead of a generic 400.
    if (input.points > 0 && acct.balance + acct.pending + input.points > MAX_BALANCE)
      throw invalidPoints(`would take the balance past ${MAX_BALANCE}`);
    const lots = await this.settle(em, acct, await this.openLots(em, acct.memberId));
    const changes: Posting['lots'] = [];
    let newLot: Posting['newLot'];
    if (input.points > 0) {
      let remaining = input.points;
      if (acct.balance < 0) {
        const repay = Math.min(remaining, -acct.balance);
        changes.push({ lotId: await this.debtLotId(em, acct.memberId), delta: repay });
        remaining -= repay;
      }
      const now = this.clock.now();
      newLot = {
        kind: 'adjust',
        points: input.points,
        remaining,
        availableAt: now,
        released: true,
        expiresAt: expiryFor(
          now,
          this.config.POINTS_EXPIRY_MONTHS,
          this.config.POINTS_EXPIRY_MONTH_END,
        ),
      };
    } else {
      const debit = this.planDebit(
        lots.filter((l) => l.released),
        -input.points,
      );
      changes.push(...debit.changes);
      // Below zero only when the adjustment says it corrects a debt (issue 13, defect 12).
      if (debit.shortfall > 0 && !input.allowDebt)
        throw insufficientPoints(acct.balance, -input.points);
      if (debit.shortfall > 0) {
        const debt = await this.debtChange(em, acct, debit.shortfall);
        if ('lotId' in debt) changes.push(debt);
        else newLot = debt;
      }
    }
    const entryId = await this.post(em, acct, ctx, {
      kind: 'adjust',
      points: input.points,
      pendingPoints: 0,
      lots: changes,
      newLot,
    });
    if (opts.notify !== false) await this.notifyChanged([acct.memberId], em);
    return { entryId, balance: acct.balance, pending: acct.pending };
  }

  /**
   * The jobs: releases pending lots whose return window has passed and expires lots past their
   * expiry, member by member, each in its own transaction. Idempotent: what is done is not due.
   */
  async runDueJobs(limit = 1000): Promise<{ members: number; released: number; expired: number }> {
    const total = { members: 0, released: 0, expired: 0 };
    const seen = new Set<string>();
    for (;;) {
      const now = this.clock.now();
      const due: { member_id: string }[] = await this.dataSource.query(
        `SELECT member_id FROM point_lots
          WHERE NOT released AND remaining > 0 AND available_at <= $1
         UNION
         SELECT member_id FROM point_lots
          WHERE remaining > 0 AND expires_at <= $1
         LIMIT $2`,
        [now, limit],
      );
      const todo = due.map((d) => d.member_id).filter((m) => !seen.has(m));
      if (todo.length === 0) return total;
      for (const memberId of todo) {
        seen.add(memberId);
        const counts = await this.dataSource.transaction(async (em) => {
          const acct = await this.lock(memberId, em);
          const stats = { released: 0, expired: 0 };
          await this.settle(em, acct, await this.openLots(em, memberId), stats);
          if (stats.released || stats.expired) await this.notifyChanged([memberId], em);
          return stats;
        });
        total.members++;
        total.released += counts.released;
        total.expired += counts.expired;
      }
    }
  }

  /** Balance, pending and the next expiries (zeros for a member with no account yet). */
  async balanceOf(
    memberId: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<PointsSummary> {
    const { rows } = await preparedQuery<{
      balance: number;
      pending: number;
      lifetime_earned: number;
      points: number[] | null;
      expires_at: Date[] | null;
    }>(
      em,
      'ledger_balance_of',
      // Only non-debt lots have an expiry, and their remaining is never negative.
      `SELECT a.balance, a.pending, a.lifetime_earned, x.points, x.expires_at
         FROM point_accounts a
         LEFT JOIN LATERAL (
           SELECT array_agg(n.points ORDER BY n.expires_at) AS points,
                  array_agg(n.expires_at ORDER BY n.expires_at) AS expires_at
             FROM (SELECT sum(remaining)::int AS points, expires_at FROM point_lots
                    WHERE member_id = $1 AND remaining <> 0 AND expires_at IS NOT NULL
                    GROUP BY expires_at ORDER BY expires_at LIMIT 5) n) x ON true
        WHERE a.member_id = $1`,
      [memberId],
    );
    const account = rows[0];
    if (!account) return { balance: 0, pending: 0, lifetimeEarned: 0, expiring: [] };
    const dates = account.expires_at ?? [];
    return {
      balance: account.balance,
      pending: account.pending,
      lifetimeEarned: account.lifetime_earned,
      expiring: (account.points ?? []).map((points, i) => ({ points, expiresAt: dates[i] })),
    };
  }

  /** History, newest first, keyset-paginated on the entry id. */
  async entries(
    memberId: string,
    query: { limit?: number; cursor?: string },
    em: EntityManager = this.dataSource.manager,
  ): Promise<Page<EntryView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const [after] = keysetCursor(query.cursor, 1, ['integer']) ?? [];
    // Ordered by the bigint column, not by the text alias `id` (which sorted 79 before 103).
    const rows: Record<string, any>[] = await em.query(
      `SELECT id::text AS id, kind, points, pending_points, balance_after, purchase_id, store_id,
              promotions, actor_type, reason, created_at
         FROM ledger_entries
        WHERE member_id = $1 AND ($2::bigint IS NULL OR ledger_entries.id < $2::bigint)
        ORDER BY ledger_entries.id DESC LIMIT $3`,
      [memberId, after === undefined ? null : String(after), limit + 1],
    );
    return keysetPage(
      rows,
      limit,
      (r) => [r.id as string],
      (r): EntryView => ({
        id: r.id,
        kind: r.kind,
        points: r.points,
        pendingPoints: r.pending_points,
        balanceAfter: r.balance_after,
        purchaseId: r.purchase_id,
        storeId: r.store_id,
        promotions: r.promotions,
        actorType: r.actor_type,
        reason: r.reason,
        createdAt: r.created_at,
      }),
    );
  }

  // --- internals -------------------------------------------------------------------------------

  private async openLots(em: EntityManager, memberId: string): Promise<LotRow[]> {
    const rows: Record<string, any>[] = await em.query(
      `SELECT id::text AS id, kind, remaining, released, available_at, expires_at, purchase_id
         FROM point_lots WHERE member_id = $1 AND remaining <> 0`,
      [memberId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      remaining: r.remaining,
      released: r.released,
      availableAt: r.available_at,
      expiresAt: r.expires_at,
      purchaseId: r.purchase_id,
    }));
  }

  /**
   * Releases due pending lots (repaying debt first) and expires lots past their expiry, posting
   * one entry per lot. Returns the open lots as they are afterwards.
   */
  private async settle(
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
  private planDebit(lots: LotRow[], points: number) {
    const { taken, shortfall } = takeFifo(
      lots.filter((l) => l.kind !== 'debt'),
      points,
    );
    return { changes: taken.map((t) => ({ lotId: t.lotId, delta: -t.points })), shortfall };
  }

  /** Adds `points` of debt: to the member's debt lot, or a new one. */
  private async debtChange(
    em: EntityManager,
    acct: AccountState,
    points: number,
  ): Promise<{ lotId: string; delta: number } | NonNullable<Posting['newLot']>> {
    const [row]: { id: string }[] = await em.query(
      `SELECT id::text AS id FROM point_lots WHERE member_id = $1 AND kind = 'debt'`,
      [acct.memberId],
    );
    if (row) return { lotId: row.id, delta: -points };
    return {
      kind: 'debt',
      points: 0,
      remaining: -points,
      availableAt: this.clock.now(),
      released: true,
      expiresAt: null,
    };
  }

  private async debtLotId(em: EntityManager, memberId: string): Promise<string> {
    const [row]: { id: string }[] = await em.query(
      `SELECT id::text AS id FROM point_lots WHERE member_id = $1 AND kind = 'debt'`,
      [memberId],
    );
    if (!row) throw this.corrupt(memberId, 'negative balance without a debt lot');
    return row.id;
  }

  /**
   * One statement: the entry, its new lot, the changes to existing lots, their movements and the
   * account — whose update holds only if the version is the one read under the lock (and, for a
   * redemption, the balance covers it). Updates `acct` in place.
   */
  private async post(
    em: EntityManager,
    acct: AccountState,
    ctx: PostingContext,
    p: Posting,
  ): Promise<string> {
    const now = this.clock.now();
    const changes = p.lots.filter((l) => l.delta !== 0 || l.release);
    const nl = p.newLot;
    const { rows } = await preparedQuery<{
      balance: number;
      pending: number;
      version: string;
      entry_id: string;
      lots_updated: number;
    }>(
      em,
      'ledger_post',
      `WITH e AS (
         INSERT INTO ledger_entries (member_id, kind, points, pending_points, balance_after,
           purchase_id, promotions, actor_type, actor_id, store_id, reason, idempotency_key,
           created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13)
         RETURNING id),
       d AS (
         SELECT * FROM unnest($20::bigint[], $21::int[], $22::boolean[]) AS d(lot_id, delta, rel)),
       u AS (
         UPDATE point_lots p SET remaining = p.remaining + d.delta, released = p.released OR d.rel
           FROM d WHERE p.id = d.lot_id AND p.member_id = $1
         RETURNING p.id),
       l AS (
         INSERT INTO point_lots (member_id, entry_id, purchase_id, kind, points, remaining,
           available_at, released, expires_at, created_at)
         SELECT $1, e.id, $6, $14, $15, $16, $17, $18, $19, $13 FROM e WHERE $14::text IS NOT NULL
         RETURNING id, entry_id),
       m AS (
         INSERT INTO point_lot_movements (entry_id, lot_id, points)
         SELECT e.id, d.lot_id, d.delta FROM e, d WHERE d.delta <> 0
         UNION ALL
         SELECT l.entry_id, l.id, $16::int FROM l)
       UPDATE point_accounts
          SET balance = balance + $3, pending = pending + $4,
              lifetime_earned = lifetime_earned + $23, version = version + 1, updated_at = $13
        WHERE member_id = $1 AND version = $24::bigint
          AND ($2 <> 'redeem' OR balance + $3 >= 0)
        RETURNING balance, pending, version::text AS version,
                  (SELECT id::text FROM e) AS entry_id,
                  (SELECT count(*) FROM u)::int AS lots_updated`,
      [
        acct.memberId,
        p.kind,
        p.points,
        p.pendingPoints,
        acct.balance + p.points,
        ctx.purchaseId ?? null,
        JSON.stringify(p.promotions ?? []),
        (ctx.actor ?? SYSTEM).actorType,
        (ctx.actor ?? SYSTEM).actorId,
        ctx.storeId ?? null,
        ctx.reason,
        ctx.idempotencyKey ?? null,
        now,
        nl?.kind ?? null,
        nl?.points ?? null,
        nl?.remaining ?? null,
        nl?.availableAt ?? null,
        nl?.released ?? null,
        nl?.expiresAt ?? null,
        changes.map((c) => c.lotId),
        changes.map((c) => c.delta),
        changes.map((c) => c.release ?? false),
        p.lifetimeEarned ?? 0,
        acct.version,
      ],
    );
    const row = rows[0];
    if (!row) {
      if (p.kind === 'redeem') throw insufficientPoints(acct.balance, -p.points);
      throw new LedgerError(
        'conflict',
        LedgerErrorCode.Concurrency,
        'the points account changed while posting; try again',
      );
    }
    if (row.lots_updated !== changes.length) throw this.corrupt(acct.memberId, 'lot not found');
    acct.balance = row.balance;
    acct.pending = row.pending;
    acct.version = row.version;
    acct.lifetimeEarned += p.lifetimeEarned ?? 0;
    return row.entry_id;
  }

  private corrupt(memberId: string, what: string): Error {
    this.logger.error({ memberId }, `ledger inconsistency: ${what}`);
    return new Error(`ledger inconsistency for member ${memberId}: ${what}`);
  }
}

function assertPoints(points: number, opts: { allowZero?: boolean } = {}): void {
  if (!Number.isSafeInteger(points) || points < 0 || (points === 0 && !opts.allowZero)) {
    throw invalidPoints(
      opts.allowZero ? 'must be a whole number ≥ 0' : 'must be a whole number ≥ 1',
    );
  }
}
