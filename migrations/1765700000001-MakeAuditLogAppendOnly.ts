import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. The one change
 * allowed is erasure's redaction (GDPR art. 17): clearing the network address of a row, with every
 * other column unchanged. Indexes for `GET /api/audit` filters (newest first by id).
 */
export class MakeAuditLogAppendOnly1765700000001 implements MigrationInterface {
  name = 'MakeAuditLogAppendOnly1765700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.ip IS NULL
           AND (NEW.id, NEW.at, NEW.actor_type, NEW.actor_id, NEW.action, NEW.entity,
                NEW.entity_id, NEW.member_id, NEW.request_id, NEW.details)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.at, OLD.actor_type, OLD.actor_id, OLD.action, OLD.entity,
                OLD.entity_id, OLD.member_id, OLD.request_id, OLD.details) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id DESC)`);
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC)`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_at_idx`);
    await q.query(`DROP INDEX audit_log_action_idx`);
    await q.query(`DROP INDEX audit_log_actor_idx`);
    await q.query(`DROP TRIGGER audit_log_no_truncate ON audit_log`);
    await q.query(`DROP TRIGGER audit_log_append_only ON audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
