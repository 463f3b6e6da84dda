import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search without accents (CRM search, issue 12): `fidelia_es` is Spanish stemming after
 * unaccent, `fidelia_simple` no stemming after unaccent (names, codes, words of any language).
 * Members get a full-text index on their name (words in any order, prefixes while typing) beside
 * the trigram indexes of AddMemberSearchIndexes (substrings).
 */
export class CreateSearchConfigurations1765700000000 implements MigrationInterface {
  name = 'CreateSearchConfigurations1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TEXT SEARCH CONFIGURATION fidelia_es (COPY = pg_catalog.spanish)`);
    await q.query(`
      ALTER TEXT SEARCH CONFIGURATION fidelia_es
        ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, spanish_stem`);
    await q.query(`CREATE TEXT SEARCH CONFIGURATION fidelia_simple (COPY = pg_catalog.simple)`);
    await q.query(`
      ALTER TEXT SEARCH CONFIGURATION fidelia_simple
        ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, simple`);
    await q.query(`
      CREATE INDEX members_name_fts_idx ON members
        USING gin (to_tsvector('fidelia_simple'::regconfig,
                               coalesce(first_name, '') || ' ' || coalesce(last_name, '')))
        WHERE status = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX members_name_fts_idx`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION fidelia_simple`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION fidelia_es`);
  }
}
