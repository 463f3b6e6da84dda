import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A member's tier was stored twice: members.tier (the code staff views, the till and the wallet
 * show) and member_tiers.tier_id (the tiers programme's record). members.tier stays, the one
 * source; member_tiers keeps only the programme's own state (since, below_since: the grace
 * period before a downgrade). Renaming a tier's code renames it on its members.
 */
export class KeepOneMemberTier1765200000000 implements MigrationInterface {
  name = 'KeepOneMemberTier1765200000000';

  async up(q: QueryRunner): Promise<void> {
    // The programme's record was the one decisions were made on: members.tier follows it.
    await q.query(`
      UPDATE members m SET tier = t.code
        FROM member_tiers mt LEFT JOIN tiers t ON t.id = mt.tier_id
       WHERE mt.member_id = m.id AND m.tier IS DISTINCT FROM t.code`);
    await q.query(`ALTER TABLE member_tiers DROP COLUMN tier_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE member_tiers ADD COLUMN tier_id uuid REFERENCES tiers(id) ON DELETE SET NULL`,
    );
    await q.query(`
      UPDATE member_tiers mt SET tier_id = t.id
        FROM members m JOIN tiers t ON t.code = m.tier
       WHERE m.id = mt.member_id`);
  }
}
