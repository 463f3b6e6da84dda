import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The satisfaction report's complaint figures read complaints and incidents filed in a period:
 * one range over this index, with what the figures need included (no visit to the table).
 */
export class AddCaseComplaintFiguresIndex1766100000001 implements MigrationInterface {
  name = 'AddCaseComplaintFiguresIndex1766100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX cases_complaint_figures_idx ON cases (created_at)
        INCLUDE (store_id, category, status, due_at, breached_at, resolved_at)
        WHERE kind IN ('complaint','incident')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_complaint_figures_idx`);
  }
}
