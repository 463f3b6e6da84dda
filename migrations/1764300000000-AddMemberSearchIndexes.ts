import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Member search (`GET /api/members?q=`): trigram indexes for substring search over names, email
 * and phone, a pattern index for card-number prefixes, and a keyset index for the result order.
 * Erased members are left out of every index (they cannot be found).
 */
export class AddMemberSearchIndexes1764300000000 implements MigrationInterface {
  name = 'AddMemberSearchIndexes1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX members_name_trgm_idx ON members
        USING gin ((coalesce(first_name, '') || ' ' || coalesce(last_name, '')) gin_trgm_ops)
        WHERE status = 'active'`);
    await q.query(`
      CREATE INDEX members_email_trgm_idx ON members USING gin (email gin_trgm_ops)
        WHERE status = 'active'`);
    await q.query(`
      CREATE INDEX members_phone_trgm_idx ON members USING gin (phone gin_trgm_ops)
        WHERE status = 'active'`);
    await q.query(`
      CREATE INDEX members_active_created_idx ON members (created_at DESC, id DESC)
        WHERE status = 'active'`);
    await q.query(
      `CREATE INDEX cards_number_pattern_idx ON cards (number text_pattern_ops, member_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cards_number_pattern_idx`);
    await q.query(`DROP INDEX members_active_created_idx`);
    await q.query(`DROP INDEX members_phone_trgm_idx`);
    await q.query(`DROP INDEX members_email_trgm_idx`);
    await q.query(`DROP INDEX members_name_trgm_idx`);
  }
}
