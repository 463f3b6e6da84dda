import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Periods cut on local dates read a creation-date (or deadline) range one day wider than the
 * period: these indexes serve that bound, and the unfiltered list's newest-first order.
 */
export class AddCasePeriodIndexes1766400000001 implements MigrationInterface {
  name = 'AddCasePeriodIndexes1766400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX cases_created_idx ON cases (created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX cases_breached_due_idx ON cases (due_at) WHERE breached_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_breached_due_idx`);
    await q.query(`DROP INDEX cases_created_idx`);
  }
}
