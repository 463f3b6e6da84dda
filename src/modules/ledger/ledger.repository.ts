import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { preparedQuery } from '../../database';
import { EntryKind, PromotionPoints } from './ledger-entry.entity';
import { LotKind } from './point-lot.entity';

/** A point_accounts row as the lock reads it (`version` is a bigint, kept as text). */
export interface AccountRow {
  memberId: string;
  balance: number;
  pending: number;
  lifetimeEarned: number;
  version: string;
}

export interface LotRow {
  id: string;
  kind: LotKind;
  remaining: number;
  released: boolean;
  availableAt: Date;
  expiresAt: Date | null;
  purchaseId: string | null;
}

/** Who, why and where of an entry, as it is written. */
export interface EntryContext {
  actorType: string;
  actorId: string | null;
  reason: string;
  storeId: string | null;
  purchaseId: string | null;
  idempotencyKey: string | null;
}

export interface NewLot {
  kind: LotKind;
  points: number;
  remaining: number;
  availableAt: Date;
  released: boolean;
  expiresAt: Date | null;
}

export interface LotChange {
  lotId: string;
  delta: number;
  release?: boolean;
}

export interface PostRow {
  balance: number;
  pending: number;
  version: string;
  entryId: string;
  lotsUpdated: number;
}

export interface BalanceRow {
  balance: number;
  pending: number;
  lifetimeEarned: number;
  expiring: { points: number; expiresAt: Date }[];
}

export interface EntryRow {
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

/**
 * The ledger's SQL: point_accounts, ledger_entries, point_lots and point_lot_movements. Every
 * method takes the caller's manager first and returns typed rows; the rules live in the services.
 * The hot statements are named prepared statements (`preparedQuery`).
 */
@Injectable()
export class LedgerRepository {
  /** The account row, locked `FOR UPDATE` for the rest of the transaction; null if none yet. */
  async lockAccount(tx: EntityManager, memberId: string): Promise<AccountRow | null> {
    const { rows } = await preparedQuery<{
      balance: number;
      pending: number;
      lifetime_earned: number;
      version: string;
    }>(
      tx,
      'ledger_lock',
      `SELECT balance, pending, lifetime_earned, version::text AS version
         FROM point_accounts WHERE member_id = $1 FOR UPDATE`,
      [memberId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      memberId,
      balance: r.balance,
      pending: r.pending,
      lifetimeEarned: r.lifetime_earned,
      version: r.version,
    };
  }

  /** Creates the member's empty account (a foreign-key violation if the member does not exist). */
  async createAccount(tx: EntityManager, memberId: string): Promise<void> {
    await tx.query(`INSERT INTO point_accounts (member_id) VALUES ($1) ON CONFLICT DO NOTHING`, [
      memberId,
    ]);
  }

  /**
   * The common earn in one statement: the account row is updated first (which locks it), then
   * the entry, its lot and the lot's movement. Null, with nothing written, when the account does
   * not exist or `released` and the balance is negative (a debt to repay first).
   */
  async earnAtOnce(
    tx: EntityManager,
    e: {
      memberId: string;
      points: number;
      released: boolean;
      promotions: PromotionPoints[];
      ctx: EntryContext;
      at: Date;
      availableAt: Date;
      expiresAt: Date | null;
    },
  ): Promise<{ balance: number; pending: number; entryId: string } | null> {
    const { rows } = await preparedQuery<{ balance: number; pending: number; entry_id: string }>(
      tx,
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
        e.memberId,
        e.released ? e.points : 0,
        e.released ? 0 : e.points,
        e.points,
        e.ctx.purchaseId,
        JSON.stringify(e.promotions),
        e.ctx.actorType,
        e.ctx.actorId,
        e.ctx.storeId,
        e.ctx.reason,
        e.ctx.idempotencyKey,
        e.at,
        e.availableAt,
        e.expiresAt,
        e.released,
      ],
    );
    const r = rows[0];
    return r ? { balance: r.balance, pending: r.pending, entryId: r.entry_id } : null;
  }

  /**
   * One statement: the entry, its new lot, the changes to existing lots, their movements and the
   * account, whose update holds only if the version is `version` (and, for a redemption, the
   * balance covers it). Null when that condition failed (nothing written).
   */
  async post(
    tx: EntityManager,
    p: {
      memberId: string;
      version: string;
      kind: EntryKind;
      points: number;
      pendingPoints: number;
      balanceAfter: number;
      lifetimeEarned: number;
      promotions: PromotionPoints[];
      ctx: EntryContext;
      at: Date;
      changes: LotChange[];
      newLot: NewLot | null;
    },
  ): Promise<PostRow | null> {
    const nl = p.newLot;
    const { rows } = await preparedQuery<{
      balance: number;
      pending: number;
      version: string;
      entry_id: string;
      lots_updated: number;
    }>(
      tx,
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
        p.memberId,
        p.kind,
        p.points,
        p.pendingPoints,
        p.balanceAfter,
        p.ctx.purchaseId,
        JSON.stringify(p.promotions),
        p.ctx.actorType,
        p.ctx.actorId,
        p.ctx.storeId,
        p.ctx.reason,
        p.ctx.idempotencyKey,
        p.at,
        nl?.kind ?? null,
        nl?.points ?? null,
        nl?.remaining ?? null,
        nl?.availableAt ?? null,
        nl?.released ?? null,
        nl?.expiresAt ?? null,
        p.changes.map((c) => c.lotId),
        p.changes.map((c) => c.delta),
        p.changes.map((c) => c.release ?? false),
        p.lifetimeEarned,
        p.version,
      ],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      balance: r.balance,
      pending: r.pending,
      version: r.version,
      entryId: r.entry_id,
      lotsUpdated: r.lots_updated,
    };
  }

