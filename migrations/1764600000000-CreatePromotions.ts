import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Promotions with their versions, budgets (total points, consumed by a conditional UPDATE),
 * per-member usage counters (one row per promotion, member and period, incremented only while
 * under the limit) and the awards each purchase got (once per promotion and purchase).
 */
export class CreatePromotions1764600000000 implements MigrationInterface {
  name = 'CreatePromotions1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE promotions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status text NOT NULL DEFAULT 'draft',
        version integer NOT NULL DEFAULT 1,
        name_es text NOT NULL,
        name_en text NOT NULL,
        description_es text,
        description_en text,
        priority integer NOT NULL DEFAULT 0,
        exclusive boolean NOT NULL DEFAULT false,
        base boolean NOT NULL DEFAULT false,
        starts_at timestamptz,
        ends_at timestamptz,
        conditions jsonb,
        effects jsonb NOT NULL,
        max_points_per_purchase integer,
        budget_points integer,
        member_limit_count integer,
        member_limit_period text,
        stamps_required integer,
        stamp_reward_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT promotions_status_check CHECK (status IN ('draft','active','paused','ended')),
        CONSTRAINT promotions_version_check CHECK (version >= 1),
        CONSTRAINT promotions_cap_check CHECK (max_points_per_purchase IS NULL OR max_points_per_purchase >= 0),
        CONSTRAINT promotions_budget_check CHECK (budget_points IS NULL OR budget_points >= 0),
        CONSTRAINT promotions_limit_check CHECK (
          (member_limit_count IS NULL AND member_limit_period IS NULL)
          OR (member_limit_count >= 1 AND member_limit_period IN ('day','week','month','ever'))),
        CONSTRAINT promotions_window_check CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at)
      )`);
    await q.query(`CREATE INDEX promotions_status_idx ON promotions (status, priority DESC)`);
    await q.query(`
      CREATE TABLE promotion_versions (
        promotion_id uuid NOT NULL REFERENCES promotions(id) ON DELETE CASCADE,
        version integer NOT NULL,
        definition jsonb NOT NULL,
        actor_type text NOT NULL,
        actor_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (promotion_id, version)
      )`);
    await q.query(`
      CREATE TABLE promotion_budgets (
        promotion_id uuid PRIMARY KEY REFERENCES promotions(id) ON DELETE CASCADE,
        total integer NOT NULL,
        used integer NOT NULL DEFAULT 0,
        CONSTRAINT promotion_budgets_used_check CHECK (used >= 0 AND used <= total)
      )`);
    await q.query(`
      CREATE TABLE promotion_member_usages (
        promotion_id uuid NOT NULL REFERENCES promotions(id) ON DELETE CASCADE,
        member_id uuid NOT NULL,
        period_key text NOT NULL,
        uses integer NOT NULL,
        PRIMARY KEY (promotion_id, member_id, period_key),
        CONSTRAINT promotion_member_usages_uses_check CHECK (uses >= 0)
      )`);
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

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'promotion_awards',
      'promotion_member_usages',
      'promotion_budgets',
      'promotion_versions',
      'promotions',
    ])
      await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
