import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isUniqueViolation, preparedQuery } from '../../database';
import { duplicateExternalId } from './checkout.errors';

/** A purchase as `insertPurchase` writes it, with its lines (same order, line numbers 1…n). */
export interface NewPurchase {
  id: string;
  storeId: string;
  memberId: string;
  externalId: string | null;
  currency: string;
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  pointsEarned: number;
  pointsRedeemed: number;
  actorType: string;
  actorId: string | null;
  idempotencyKey: string;
  createdAt: Date;
  lines: {
    lineNo: number;
    sku: string;
    category: string | null;
    quantity: number;
    unitPriceCents: number;
    amountCents: number;
    discountCents: number;
    pointsEarned: number;
    pointsRedeemed: number;
  }[];
}

export interface PurchaseLineRow {
  lineNo: number;
  sku: string;
  quantity: number;
  amountCents: number;
  discountCents: number;
  pointsEarned: number;
  pointsRedeemed: number;
  returnedQuantity: number;
}

export interface NewReturn {
  id: string;
  purchaseId: string;
  storeId: string | null;
  lines: unknown[];
  refundCents: number;
  pointsReversed: number;
  pointsRecredited: number;
  actorType: string;
  actorId: string | null;
  idempotencyKey: string;
  createdAt: Date;
}

/** The checkout's SQL: purchases, purchase_lines, purchase_returns. */
@Injectable()
export class CheckoutRepository {
  /**
   * The purchase and its lines in one statement (a named prepared statement: the till's hot
   * path). Hands the statement to the driver synchronously, so it can go in a `pipelined` batch.
   * A second purchase with the same store and ticket number is checkout's 409.
   */
  insertPurchase(tx: EntityManager, p: NewPurchase): Promise<unknown> {
    return preparedQuery(
      tx,
      'checkout_purchase_insert',
      `WITH p AS (
           INSERT INTO purchases (id, store_id, member_id, external_id, currency, subtotal_cents,
             discount_cents, total_cents, points_earned, points_redeemed, actor_type,
             actor_id, idempotency_key, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           RETURNING id)
         INSERT INTO purchase_lines (purchase_id, line_no, sku, category, quantity,
           unit_price_cents, amount_cents, discount_cents, points_earned, points_redeemed)
         SELECT p.id, l.* FROM p,
           unnest($15::int[], $16::text[], $17::text[], $18::int[], $19::int[], $20::int[],
                  $21::int[], $22::int[], $23::int[]) AS l`,
      [
        p.id,
        p.storeId,
        p.memberId,
        p.externalId,
        p.currency,
        p.subtotalCents,
        p.discountCents,
        p.totalCents,
        p.pointsEarned,
        p.pointsRedeemed,
        p.actorType,
        p.actorId,
        p.idempotencyKey,
        p.createdAt,
        p.lines.map((l) => l.lineNo),
        p.lines.map((l) => l.sku),
        p.lines.map((l) => l.category),
        p.lines.map((l) => l.quantity),
        p.lines.map((l) => l.unitPriceCents),
        p.lines.map((l) => l.amountCents),
        p.lines.map((l) => l.discountCents),
        p.lines.map((l) => l.pointsEarned),
        p.lines.map((l) => l.pointsRedeemed),
      ],
    ).catch((err: unknown) => {
      if (isUniqueViolation(err, 'purchases_store_external_key')) throw duplicateExternalId();
      throw err;
    });
  }

  /** The purchase's member and ticket, locked for a return; null if there is no such purchase. */
  async lockPurchase(
    tx: EntityManager,
    purchaseId: string,
  ): Promise<{ memberId: string; externalId: string | null } | null> {
    const [row]: { member_id: string; external_id: string | null }[] = await tx.query(
      `SELECT member_id, external_id FROM purchases WHERE id = $1 FOR UPDATE`,
      [purchaseId],
    );
    return row ? { memberId: row.member_id, externalId: row.external_id } : null;
  }

  async lines(tx: EntityManager, purchaseId: string): Promise<PurchaseLineRow[]> {
    const rows: {
      line_no: number;
      sku: string;
      quantity: number;
      amount_cents: number;
      discount_cents: number;
      points_earned: number;
      points_redeemed: number;
      returned_quantity: number;
    }[] = await tx.query(
      `SELECT line_no, sku, quantity, amount_cents, discount_cents, points_earned,
              points_redeemed, returned_quantity
         FROM purchase_lines WHERE purchase_id = $1 ORDER BY line_no`,
      [purchaseId],
    );
    return rows.map((r) => ({
      lineNo: r.line_no,
      sku: r.sku,
      quantity: r.quantity,
      amountCents: r.amount_cents,
      discountCents: r.discount_cents,
      pointsEarned: r.points_earned,
      pointsRedeemed: r.points_redeemed,
      returnedQuantity: r.returned_quantity,
    }));
  }

  /** Adds `quantity` to the returned quantity of each line. */
  async markReturned(
    tx: EntityManager,
    purchaseId: string,
    returned: { lineNo: number; quantity: number }[],
  ): Promise<void> {
    await tx.query(
      `UPDATE purchase_lines pl SET returned_quantity = pl.returned_quantity + r.q
         FROM unnest($2::int[], $3::int[]) AS r(line_no, q)
        WHERE pl.purchase_id = $1 AND pl.line_no = r.line_no`,
      [purchaseId, returned.map((r) => r.lineNo), returned.map((r) => r.quantity)],
    );
  }

  async insertReturn(tx: EntityManager, r: NewReturn): Promise<void> {
    await tx.query(
      `INSERT INTO purchase_returns (id, purchase_id, store_id, lines, refund_cents, points_reversed,
         points_recredited, actor_type, actor_id, idempotency_key, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11)`,
      [
        r.id,
        r.purchaseId,
        r.storeId,
        JSON.stringify(r.lines),
        r.refundCents,
        r.pointsReversed,
        r.pointsRecredited,
        r.actorType,
        r.actorId,
        r.idempotencyKey,
        r.createdAt,
      ],
    );
  }

  /** A member's purchases with their lines, oldest first, for the data export. */
  exportForMember(em: EntityManager, memberId: string): Promise<Record<string, unknown>[]> {
    return em.query(
      `SELECT p.id, p.store_id AS "storeId", p.external_id AS "externalId", p.currency,
              p.subtotal_cents AS "subtotalCents", p.discount_cents AS "discountCents",
              p.total_cents AS "totalCents", p.points_earned AS "pointsEarned",
              p.points_redeemed AS "pointsRedeemed", p.created_at AS "createdAt",
              coalesce((SELECT json_agg(json_build_object('lineNo', l.line_no, 'sku', l.sku,
                'category', l.category, 'quantity', l.quantity,
                'unitPriceCents', l.unit_price_cents, 'returnedQuantity', l.returned_quantity)
                ORDER BY l.line_no) FROM purchase_lines l WHERE l.purchase_id = p.id), '[]')
                AS lines
         FROM purchases p WHERE p.member_id = $1 ORDER BY p.created_at`,
      [memberId],
    );
  }
}
