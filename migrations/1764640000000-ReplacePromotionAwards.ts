import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the promotions gave to a purchase: one row per purchase (a jsonb list of promotion,
 * version, points and stamps) instead of a row per promotion, so 50 stacking promotions cost one
 * insert at the till. The row is also the once-per-purchase guard for stamps and coupons.
 */
export class ReplacePromotionAwards1764640000000 implements MigrationInterface {
  name = 'ReplacePromotionAwards1764640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE promotion_awards`);
    await q.query(`
      CREATE TABLE purchase_awards (
        purchase_id uuid PRIMARY KEY,
        member_id uuid NOT NULL,
        awards jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX purchase_awards_member_idx ON purchase_awards (member_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE purchase_awards`);
    await q.query(`
      CREATE TABLE promotion_awards (
        id bigserial PRIMARY KEY,
        promotion_id uuid NOT NULL REFERENCES promotions(id),
        version integer NOT NULL,
        member_id uuid NOT NULL,
        purchase_id uuid NOT NULL,
        points integer NOT NULL,
        stamps integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT promotion_awards_once UNIQUE (promotion_id, purchase_id)
      )`);
    await q.query(`CREATE INDEX promotion_awards_member_idx ON promotion_awards (member_id)`);
  }
}
