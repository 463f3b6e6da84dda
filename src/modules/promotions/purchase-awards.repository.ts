import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery, Tx } from '../../database';

export interface AwardRecord {
  promotionId: string;
  version: number;
  stamps: number;
  rewardIds: string[];
}

export interface StampCardRow {
  promotion_id: string;
  name_es: string;
  name_en: string;
  stamps: number;
  stamps_required: number;
  cards_completed: number;
}

/** The SQL of what purchases give besides points: awards rows, earning events, stamp cards. */
@Injectable()
export class PurchaseAwardsRepository {
  /**
   * One row per purchase — the guard that stamps and coupons are given once (a replay finds it)
   * — with the points earned (for tiers) and, on a first purchase, the referral's mark (as
   * EarningService.referralFirstPurchase makes it) in the same statement. Null when the
   * purchase already had its row; else the referrer whose friend just made a first purchase.
   */
  async record(
    tx: Tx,
    a: {
      purchaseId: string;
      memberId: string;
      awards: AwardRecord[];
      at: Date;
      pointsEarned: number;
      firstPurchase: boolean;
    },
  ): Promise<{ referrer: string | null } | null> {
    const { rows } = await preparedQuery<{ referrer: string | null }>(
      tx,
      'promotions_purchase_awards',
      `WITH aw AS (
         INSERT INTO purchase_awards (purchase_id, member_id, awards, created_at)
         VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (purchase_id) DO NOTHING RETURNING 1),
       ev AS (
         INSERT INTO earning_events (member_id, rule_code, event_key, points, created_at)
         SELECT $2, 'purchase', $6, $5, $4 FROM aw WHERE $5::int > 0
         ON CONFLICT ON CONSTRAINT earning_events_once DO NOTHING),
       rf AS (
         UPDATE referrals SET first_purchase_at = $4
          WHERE $7::boolean AND friend_member_id = $2 AND first_purchase_at IS NULL
            AND EXISTS (SELECT 1 FROM aw)
          RETURNING referrer_member_id)
       SELECT (SELECT referrer_member_id::text FROM rf LIMIT 1) AS referrer FROM aw`,
      [
        a.purchaseId,
        a.memberId,
        JSON.stringify(a.awards),
        a.at,
        a.pointsEarned,
        a.purchaseId,
        a.firstPurchase,
      ],
    );
    return rows[0] ?? null;
  }

  /** Adds stamps to the member's card of a promotion; answers the stamps now on it. */
  async addStamps(
    tx: Tx,
    memberId: string,
    promotionId: string,
    stamps: number,
    at: Date,
  ): Promise<{ stamps: number; cards_completed: number }> {
    const [row]: { stamps: number; cards_completed: number }[] = await tx.query(
      `INSERT INTO member_stamps (member_id, promotion_id, stamps, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (member_id, promotion_id) DO UPDATE
         SET stamps = member_stamps.stamps + EXCLUDED.stamps, updated_at = EXCLUDED.updated_at
       RETURNING stamps, cards_completed`,
      [memberId, promotionId, stamps, at],
    );
    return row;
  }

  /** `full` cards completed: the card starts again with `left` stamps. */
  async completeCards(tx: Tx, memberId: string, promotionId: string, left: number, full: number) {
    await tx.query(
      `UPDATE member_stamps SET stamps = $3, cards_completed = cards_completed + $4
        WHERE member_id = $1 AND promotion_id = $2`,
      [memberId, promotionId, left, full],
    );
  }

  stampCards(reader: EntityManager, memberId: string): Promise<StampCardRow[]> {
    return reader.query(
      `SELECT s.promotion_id, p.name_es, p.name_en, s.stamps, p.stamps_required, s.cards_completed
         FROM member_stamps s JOIN promotions p ON p.id = s.promotion_id
        WHERE s.member_id = $1 AND p.stamps_required IS NOT NULL AND p.status <> 'ended'
        ORDER BY p.name_es`,
      [memberId],
    );
  }

  earnings(reader: EntityManager, memberId: string) {
    return reader.query<{ ruleCode: string; points: number; createdAt: Date }[]>(
      `SELECT rule_code AS "ruleCode", points, created_at AS "createdAt"
         FROM earning_events WHERE member_id = $1 ORDER BY id`,
      [memberId],
    );
  }

  async eraseEventKeys(tx: Tx, memberId: string): Promise<void> {
    await tx.query(
      `UPDATE earning_events SET event_key = 'erased:' || gen_random_uuid() WHERE member_id = $1`,
      [memberId],
    );
  }
}
