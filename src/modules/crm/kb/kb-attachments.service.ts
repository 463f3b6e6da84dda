import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { actorOf, Clock } from '../../../common';
import { AppConfig } from '../../../config';
import { TransactionRunner } from '../../../database';
import { AuditService } from '../../audit';
import { DOCUMENT_TYPES, DocumentsService, UploadedFile } from '../../cases';
import type { RequestActor } from '../../members';
import { articleNotFound, attachmentNotFound } from '../crm.errors';
import { fileNameOf } from './attachment-names';
import { AttachmentRow, KbAttachmentsRepository } from './kb-attachments.repository';
import { ArticleRow, KnowledgeBaseRepository } from './knowledge-base.repository';

export interface AttachmentView {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  /** Staff download. */
  contentUrl: string;
  /** The customer's download, only while the article is public (absolute, for messages). */
  publicUrl: string | null;
}

export interface AttachmentContent {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

/**
 * Files attached to knowledge articles (brochures, manuals). They go through the documents
 * store of the cases module: the same size limit (413), type read from the content (415) and
 * SHA-256; this module keeps which article they belong to.
 */
@Injectable()
export class KbAttachmentsService {
  constructor(
    private readonly repo: KbAttachmentsRepository,
    private readonly articles: KnowledgeBaseRepository,
    private readonly documents: DocumentsService,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async add(articleId: string, file: UploadedFile, actor: RequestActor): Promise<AttachmentView> {
    const article = await this.articles.find(this.tx.reader, articleId);
    if (!article) throw articleNotFound();
    const contentType = this.documents.check(file);
    const id = randomUUID();
    const storageKey = `kb/${articleId}/${id}.${DOCUMENT_TYPES[contentType]}`;
    // Written before the commit: a failed commit leaves an orphan file, never a row without one.
    await this.documents.store.put(storageKey, file.bytes);
    const { actorType, actorId } = actorOf(actor.principal);
    const row = await this.tx.run(async (tx) => {
      const inserted = await this.repo.insert(tx, {
        id,
        articleId,
        fileName: fileNameOf(file.fileName, contentType),
        contentType,
        sizeBytes: file.bytes.length,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        storageKey,
        createdByType: actorType,
        createdById: actorId,
        createdAt: this.clock.now(),
      });
      await this.audit.log(tx, {
        principal: actor.principal,
        ip: actor.ip,
        requestId: actor.requestId,
        action: 'kb.attachment.add',
        entity: 'kb_article',
        entityId: articleId,
        details: { attachmentId: id, sha256: inserted.sha256, size: inserted.sizeBytes },
      });
      return inserted;
    });
    return this.view(article, row);
  }

  async list(article: ArticleRow): Promise<AttachmentView[]> {
    const rows = await this.repo.forArticle(this.tx.reader, article.id);
    return rows.map((r) => this.view(article, r));
  }

  /** Staff download, whether the article is public or not. */
  async content(articleId: string, id: string): Promise<AttachmentContent> {
    const row = await this.repo.find(this.tx.reader, articleId, id);
    if (!row) throw attachmentNotFound();
    return this.read(row);
  }

  /** The customer's download: a file of a public, published article; else 404. */
  async publicContent(slug: string, id: string): Promise<AttachmentContent> {
    const article = await this.articles.findBySlug(this.tx.reader, slug);
    if (!article || !article.public || article.publishedVersion === null) throw articleNotFound();
    const row = await this.repo.find(this.tx.reader, article.id, id);
    if (!row) throw attachmentNotFound();
    return this.read(row);
  }

  private async read(row: AttachmentRow): Promise<AttachmentContent> {
    return {
      bytes: await this.documents.store.get(row.storageKey),
      contentType: row.contentType,
      fileName: row.fileName,
    };
  }

  private view(article: ArticleRow, r: AttachmentRow): AttachmentView {
    return {
      id: r.id,
      fileName: r.fileName,
      contentType: r.contentType,
      sizeBytes: r.sizeBytes,
      sha256: r.sha256,
      createdAt: r.createdAt.toISOString(),
      contentUrl: `/api/kb/articles/${article.id}/attachments/${r.id}`,
      publicUrl: article.public
        ? `${this.config.publicUrl}${publicAttachmentPath(article.slug, r.id)}`
        : null,
    };
  }
}

export const publicAttachmentPath = (slug: string, id: string) =>
  `/api/public/kb/${encodeURIComponent(slug)}/attachments/${id}`;
