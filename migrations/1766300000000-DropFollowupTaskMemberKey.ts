import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up tasks are inserted in the till's purchase transaction, up to one per matching plan.
 * The foreign key to members checked each of them with a KEY SHARE lock on the member's row (a
 * lock write per task, in the hottest transaction there is). Members are never deleted (erasure
 * keeps the row), and the member id comes from the purchase being recorded, so the key goes, as
 * the plan's did (DropFollowupTaskPlanKey).
 */
export class DropFollowupTaskMemberKey1766300000000 implements MigrationInterface {
  name = 'DropFollowupTaskMemberKey1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE followup_tasks DROP CONSTRAINT followup_tasks_member_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE followup_tasks ADD CONSTRAINT followup_tasks_member_id_fkey
         FOREIGN KEY (member_id) REFERENCES members(id)`,
    );
  }
}
