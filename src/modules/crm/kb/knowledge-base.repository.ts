import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../../database';

export interface CategoryRow {
  id: string;
  slug: string;
  nameEs: string;
  nameEn: string;
}

export interface ArticleRow {
  id: string;
  slug: string;
  categoryId: string;
  categorySlug: string;
  public: boolean;
  latestVersion: number;
  publishedVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionRow {
  articleId: string;
  version: number;
  titleEs: string;
  bodyEs: string;
  titleEn: string;
  bodyEn: string;
  authorType: string;
  authorId: string | null;
  createdAt: Date;
}

export interface VersionText {
  titleEs: string;
  bodyEs: string;
  titleEn: string;
  bodyEn: string;
}

export interface SendRow {
  id: string;
  articleId: string;
  version: number;
  channel: 'email' | 'sms';
  locale: string;
  outboxId: string | null;
  sentByType: string;
  sentById: string | null;
  createdAt: Date;
}

const ARTICLE_COLUMNS = `a.id, a.slug, a.category_id AS "categoryId", k.slug AS "categorySlug",
  a.public, a.latest_version AS "latestVersion", a.published_version AS "publishedVersion",
  a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;

const VERSION_COLUMNS = `v.article_id AS "articleId", v.version, v.title_es AS "titleEs",
  v.body_es AS "bodyEs", v.title_en AS "titleEn", v.body_en AS "bodyEn",
  v.author_type AS "authorType", v.author_id AS "authorId", v.created_at AS "createdAt"`;

/** The knowledge base's SQL: categories, articles, their versions and the sends to members. */
@Injectable()
export class KnowledgeBaseRepository {
  async categories(reader: EntityManager): Promise<CategoryRow[]> {
    return reader.query(
      `SELECT id, slug, name_es AS "nameEs", name_en AS "nameEn" FROM kb_categories ORDER BY slug`,
    );
  }

  async categoryExists(reader: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await reader.query(`SELECT 1 FROM kb_categories WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async insertCategory(tx: Tx, c: Omit<CategoryRow, 'id'>): Promise<CategoryRow> {
    const [row]: CategoryRow[] = await tx.query(
      `INSERT INTO kb_categories (slug, name_es, name_en) VALUES ($1, $2, $3)
       RETURNING id, slug, name_es AS "nameEs", name_en AS "nameEn"`,
      [c.slug, c.nameEs, c.nameEn],
    );
    return row;
  }

  async list(
    reader: EntityManager,
    filter: { categoryId?: string },
  ): Promise<(ArticleRow & { titleEs: string | null; titleEn: string | null })[]> {
    return reader.query(
      `SELECT ${ARTICLE_COLUMNS}, v.title_es AS "titleEs", v.title_en AS "titleEn"
         FROM kb_articles a JOIN kb_categories k ON k.id = a.category_id
         LEFT JOIN kb_article_versions v
           ON v.article_id = a.id AND v.version = coalesce(a.published_version, a.latest_version)
        WHERE ($1::uuid IS NULL OR a.category_id = $1)
        ORDER BY k.slug, a.slug`,
      [filter.categoryId ?? null],
    );
  }

  async find(reader: EntityManager, id: string, lock = false): Promise<ArticleRow | undefined> {
    const rows: ArticleRow[] = await reader.query(
      `SELECT ${ARTICLE_COLUMNS} FROM kb_articles a JOIN kb_categories k ON k.id = a.category_id
        WHERE a.id = $1 ${lock ? 'FOR UPDATE OF a' : ''}`,
      [id],
    );
    return rows[0];
  }

  async findBySlug(reader: EntityManager, slug: string): Promise<ArticleRow | undefined> {
    const rows: ArticleRow[] = await reader.query(
      `SELECT ${ARTICLE_COLUMNS} FROM kb_articles a JOIN kb_categories k ON k.id = a.category_id
        WHERE a.slug = $1`,
      [slug],
    );
    return rows[0];
  }

  async version(
    reader: EntityManager,
    articleId: string,
    version: number,
  ): Promise<VersionRow | undefined> {
    const rows: VersionRow[] = await reader.query(
      `SELECT ${VERSION_COLUMNS} FROM kb_article_versions v
        WHERE v.article_id = $1 AND v.version = $2`,
      [articleId, version],
    );
    return rows[0];
  }

  async versions(
    reader: EntityManager,
    articleId: string,
  ): Promise<Omit<VersionRow, 'bodyEs' | 'bodyEn'>[]> {
    return reader.query(
      `SELECT v.version, v.title_es AS "titleEs", v.title_en AS "titleEn",
              v.author_type AS "authorType", v.author_id AS "authorId", v.created_at AS "createdAt"
         FROM kb_article_versions v WHERE v.article_id = $1 ORDER BY v.version DESC`,
      [articleId],
    );
  }

  async insertArticle(
    tx: Tx,
    a: { slug: string; categoryId: string; public: boolean; publish: boolean; at: Date },
  ): Promise<string> {
    const [row]: { id: string }[] = await tx.query(
      `INSERT INTO kb_articles (slug, category_id, public, latest_version, published_version,
                               created_at, updated_at)
       VALUES ($1, $2, $3, 1, CASE WHEN $4 THEN 1 END, $5, $5) RETURNING id`,
      [a.slug, a.categoryId, a.public, a.publish, a.at],
    );
    return row.id;
  }

  async insertVersion(
    tx: Tx,
    articleId: string,
    version: number,
    text: VersionText,
    author: { actorType: string; actorId: string | null },
    at: Date,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO kb_article_versions (article_id, version, title_es, body_es, title_en, body_en,
                                        author_type, author_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        articleId,
        version,
        text.titleEs,
        text.bodyEs,
        text.titleEn,
        text.bodyEn,
        author.actorType,
        author.actorId,
        at,
      ],
    );
  }

  async updateArticle(
    tx: Tx,
    id: string,
    changes: { latestVersion?: number; publishedVersion?: number; public?: boolean; at: Date },
  ): Promise<void> {
    await tx.query(
      `UPDATE kb_articles
          SET latest_version = coalesce($2, latest_version),
              published_version = coalesce($3, published_version),
              public = coalesce($4, public),
              updated_at = $5
        WHERE id = $1`,
      [
        id,
        changes.latestVersion ?? null,
        changes.publishedVersion ?? null,
        changes.public ?? null,
        changes.at,
      ],
    );
  }

  async insertSend(
    tx: Tx,
    s: Omit<SendRow, 'id' | 'createdAt'> & { memberId: string; at: Date },
  ): Promise<SendRow> {
    const [row]: SendRow[] = await tx.query(
      `INSERT INTO kb_article_sends (article_id, version, member_id, channel, locale, outbox_id,
                                     sent_by_type, sent_by_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id, article_id AS "articleId", version, channel, locale, outbox_id AS "outboxId",
                 sent_by_type AS "sentByType", sent_by_id AS "sentById", created_at AS "createdAt"`,
      [
        s.articleId,
        s.version,
        s.memberId,
        s.channel,
        s.locale,
        s.outboxId,
        s.sentByType,
        s.sentById,
        s.at,
      ],
    );
    return row;
  }

  async sendsOf(reader: EntityManager, memberId: string): Promise<SendRow[]> {
    return reader.query(
      `SELECT s.id, s.article_id AS "articleId", s.version, s.channel, s.locale,
              s.outbox_id AS "outboxId", s.sent_by_type AS "sentByType", s.sent_by_id AS "sentById",
              s.created_at AS "createdAt"
         FROM kb_article_sends s WHERE s.member_id = $1 ORDER BY s.created_at, s.id`,
      [memberId],
    );
  }
}
