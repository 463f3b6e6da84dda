import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every purchase moves its card's `pass_updated_at` (CardsService.passesChanged). With
 * `pass_updated_at` indexed, that UPDATE could never be a HOT update and rewrote every index of
 * `cards` on each purchase. The push dispatcher only needs to find the (few) cards with a push
 * pending, so the partial index now holds their ids: a purchase changes no indexed column (unless
 * it sets the pending flag), and a fillfactor of 90 leaves room on each page for the new row
 * versions. The PassKit "serials updated since" query starts from the device's registrations and
 * never used this index.
 */
export class MakeCardPassUpdatesHot1764700000000 implements MigrationInterface {
  name = 'MakeCardPassUpdatesHot1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cards_pass_push_pending_idx`);
    await q.query(`CREATE INDEX cards_pass_push_pending_idx ON cards (id) WHERE pass_push_pending`);
    await q.query(`ALTER TABLE cards SET (fillfactor = 90)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cards RESET (fillfactor)`);
    await q.query(`DROP INDEX cards_pass_push_pending_idx`);
    await q.query(
      `CREATE INDEX cards_pass_push_pending_idx ON cards (pass_updated_at) WHERE pass_push_pending`,
    );
  }
}
