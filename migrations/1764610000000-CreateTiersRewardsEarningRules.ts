import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tiers (thresholds on points earned in a rolling window) and each member's tier with its
 * downgrade grace; the rewards catalogue and the single-use coupons it issues; earning without a
 * purchase (rules, idempotent events, per-member usage); stamp cards; purchase counts.
 */
export class CreateTiersRewardsEarningRules1764610000000 implements MigrationInterface {
  name = 'CreateTiersRewardsEarningRules1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tiers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        name_es text NOT NULL,
        name_en text NOT NULL,
        threshold_points integer NOT NULL,
        multiplier_percent integer NOT NULL DEFAULT 100,
        benefits_es text,
        benefits_en text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tiers_code_key UNIQUE (code),
        CONSTRAINT tiers_threshold_key UNIQUE (threshold_points),
        CONSTRAINT tiers_threshold_check CHECK (threshold_points >= 0),
        CONSTRAINT tiers_multiplier_check CHECK (multiplier_percent BETWEEN 100 AND 1000)
      )`);
    await q.query(`
      CREATE TABLE member_tiers (
        member_id uuid PRIMARY KEY,
        tier_id uuid REFERENCES tiers(id) ON DELETE SET NULL,
        since timestamptz NOT NULL,
        below_since timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE rewards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name_es text NOT NULL,
        name_en text NOT NULL,
        description_es text,
        description_en text,
        kind text NOT NULL,
        cost_points integer NOT NULL,
        discount_cents integer,
        sku text,
        stock integer,
        valid_from timestamptz,
        valid_until timestamptz,
        coupon_valid_days integer NOT NULL DEFAULT 30,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT rewards_kind_check CHECK (kind IN ('discount','free_product','coupon')),
        CONSTRAINT rewards_cost_check CHECK (cost_points >= 0),
        CONSTRAINT rewards_stock_check CHECK (stock IS NULL OR stock >= 0),
        CONSTRAINT rewards_validity_check CHECK (coupon_valid_days BETWEEN 1 AND 3650)
      )`);
    await q.query(`
      CREATE TABLE coupons (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        reward_id uuid NOT NULL REFERENCES rewards(id),
        member_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'issued',
        source text NOT NULL,
        source_ref text,
        points_cost integer NOT NULL DEFAULT 0,
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_store_id uuid,
        used_ref text,
        cancelled_at timestamptz,
        CONSTRAINT coupons_code_key UNIQUE (code),
        CONSTRAINT coupons_status_check CHECK (status IN ('issued','used','cancelled')),
        CONSTRAINT coupons_source_check CHECK (source IN ('redemption','promotion','stamp_card','event')),
        CONSTRAINT coupons_source_once UNIQUE (source, source_ref, reward_id)
      )`);
    await q.query(`CREATE INDEX coupons_member_idx ON coupons (member_id, status)`);
    await q.query(`
      CREATE TABLE earning_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        name_es text NOT NULL,
        name_en text NOT NULL,
        points integer NOT NULL,
        limit_count integer,
        limit_period text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT earning_rules_code_key UNIQUE (code),
        CONSTRAINT earning_rules_points_check CHECK (points >= 1),
        CONSTRAINT earning_rules_limit_check CHECK (
          (limit_count IS NULL AND limit_period IS NULL)
          OR (limit_count >= 1 AND limit_period IN ('day','week','month','ever')))
      )`);
    await q.query(`
      CREATE TABLE earning_events (
        id bigserial PRIMARY KEY,
        member_id uuid NOT NULL,
        rule_code text NOT NULL,
        event_key text NOT NULL,
        points integer NOT NULL,
        ledger_entry_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT earning_events_once UNIQUE (member_id, rule_code, event_key)
      )`);
    await q.query(`
      CREATE TABLE earning_rule_usages (
        rule_code text NOT NULL,
        member_id uuid NOT NULL,
        period_key text NOT NULL,
        uses integer NOT NULL,
        PRIMARY KEY (rule_code, member_id, period_key),
        CONSTRAINT earning_rule_usages_uses_check CHECK (uses >= 0)
      )`);
    await q.query(`
      CREATE TABLE member_stamps (
        member_id uuid NOT NULL,
        promotion_id uuid NOT NULL REFERENCES promotions(id),
        stamps integer NOT NULL DEFAULT 0,
        cards_completed integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (member_id, promotion_id),
        CONSTRAINT member_stamps_check CHECK (stamps >= 0 AND cards_completed >= 0)
      )`);
    await q.query(`
      CREATE TABLE member_purchase_counts (
        member_id uuid PRIMARY KEY,
        purchases integer NOT NULL,
        first_purchase_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'member_purchase_counts',
      'member_stamps',
      'earning_rule_usages',
      'earning_events',
      'earning_rules',
      'coupons',
      'rewards',
      'member_tiers',
      'tiers',
    ])
      await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
