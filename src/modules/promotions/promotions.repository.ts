import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { preparedQuery, Tx } from '../../database';
import { Promotion, PromotionStatus, PromotionVersion } from './promotion.entity';

/** Changes whenever an active promotion or a tier changes (ids, versions, update times). */
export const ACTIVE_KEY_EXPR = `
  coalesce((SELECT string_agg(id || ':' || version || ':' || updated_at, ',' ORDER BY id)
              FROM promotions WHERE status = 'active'), '')
      || '|' || coalesce((SELECT string_agg(id || ':' || updated_at, ',' ORDER BY id) FROM tiers), '')`;

/** What the promotions module itself knows about a member at a purchase. */
export interface PurchaseFactsRow {
  /** Purchases counted so far, this one included when it was counted. */
  purchases: number | null;
  active_key: string;
}

export interface PromotionSnapshot {
  promotionId: string;
  version: number;
  definition: object;
  actorType: string;
  actorId: string | null;
}

/**
 * The SQL of promotions, their versions, budgets and per-member usage. Every method takes the
 * caller's transaction (writes) or a reader first; none opens a transaction.
 */
@Injectable()
export class PromotionsRepository {
  find(reader: EntityManager, id: string, lock = false): Promise<Promotion | null> {
    return reader.findOne(Promotion, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  list(reader: EntityManager, status?: PromotionStatus): Promise<Promotion[]> {
    return reader.find(Promotion, {
      where: status ? { status } : {},
      order: { priority: 'DESC', createdAt: 'ASC' },
    });
  }

  /** The active promotions, plus the given ones when they are draft, paused or active. */
  activeWith(reader: EntityManager, extraIds: string[]): Promise<Promotion[]> {
    return reader.find(Promotion, {
      where: extraIds.length
        ? [{ status: 'active' }, { id: In(extraIds), status: In(['draft', 'paused', 'active']) }]
        : { status: 'active' },
    });
  }

  async activeKey(reader: EntityManager): Promise<string> {
    const [row] = await reader.query<{ key: string }[]>(`SELECT ${ACTIVE_KEY_EXPR} AS key`);
    return row.key;
  }

  versions(reader: EntityManager, promotionId: string): Promise<PromotionVersion[]> {
    return reader.find(PromotionVersion, { where: { promotionId }, order: { version: 'DESC' } });
  }

  save(tx: Tx, p: Promotion): Promise<Promotion> {
    return tx.save(p);
  }

  /** Sets a promotion's budget total; the CHECK (used <= total) refuses one below what was given. */
  async setBudget(tx: Tx, promotionId: string, total: number): Promise<void> {
    await tx.query(
      `INSERT INTO promotion_budgets (promotion_id, total) VALUES ($1, $2)
       ON CONFLICT (promotion_id) DO UPDATE SET total = EXCLUDED.total`,
      [promotionId, total],
    );
  }

  async snapshot(tx: Tx, s: PromotionSnapshot): Promise<void> {
    await tx.query(
      `INSERT INTO promotion_versions (promotion_id, version, definition, actor_type, actor_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (promotion_id, version) DO UPDATE
         SET definition = EXCLUDED.definition, actor_type = EXCLUDED.actor_type,
             actor_id = EXCLUDED.actor_id, created_at = now()`,
      [s.promotionId, s.version, JSON.stringify(s.definition), s.actorType, s.actorId],
    );
  }

  async budgetsUsed(reader: EntityManager, ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { promotion_id: string; used: number }[] = await reader.query(
      `SELECT promotion_id, used FROM promotion_budgets WHERE promotion_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.promotion_id, r.used]));
  }

  async budget(
    reader: EntityManager,
    promotionId: string,
  ): Promise<{ used: number; total: number } | null> {
    const rows: { used: number; total: number }[] = await reader.query(
      `SELECT used, total FROM promotion_budgets WHERE promotion_id = $1`,
      [promotionId],
    );
    return rows[0] ?? null;
  }

  /** Moves the budget by `delta` points; false when it would leave [0, total]. */
  async moveBudget(tx: Tx, promotionId: string, delta: number): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const res: unknown[] = await tx.query(
      `UPDATE promotion_budgets SET used = used + $2
        WHERE promotion_id = $1 AND used + $2 <= total AND used + $2 >= 0
      RETURNING used`,
      [promotionId, delta],
    );
    const rows = Array.isArray(res[0]) ? (res[0] as unknown[]) : res;
    return rows.length === 1;
  }

  /** One more use in the period, unless it reaches `limit`: a conditional upsert. */
  async takeUse(
    tx: Tx,
    promotionId: string,
    memberId: string,
    periodKey: string,
    limit: number,
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO promotion_member_usages (promotion_id, member_id, period_key, uses)
       VALUES ($1, $2, $3, 1)
       ON CONFLICT (promotion_id, member_id, period_key) DO UPDATE
         SET uses = promotion_member_usages.uses + 1
         WHERE promotion_member_usages.uses < $4
       RETURNING uses`,
      [promotionId, memberId, periodKey, limit],
    );
    return rows.length === 1;
  }

  async releaseUse(tx: Tx, promotionId: string, memberId: string, periodKey: string) {
    await tx.query(
      `UPDATE promotion_member_usages SET uses = uses - 1
        WHERE promotion_id = $1 AND member_id = $2 AND period_key = $3 AND uses > 0`,
      [promotionId, memberId, periodKey],
    );
  }

  async usesOf(
    reader: EntityManager,
    promotionId: string,
    memberId: string,
    periodKey: string,
  ): Promise<number> {
    const rows: { uses: number }[] = await reader.query(
      `SELECT uses FROM promotion_member_usages
        WHERE promotion_id = $1 AND member_id = $2 AND period_key = $3`,
      [promotionId, memberId, periodKey],
    );
    return rows[0]?.uses ?? 0;
  }

  /**
   * `countAt` (a purchase): counts this purchase (a rollback uncounts it) and answers the count
   * with the active set's key, in one prepared statement (the till's
   * hot path). Without `countAt` nothing is written.
   */
  async purchaseFacts(
    tx: EntityManager,
    memberId: string,
    countAt: Date | null,
  ): Promise<PurchaseFactsRow> {
    const { rows } = await preparedQuery<PurchaseFactsRow>(
      tx,
      'promotions_member_facts',
      `WITH counted AS (
           INSERT INTO member_purchase_counts (member_id, purchases, first_purchase_at)
           SELECT $1, 1, $2 WHERE $2::timestamptz IS NOT NULL
           ON CONFLICT (member_id) DO UPDATE SET purchases = member_purchase_counts.purchases + 1
           RETURNING purchases)
         SELECT COALESCE((SELECT purchases FROM counted),
                         (SELECT purchases + 1 FROM member_purchase_counts WHERE member_id = $1),
                         1) AS purchases,
                ${ACTIVE_KEY_EXPR} AS active_key`,
      [memberId, countAt],
    );
    return rows[0];
  }

  /** Purchases counted for the member so far (0 when none). */
  async purchaseCount(reader: EntityManager, memberId: string): Promise<number> {
    const rows: { purchases: number }[] = await reader.query(
      `SELECT purchases FROM member_purchase_counts WHERE member_id = $1`,
      [memberId],
    );
    return rows[0]?.purchases ?? 0;
  }
}
