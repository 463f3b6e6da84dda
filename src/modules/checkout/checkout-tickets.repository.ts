import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface RecentPurchaseRow {
  id: string;
  storeId: string;
  externalId: string | null;
  totalCents: number;
  pointsEarned: number;
  pointsRedeemed: number;
  createdAt: Date;
  lines: {
    lineNo: number;
    sku: string;
    category: string | null;
    quantity: number;
    returnedQuantity: number;
    amountCents: number;
  }[];
}

/** Purchases found by the shop's ticket number, and a member's latest purchases. */
@Injectable()
export class CheckoutTicketsRepository {
  async idByTicket(
    reader: EntityManager,
    storeId: string,
    externalId: string,
  ): Promise<string | null> {
    const rows: { id: string }[] = await reader.query(
      `SELECT id FROM purchases WHERE store_id = $1 AND external_id = $2`,
      [storeId, externalId],
    );
    return rows[0]?.id ?? null;
  }

  recentOf(reader: EntityManager, memberId: string, limit: number): Promise<RecentPurchaseRow[]> {
    return reader.query(
      `SELECT p.id, p.store_id AS "storeId", p.external_id AS "externalId",
              p.total_cents AS "totalCents", p.points_earned AS "pointsEarned",
              p.points_redeemed AS "pointsRedeemed", p.created_at AS "createdAt",
              coalesce((SELECT json_agg(json_build_object('lineNo', l.line_no, 'sku', l.sku,
                'category', l.category, 'quantity', l.quantity,
                'returnedQuantity', l.returned_quantity, 'amountCents', l.amount_cents)
                ORDER BY l.line_no) FROM purchase_lines l WHERE l.purchase_id = p.id), '[]')
                AS lines
         FROM purchases p WHERE p.member_id = $1
        ORDER BY p.created_at DESC LIMIT $2`,
      [memberId, limit],
    );
  }
}
