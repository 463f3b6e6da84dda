import { MigrationInterface, QueryRunner } from 'typeorm';

/** Refer-a-friend: each member's referral code, and who referred whom (once per friend). */
export class CreateReferrals1764620000000 implements MigrationInterface {
  name = 'CreateReferrals1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_codes (
        member_id uuid PRIMARY KEY,
        code text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT referral_codes_code_key UNIQUE (code)
      )`);
    await q.query(`
      CREATE TABLE referrals (
        friend_member_id uuid PRIMARY KEY,
        referrer_member_id uuid NOT NULL,
        code text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        first_purchase_at timestamptz,
        CONSTRAINT referrals_not_self CHECK (friend_member_id <> referrer_member_id)
      )`);
    await q.query(`CREATE INDEX referrals_referrer_idx ON referrals (referrer_member_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS referrals`);
    await q.query(`DROP TABLE IF EXISTS referral_codes`);
  }
}
