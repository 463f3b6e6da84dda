import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files attached to a knowledge article (a brochure PDF, a product manual). The bytes live in
 * the documents store (cases module); this table holds what was checked and where they are.
 * Organisation material uploaded by staff: no member's data.
 */
export class CreateKbAttachments1766200000000 implements MigrationInterface {
  name = 'CreateKbAttachments1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kb_article_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        article_id uuid NOT NULL REFERENCES kb_articles(id),
        file_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes integer NOT NULL,
        sha256 text NOT NULL,
        storage_key text NOT NULL,
        created_by_type text NOT NULL,
        created_by_id text,
        created_at timestamptz NOT NULL,
        CONSTRAINT kb_article_attachments_size_check CHECK (size_bytes > 0),
        CONSTRAINT kb_article_attachments_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$')
      )`);
    await q.query(
      `CREATE INDEX kb_article_attachments_article_idx
         ON kb_article_attachments (article_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kb_article_attachments`);
  }
}
