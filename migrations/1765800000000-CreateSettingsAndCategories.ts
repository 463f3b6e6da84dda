import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Programme settings an admin changes at /admin (one row per setting, JSON value) and the
 * managed list of product categories (marketing's conditions and the till pick from it, so a
 * typo cannot silently miss a promotion).
 */
export class CreateSettingsAndCategories1765800000000 implements MigrationInterface {
  name = 'CreateSettingsAndCategories1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE programme_settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NULL
      )`);
    await q.query(`
      CREATE TABLE product_categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        name_es text NOT NULL,
        name_en text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT product_categories_code_check CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$')
      )`);
    await q.query(`CREATE UNIQUE INDEX product_categories_code_key ON product_categories (code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE product_categories`);
    await q.query(`DROP TABLE programme_settings`);
  }
}
