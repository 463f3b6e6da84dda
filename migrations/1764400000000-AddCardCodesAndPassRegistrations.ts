import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cards: the last accepted rotating-code step (replay guard), the pass push queue flag, and the
 * Apple Wallet devices registered for each pass (PassKit web service).
 */
export class AddCardCodesAndPassRegistrations1764400000000 implements MigrationInterface {
  name = 'AddCardCodesAndPassRegistrations1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cards ADD COLUMN last_totp_step bigint`);
    await q.query(`ALTER TABLE cards ADD COLUMN pass_push_pending boolean NOT NULL DEFAULT false`);
    await q.query(
      `CREATE INDEX cards_pass_push_pending_idx ON cards (pass_updated_at) WHERE pass_push_pending`,
    );
    await q.query(`
      CREATE TABLE pass_registrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        device_library_id text NOT NULL,
        push_token text NOT NULL,
        card_id uuid NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pass_registrations_device_card_key UNIQUE (device_library_id, card_id)
      )`);
    await q.query(`CREATE INDEX pass_registrations_card_idx ON pass_registrations (card_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pass_registrations`);
    await q.query(`DROP INDEX cards_pass_push_pending_idx`);
    await q.query(`ALTER TABLE cards DROP COLUMN pass_push_pending`);
    await q.query(`ALTER TABLE cards DROP COLUMN last_totp_step`);
  }
}
