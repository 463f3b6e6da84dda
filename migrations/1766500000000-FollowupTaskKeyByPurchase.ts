import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each follow-up task is one more row in the till's purchase transaction, and each index one more
 * write for it. The unique key (plan, purchase) becomes (purchase, plan): it still makes a task
 * once per plan and purchase, and it now also finds a purchase's tasks when a full return cancels
 * them, so the index kept for that alone goes: a new task is four index writes instead of five.
 */
export class FollowupTaskKeyByPurchase1766500000000 implements MigrationInterface {
  name = 'FollowupTaskKeyByPurchase1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE followup_tasks DROP CONSTRAINT followup_tasks_once`);
    await q.query(
      `ALTER TABLE followup_tasks ADD CONSTRAINT followup_tasks_once UNIQUE (purchase_id, plan_id)`,
    );
    await q.query(`DROP INDEX followup_tasks_open_purchase_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX followup_tasks_open_purchase_idx ON followup_tasks (purchase_id)
         WHERE status IN ('scheduled','due','claimed')`,
    );
    await q.query(`ALTER TABLE followup_tasks DROP CONSTRAINT followup_tasks_once`);
    await q.query(
      `ALTER TABLE followup_tasks ADD CONSTRAINT followup_tasks_once UNIQUE (plan_id, purchase_id)`,
    );
  }
}
