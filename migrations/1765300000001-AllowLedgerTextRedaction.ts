import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, defect 2: the ledger stays append-only for amounts, but erasure must redact the text
 * written about a member (an adjustment's reason, a caller-supplied idempotency key). An UPDATE
 * is allowed only inside a transaction that has set `fidelia.erasure = 'on'` (SET LOCAL, done by
 * the ledger's erasure contributor, in the erasure's audited transaction) and only when nothing
 * but `reason` and `idempotency_key` changes. Deletes and truncates stay refused.
 */
export class AllowLedgerTextRedaction1765300000001 implements MigrationInterface {
  name = 'AllowLedgerTextRedaction1765300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND current_setting('fidelia.erasure', true) = 'on'
           AND (to_jsonb(NEW) - 'reason' - 'idempotency_key') = (to_jsonb(OLD) - 'reason' - 'idempotency_key') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'ledger_entries is append-only: % refused', TG_OP
          USING ERRCODE = 'P0001';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_entries is append-only: % refused', TG_OP
          USING ERRCODE = 'P0001';
      END $$`);
  }
}
