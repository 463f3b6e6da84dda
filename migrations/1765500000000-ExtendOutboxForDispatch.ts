import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox dispatcher: a message's purpose (service or marketing, which needs consent), what
 * the provider answered, how many SMS segments it took; claimed rows ('sending') hold a lease in
 * next_attempt_at, so the claim index covers both states. Messages by member for the timeline,
 * export and erasure.
 */
export class ExtendOutboxForDispatch1765500000000 implements MigrationInterface {
  name = 'ExtendOutboxForDispatch1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox
        ADD COLUMN purpose text NOT NULL DEFAULT 'service',
        ADD COLUMN provider_ref text,
        ADD COLUMN segments integer,
        ADD CONSTRAINT outbox_purpose_check CHECK (purpose IN ('service', 'marketing'))`);
    await q.query(`DROP INDEX outbox_pending_idx`);
    await q.query(
      `CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending')`,
    );
    await q.query(
      `CREATE INDEX outbox_member_idx ON outbox (member_id, created_at DESC, id DESC) WHERE member_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX outbox_failed_idx ON outbox (id DESC) WHERE status = 'failed'`);
    // An SMS opt-out reply names only the phone: find who we wrote to from it.
    await q.query(
      `CREATE INDEX outbox_sms_recipient_idx ON outbox (recipient, id DESC) WHERE channel = 'sms' AND member_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_sms_recipient_idx`);
    await q.query(`DROP INDEX outbox_failed_idx`);
    await q.query(`DROP INDEX outbox_member_idx`);
    await q.query(`DROP INDEX outbox_due_idx`);
    await q.query(
      `CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`
      ALTER TABLE outbox
        DROP CONSTRAINT outbox_purpose_check,
        DROP COLUMN segments,
        DROP COLUMN provider_ref,
        DROP COLUMN purpose`);
  }
}
