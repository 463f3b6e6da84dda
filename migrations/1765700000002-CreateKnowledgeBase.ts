import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Knowledge base (issue 12): categories, articles with every edit kept as a new version (one of
 * them published), each version searchable in Spanish and English, and the record of each article
 * sent to a member (the member's timeline shows it).
 */
export class CreateKnowledgeBase1765700000002 implements MigrationInterface {
  name = 'CreateKnowledgeBase1765700000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kb_categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL,
        name_es text NOT NULL,
        name_en text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT kb_categories_slug_key UNIQUE (slug),
        CONSTRAINT kb_categories_slug_check CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
      )`);
    await q.query(`
      CREATE TABLE kb_articles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL,
        category_id uuid NOT NULL REFERENCES kb_categories(id),
        public boolean NOT NULL DEFAULT false,
        latest_version integer NOT NULL DEFAULT 1,
        published_version integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT kb_articles_slug_key UNIQUE (slug),
        CONSTRAINT kb_articles_slug_check CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        CONSTRAINT kb_articles_versions_check CHECK (
          latest_version >= 1 AND (published_version IS NULL
            OR published_version BETWEEN 1 AND latest_version))
      )`);
    await q.query(`CREATE INDEX kb_articles_category_idx ON kb_articles (category_id)`);
    await q.query(`
      CREATE TABLE kb_article_versions (
        article_id uuid NOT NULL REFERENCES kb_articles(id),
        version integer NOT NULL,
        title_es text NOT NULL,
        body_es text NOT NULL,
        title_en text NOT NULL,
        body_en text NOT NULL,
        author_type text NOT NULL,
        author_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('fidelia_es'::regconfig, title_es), 'A')
          || setweight(to_tsvector('fidelia_es'::regconfig, body_es), 'B')
          || setweight(to_tsvector('english'::regconfig, title_en), 'A')
          || setweight(to_tsvector('english'::regconfig, body_en), 'B')
          || setweight(to_tsvector('fidelia_simple'::regconfig, title_es || ' ' || title_en), 'A')
          || setweight(to_tsvector('fidelia_simple'::regconfig, body_es || ' ' || body_en), 'C')
        ) STORED,
        PRIMARY KEY (article_id, version),
        CONSTRAINT kb_article_versions_version_check CHECK (version >= 1)
      )`);
    await q.query(
      `CREATE INDEX kb_article_versions_search_idx ON kb_article_versions USING gin (search)`,
    );
    await q.query(`
      CREATE TABLE kb_article_sends (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        article_id uuid NOT NULL REFERENCES kb_articles(id),
        version integer NOT NULL,
        member_id uuid NOT NULL REFERENCES members(id),
        channel text NOT NULL,
        locale text NOT NULL,
        outbox_id bigint,
        sent_by_type text NOT NULL,
        sent_by_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT kb_article_sends_channel_check CHECK (channel IN ('email','sms')),
        CONSTRAINT kb_article_sends_locale_check CHECK (locale IN ('es','en'))
      )`);
    await q.query(
      `CREATE INDEX kb_article_sends_member_idx ON kb_article_sends (member_id, created_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['kb_article_sends', 'kb_article_versions', 'kb_articles', 'kb_categories'])
      await q.query(`DROP TABLE ${table}`);
  }
}
