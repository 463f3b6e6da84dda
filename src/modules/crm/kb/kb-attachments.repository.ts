import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../../database';

export interface AttachmentRow {
  id: string;
  articleId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  createdByType: string;
  createdById: string | null;
  createdAt: Date;
}

const COLUMNS = `id, article_id AS "articleId", file_name AS "fileName",
  content_type AS "contentType", size_bytes AS "sizeBytes", sha256, storage_key AS "storageKey",
  created_by_type AS "createdByType", created_by_id AS "createdById", created_at AS "createdAt"`;

/** The files attached to knowledge articles (their bytes are in the documents store). */
@Injectable()
export class KbAttachmentsRepository {
  async insert(tx: Tx, row: Omit<AttachmentRow, 'createdAt'> & { createdAt: Date }) {
    const [inserted]: AttachmentRow[] = await tx.query(
      `INSERT INTO kb_article_attachments (id, article_id, file_name, content_type, size_bytes,
          sha256, storage_key, created_by_type, created_by_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [
        row.id,
        row.articleId,
        row.fileName,
        row.contentType,
        row.sizeBytes,
        row.sha256,
        row.storageKey,
        row.createdByType,
        row.createdById,
        row.createdAt,
      ],
    );
    return inserted;
  }

  /** An article's files, oldest first (the order they were added). */
  forArticle(reader: EntityManager, articleId: string): Promise<AttachmentRow[]> {
    return reader.query(
      `SELECT ${COLUMNS} FROM kb_article_attachments WHERE article_id = $1
        ORDER BY created_at, id`,
      [articleId],
    );
  }

  async find(reader: EntityManager, articleId: string, id: string) {
    const rows: AttachmentRow[] = await reader.query(
      `SELECT ${COLUMNS} FROM kb_article_attachments WHERE article_id = $1 AND id = $2`,
      [articleId, id],
    );
    return rows[0] ?? null;
  }
}
