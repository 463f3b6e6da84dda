import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names are searched without accents or case ("garcia" finds "García", "munoz" finds "Muñoz"):
 * an immutable wrapper around unaccent so it can be indexed, and the name index rebuilt on it.
 */
export class AddAccentInsensitiveMemberSearch1764300000001 implements MigrationInterface {
  name = 'AddAccentInsensitiveMemberSearch1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`
      CREATE FUNCTION fidelia_search_text(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`);
    await q.query(`DROP INDEX members_name_trgm_idx`);
    await q.query(`
      CREATE INDEX members_name_search_idx ON members
        USING gin (fidelia_search_text(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))
                   gin_trgm_ops)
        WHERE status = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX members_name_search_idx`);
    await q.query(`DROP FUNCTION fidelia_search_text(text)`);
    await q.query(`DROP EXTENSION IF EXISTS unaccent`);
    await q.query(`
      CREATE INDEX members_name_trgm_idx ON members
        USING gin ((coalesce(first_name, '') || ' ' || coalesce(last_name, '')) gin_trgm_ops)
        WHERE status = 'active'`);
  }
}
