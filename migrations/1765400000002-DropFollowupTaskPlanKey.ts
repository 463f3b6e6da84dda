import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up tasks are inserted in the till's purchase transaction, and every purchase a plan
 * matches names the same few plans: a foreign key made each of them take a KEY SHARE lock on the
 * plan's row (a multixact shared by every concurrent purchase). Plans are never deleted (no
 * endpoint does), so the key goes, as stores' did for purchases; a partial index keeps contacts'
 * lookups small.
 */
export class DropFollowupTaskPlanKey1765400000002 implements MigrationInterface {
  name = 'DropFollowupTaskPlanKey1765400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE followup_tasks DROP CONSTRAINT followup_tasks_plan_id_fkey`);
    await q.query(`DROP INDEX followup_tasks_contact_idx`);
    await q.query(
      `CREATE INDEX followup_tasks_contact_idx ON followup_tasks (contact_id) WHERE contact_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX followup_tasks_contact_idx`);
    await q.query(`CREATE INDEX followup_tasks_contact_idx ON followup_tasks (contact_id)`);
    await q.query(
      `ALTER TABLE followup_tasks ADD CONSTRAINT followup_tasks_plan_id_fkey
         FOREIGN KEY (plan_id) REFERENCES followup_plans(id)`,
    );
  }
}