  /** The member's lots with something left (positive, or the negative debt lot). */
  async openLots(tx: EntityManager, memberId: string): Promise<LotRow[]> {
    const rows: {
      id: string;
      kind: LotKind;
      remaining: number;
      released: boolean;
      available_at: Date;
      expires_at: Date | null;
      purchase_id: string | null;
    }[] = await tx.query(
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

  /** The member's debt lot (at most one per member), or null. */
  async debtLotId(tx: EntityManager, memberId: string): Promise<string | null> {
    const [row]: { id: string }[] = await tx.query(
      `SELECT id::text AS id FROM point_lots WHERE member_id = $1 AND kind = 'debt'`,
      [memberId],
    );
    return row?.id ?? null;
  }

  /**
   * The lots a purchase's redemptions took from and have not been given back yet, the latest
   * expiry first: where a return puts redeemed points back.
   */
  async redeemedOutstanding(
    tx: EntityManager,
    memberId: string,
    of: { purchaseId: string } | { entryId: string },
  ): Promise<{ lotId: string; outstanding: number }[]> {
    // A purchase's redemptions net of what its returns already gave back; or one redeem entry.
    const which =
      'purchaseId' in of
        ? `e.purchase_id = $2 AND (e.kind = 'redeem' OR (e.kind = 'reverse' AND e.points > 0))`
        : `e.id = $2::bigint AND e.kind = 'redeem'`;
    const rows: { lot_id: string; outstanding: number }[] = await tx.query(
      `SELECT mv.lot_id::text AS lot_id, (-sum(mv.points))::int AS outstanding
         FROM ledger_entries e
         JOIN point_lot_movements mv ON mv.entry_id = e.id
         JOIN point_lots l ON l.id = mv.lot_id AND l.kind <> 'debt'
        WHERE e.member_id = $1 AND ${which}
        GROUP BY mv.lot_id, l.expires_at HAVING sum(mv.points) < 0
        ORDER BY l.expires_at DESC NULLS FIRST, mv.lot_id DESC`,
      [memberId, 'purchaseId' in of ? of.purchaseId : of.entryId],
    );
    return rows.map((r) => ({ lotId: r.lot_id, outstanding: r.outstanding }));
  }

  /** Members with a pending lot past its return window or a lot past its expiry. */
  async dueMembers(em: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows: { member_id: string }[] = await em.query(
      `SELECT member_id FROM point_lots
        WHERE NOT released AND remaining > 0 AND available_at <= $1
       UNION
       SELECT member_id FROM point_lots
        WHERE remaining > 0 AND expires_at <= $1
       LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.member_id);
  }

  /** Balance, pending and the next five expiry dates; null for a member with no account yet. */
  async balance(em: EntityManager, memberId: string): Promise<BalanceRow | null> {
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
    const r = rows[0];
    if (!r) return null;
    const dates = r.expires_at ?? [];
    return {
      balance: r.balance,
      pending: r.pending,
      lifetimeEarned: r.lifetime_earned,
      expiring: (r.points ?? []).map((points, i) => ({ points, expiresAt: dates[i] })),
    };
  }

  /** Entries newest first, with ids below `before` (a keyset page); `limit` rows at most. */
  async entries(
    em: EntityManager,
    memberId: string,
    page: { before: string | null; limit: number },
  ): Promise<EntryRow[]> {
    const rows: {
      id: string;
      kind: EntryKind;
      points: number;
      pending_points: number;
      balance_after: number;
      purchase_id: string | null;
      store_id: string | null;
      promotions: PromotionPoints[];
      actor_type: string;
      reason: string;
      created_at: Date;
    }[] = await em.query(
      `SELECT id::text AS id, kind, points, pending_points, balance_after, purchase_id, store_id,
              promotions, actor_type, reason, created_at
         FROM ledger_entries
        -- By the bigint column, not the text alias id (which sorted 79 before 103).
        WHERE member_id = $1 AND ($2::bigint IS NULL OR ledger_entries.id < $2::bigint)
        ORDER BY ledger_entries.id DESC LIMIT $3`,
      [memberId, page.before, page.limit],
    );
    return rows.map((r) => ({
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
    }));
  }

  /** Every entry of a member, oldest first, for the data export. */
  async entriesForExport(em: EntityManager, memberId: string) {
    const rows: {
      id: string;
      kind: EntryKind;
      points: number;
      pending_points: number;
      balance_after: number;
      purchase_id: string | null;
      store_id: string | null;
      reason: string;
      created_at: Date;
    }[] = await em.query(
      `SELECT id, kind, points, pending_points, balance_after, purchase_id, store_id, reason,
              created_at FROM ledger_entries WHERE member_id = $1 ORDER BY id`,
      [memberId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      points: r.points,
      pendingPoints: r.pending_points,
      balanceAfter: r.balance_after,
      purchaseId: r.purchase_id,
      storeId: r.store_id,
      reason: r.reason,
      createdAt: r.created_at,
    }));
  }

  /** Erasure: adjustment reasons and caller-supplied keys go; amounts stay (the trigger allows it). */
  async redactForErasure(tx: EntityManager, memberId: string): Promise<void> {
    await tx.query(`SELECT set_config('fidelia.erasure', 'on', true)`);
    await tx.query(
      `UPDATE ledger_entries
          SET reason = CASE WHEN kind = 'adjust' THEN '[erased]' ELSE reason END,
              idempotency_key = CASE WHEN idempotency_key IS NULL THEN NULL
                                     ELSE 'erased:' || gen_random_uuid() END
        WHERE member_id = $1 AND (kind = 'adjust' OR idempotency_key IS NOT NULL)`,
      [memberId],
    );
    await tx.query(`SELECT set_config('fidelia.erasure', 'off', true)`);
  }
}
