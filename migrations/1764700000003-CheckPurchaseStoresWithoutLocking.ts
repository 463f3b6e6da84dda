import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `purchases.store_id REFERENCES stores` made every purchase lock its store's row (FOR KEY SHARE).
 * All the tills of a store lock the same row at once, so PostgreSQL keeps building multixacts for
 * it: measured with 16 tills on one store, that foreign-key check was about 13 % of the
 * database's CPU per purchase. Stores are never deleted (they are deactivated) and their ids
 * never change: with both refused by a trigger, "the store exists when the purchase is written"
 * is as strong as the foreign key, and needs no lock. The check keeps the foreign key's error
 * (23503, constraint purchases_store_id_fkey), which checkout turns into "store not found".
 */
export class CheckPurchaseStoresWithoutLocking1764700000003 implements MigrationInterface {
  name = 'CheckPurchaseStoresWithoutLocking1764700000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION stores_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'stores are never deleted nor renumbered (deactivate the store): % refused', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER stores_are_kept BEFORE DELETE OR UPDATE OF id ON stores
        FOR EACH ROW EXECUTE FUNCTION stores_are_kept()`);
    await q.query(`
      CREATE TRIGGER stores_are_kept_truncate BEFORE TRUNCATE ON stores
        FOR EACH STATEMENT EXECUTE FUNCTION stores_are_kept()`);
    await q.query(`
      CREATE FUNCTION purchases_store_exists() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM stores WHERE id = NEW.store_id;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'insert or update on table "purchases" violates foreign key constraint "purchases_store_id_fkey"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'purchases_store_id_fkey',
                  TABLE = 'purchases', DETAIL = format('Key (store_id)=(%s) is not present in table "stores".', NEW.store_id);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER purchases_store_exists BEFORE INSERT OR UPDATE OF store_id ON purchases
        FOR EACH ROW EXECUTE FUNCTION purchases_store_exists()`);
    await q.query(`ALTER TABLE purchases DROP CONSTRAINT purchases_store_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE purchases ADD CONSTRAINT purchases_store_id_fkey
         FOREIGN KEY (store_id) REFERENCES stores(id)`,
    );
    await q.query(`DROP TRIGGER purchases_store_exists ON purchases`);
    await q.query(`DROP FUNCTION purchases_store_exists()`);
    await q.query(`DROP TRIGGER stores_are_kept_truncate ON stores`);
    await q.query(`DROP TRIGGER stores_are_kept ON stores`);
    await q.query(`DROP FUNCTION stores_are_kept()`);
  }
}
