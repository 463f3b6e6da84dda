import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The desk's queries read their page straight off an index (bench:cases): the running queue in
 * (due_at, id) order without a sort step, and the cases waiting on the customer by last change.
 */
export class AddCaseQueueIndexes1765600000001 implements MigrationInterface {
  name = 'AddCaseQueueIndexes1765600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_running_due_idx`);
    await q.query(`
      CREATE INDEX cases_running_due_idx ON cases (due_at, id)
        WHERE status IN ('open','in_progress','escalated')`);
    await q.query(`
      CREATE INDEX cases_waiting_idx ON cases (updated_at DESC) WHERE status = 'waiting'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_waiting_idx`);
    await q.query(`DROP INDEX cases_running_due_idx`);
    await q.query(`
      CREATE INDEX cases_running_due_idx ON cases (due_at)
        WHERE status IN ('open','in_progress','escalated')`);
  }
}
