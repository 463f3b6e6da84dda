import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A store's region (ISO 3166-2, e.g. ES-MD) and municipality pick its regional and local holidays
 * for working-day deadlines; NULL means national holidays only.
 */
export class AddStoreRegion1764800000000 implements MigrationInterface {
  name = 'AddStoreRegion1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stores ADD COLUMN region text NULL, ADD COLUMN locality text NULL`);
    await q.query(
      `ALTER TABLE stores ADD CONSTRAINT stores_region_check CHECK (region ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stores DROP COLUMN region, DROP COLUMN locality`);
  }
}
