import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '../../database';

export interface PurchaseSummary {
  id: string;
  storeId: string;
  externalId: string | null;
  totalCents: number;
  pointsEarned: number;
  categories: string[];
  createdAt: Date;
}

/** Read-only facts about a member's purchases for other modules (follow-up plans, the agent desk). */
@Injectable()
export class PurchaseHistoryService {
  /** No other purchase of this member than `purchaseId` (run inside the purchase's transaction). */
  async isFirstPurchase(reader: EntityManager, memberId: string, purchaseId: string) {
    const { rows } = await preparedQuery<{ first: boolean }>(
      reader,
      'purchase_history_first',
      `SELECT NOT EXISTS (SELECT 1 FROM purchases WHERE member_id = $1 AND id <> $2) AS first`,
      [memberId, purchaseId],
    );
    return rows[0]?.first ?? true;
  }

  /** The member's last purchases, newest first. */
  async recent(reader: EntityManager, memberId: string, limit = 5): Promise<PurchaseSummary[]> {
    return reader.query(
      `SELECT p.id, p.store_id AS "storeId", p.external_id AS "externalId",
              p.total_cents AS "totalCents", p.points_earned AS "pointsEarned",
              coalesce((SELECT array_agg(DISTINCT l.category) FROM purchase_lines l
                         WHERE l.purchase_id = p.id AND l.category IS NOT NULL), '{}') AS categories,
              p.created_at AS "createdAt"
         FROM purchases p WHERE p.member_id = $1 ORDER BY p.created_at DESC LIMIT $2`,
      [memberId, limit],
    );
  }
}
