import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, defect 1: a staff token names the version of its user's credentials (a password
 * change bumps it, ending the sessions issued before), and a POS key may expire. Defect 3: a
 * deactivated store takes no purchases — the trigger that checks a purchase's store exists now
 * also checks it is active (same row, no lock), answering 23514 `purchases_store_active`.
 */
export class AddCredentialVersions1765300000000 implements MigrationInterface {
  name = 'AddCredentialVersions1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN expires_at timestamptz`);
    await q.query(`
      CREATE OR REPLACE FUNCTION purchases_store_exists() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        is_active boolean;
      BEGIN
        SELECT active INTO is_active FROM stores WHERE id = NEW.store_id;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'insert or update on table "purchases" violates foreign key constraint "purchases_store_id_fkey"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'purchases_store_id_fkey',
                  TABLE = 'purchases', DETAIL = format('Key (store_id)=(%s) is not present in table "stores".', NEW.store_id);
        END IF;
        IF NOT is_active AND TG_OP = 'INSERT' THEN
          RAISE EXCEPTION 'the store % is deactivated and takes no purchases', NEW.store_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'purchases_store_active', TABLE = 'purchases';
        END IF;
        RETURN NEW;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION purchases_store_exists() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM stores WHERE id = NEW.store_id;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'insert or update on table "purchases" violates foreign key constraint "purchases_store_id_fkey"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'purchases_store_id_fkey',
                  TABLE = 'purchases', DETAIL = format('Key (store_id)=(%s) is not present in table "stores".', NEW.store_id);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN expires_at`);
    await q.query(`ALTER TABLE staff_users DROP COLUMN token_version`);
  }
}
