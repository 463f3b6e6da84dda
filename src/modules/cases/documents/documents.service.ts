import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { actorOf, Clock, PageRenderer, Principal } from '../../../common';
import { AppConfig } from '../../../config';
import { TransactionRunner, Tx } from '../../../database';
import { AuditService } from '../../audit';
import { localDate } from '../calendar/local-time';
import { registryNumber } from '../case-rules';
import { CaseReceiptsService } from '../case-receipts.service';
import {
  caseNotFound,
  documentNotFound,
  documentTooLarge,
  documentType,
  invalidCase,
} from '../cases.errors';
import { CasesRepository } from '../cases.repository';
import { DOCUMENT_TYPES, DocumentContentType, sniffContentType } from '../file-sniff';
import { renderReceiptPdf } from '../receipt-pdf';
import { DEFAULT_TIME_ZONE } from '../sla.service';
import { DocumentStore, LocalDocumentStore } from './document-store';
import { S3DocumentStore } from './s3-document-store';
import { DocumentKind, DocumentRow, DocumentsRepository, VersionRow } from './documents.repository';

const DAY_MS = 86_400_000;
const PURGE_BATCH = 200;

export interface UploadedFile {
  bytes: Buffer;
  fileName: string | null;
}

export interface DocumentView {
  id: string;
  registryNumber: string;
  kind: DocumentKind;
  caseId: string | null;
  memberId: string | null;
  version: number;
  sha256: string;
  sizeBytes: number;
  contentType: string;
  fileName: string | null;
  status: 'active' | 'deleted';
  legalHold: boolean;
  legalHoldReason: string | null;
  retainUntil: string;
  createdAt: string;
  contentUrl: string;
  receiptUrl: string;
  versions?: Array<{
    version: number;
    sha256: string;
    sizeBytes: number;
    contentType: string;
    createdAt: string;
    stored: boolean;
  }>;
}

/**
 * Documents a customer hands in: checked on their content, given a registry number, stored
 * with their SHA-256, replaced by new versions, kept per kind and deleted on schedule.
 */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger('Documents');
  readonly store: DocumentStore;

  constructor(
    private readonly repo: DocumentsRepository,
    private readonly cases: CasesRepository,
    private readonly receipts: CaseReceiptsService,
    private readonly texts: PageRenderer,
    private readonly audit: AuditService,
    private readonly runner: TransactionRunner,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.store =
      config.DOCUMENTS_STORAGE === 's3'
        ? new S3DocumentStore({
            endpoint:
              config.DOCUMENTS_S3_ENDPOINT ??
              `https://s3.${config.DOCUMENTS_S3_REGION}.amazonaws.com`,
            bucket: config.DOCUMENTS_S3_BUCKET!,
            region: config.DOCUMENTS_S3_REGION,
            accessKeyId: config.DOCUMENTS_S3_ACCESS_KEY_ID!,
            secretAccessKey: config.DOCUMENTS_S3_SECRET_ACCESS_KEY!,
            pathStyle: config.DOCUMENTS_S3_PATH_STYLE,
            prefix: config.DOCUMENTS_S3_PREFIX,
          })
        : new LocalDocumentStore(config.DOCUMENTS_DIR ?? join(config.dataDir, 'documents'));
  }

  /** Checks size and type before anything is stored: 413 or 415 leave no trace. */
  check(file: UploadedFile): DocumentContentType {
    if (file.bytes.length > this.config.DOCUMENT_MAX_BYTES)
      throw documentTooLarge(this.config.DOCUMENT_MAX_BYTES);
    if (file.bytes.length === 0) throw invalidCase('file', 'the file is empty');
    const type = sniffContentType(file.bytes);
    if (!type) throw documentType();
    return type;
  }

  async upload(
    target: { caseId?: string; memberId?: string },
    kind: DocumentKind,
    file: UploadedFile,
    principal: Principal,
  ): Promise<DocumentView> {
    const contentType = this.check(file);
    return this.runner.run(async (tx) => {
      let memberId = target.memberId ?? null;
      if (target.caseId) {
        const c = await this.cases.find(tx, target.caseId);
        if (!c) throw caseNotFound();
        memberId = null;
      }
      const now = this.clock.now();
      const year = Number(localDate(now, DEFAULT_TIME_ZONE).slice(0, 4));
      const number = registryNumber('DOC', year, await this.cases.nextNumber(tx, 'DOC', year));
      const days = await this.repo.retentionDays(tx, kind);
      const { actorType, actorId } = actorOf(principal);
      const doc = await this.repo.insert(tx, {
        registry_number: number,
        kind,
        case_id: target.caseId ?? null,
        member_id: memberId,
        retain_until: new Date(now.getTime() + days * DAY_MS),
        created_by_type: actorType,
        created_by_id: actorId,
        created_at: now,
      });
      const version = await this.storeVersion(tx, doc, 1, file, contentType, principal, now);
      if (doc.case_id)
        await this.cases.addEvent(tx, {
          caseId: doc.case_id,
          type: 'document',
          actorType,
          actorId,
          data: { documentId: doc.id, registryNumber: number, kind },
          at: now,
        });
      await this.audit.log(tx, {
        principal,
        action: 'document.create',
        entity: 'document',
        entityId: doc.id,
        memberId,
        details: { kind, sha256: version.sha256, size: version.size_bytes },
      });
      return this.present(doc, version);
    });
  }

  /** A new version replaces the current one; earlier versions stay readable. */
  async replace(id: string, file: UploadedFile, principal: Principal): Promise<DocumentView> {
    const contentType = this.check(file);
    return this.runner.run(async (tx) => {
      const doc = await this.repo.lock(tx, id);
      if (!doc || doc.status !== 'active') throw documentNotFound();
      const now = this.clock.now();
      const next = doc.current_version + 1;
      const version = await this.storeVersion(tx, doc, next, file, contentType, principal, now);
      const updated = await this.repo.update(tx, id, { current_version: next });
      await this.audit.log(tx, {
        principal,
        action: 'document.replace',
        entity: 'document',
        entityId: id,
        memberId: doc.member_id,
        details: { version: next, sha256: version.sha256 },
      });
      return this.present(updated, version);
    });
  }

  async get(id: string): Promise<DocumentView> {
    const doc = await this.repo.find(this.runner.reader, id);
    if (!doc) throw documentNotFound();
    const versions = await this.repo.versions(this.runner.reader, id);
    const current = versions.find((v) => v.version === doc.current_version)!;
    return {
      ...this.present(doc, current),
      versions: versions.map((v) => ({
        version: v.version,
        sha256: v.sha256,
        sizeBytes: v.size_bytes,
        contentType: v.content_type,
        createdAt: v.created_at.toISOString(),
        stored: v.storage_key !== null,
      })),
    };
  }

  async forCase(caseId: string): Promise<{ items: DocumentView[] }> {
    const docs = await this.repo.forCase(this.runner.reader, caseId);
    const items: DocumentView[] = [];
    for (const d of docs) {
      const versions = await this.repo.versions(this.runner.reader, d.id);
      items.push(
        this.present(
          d,
          versions.find((v) => v.version === d.current_version)!,
        ),
      );
    }
    return { items };
  }

  /** The bytes of a version (the current one by default), with what to send them as. */
  async content(id: string, version?: number, principal?: Principal) {
    const doc = await this.repo.find(this.runner.reader, id);
    if (!doc || doc.status !== 'active') throw documentNotFound();
    const versions = await this.repo.versions(this.runner.reader, id);
    const v = versions.find((x) => x.version === (version ?? doc.current_version));
    if (!v || !v.storage_key) throw documentNotFound();
    const bytes = await this.store.get(v.storage_key);
    await this.audit.log(this.runner.reader, {
      principal,
      action: 'document.read',
      entity: 'document',
      entityId: id,
      memberId: doc.member_id,
      details: { version: v.version },
    });
    return {
      bytes,
      contentType: v.content_type,
      fileName: `${doc.registry_number}-v${v.version}.${ext(v.content_type)}`,
    };
  }

  async setLegalHold(id: string, hold: boolean, reason: string | null, principal: Principal) {
    return this.runner.run(async (tx) => {
      const doc = await this.repo.lock(tx, id);
      if (!doc || doc.status !== 'active') throw documentNotFound();
      if (hold && !reason?.trim())
        throw invalidCase('legalHoldReason', 'a legal hold needs a reason');
      const updated = await this.repo.update(tx, id, {
        legal_hold: hold,
        legal_hold_reason: hold ? reason!.trim() : null,
      });
      await this.audit.log(tx, {
        principal,
        action: hold ? 'document.hold' : 'document.release',
        entity: 'document',
        entityId: id,
        memberId: doc.member_id,
      });
      const versions = await this.repo.versions(tx, id);
      return this.present(
        updated,
        versions.find((v) => v.version === updated.current_version)!,
      );
    });
  }

  retention() {
    return this.repo.retention(this.runner.reader);
  }

  async setRetention(kind: DocumentKind, days: number, principal: Principal) {
    await this.runner.run(async (tx) => {
      await this.repo.setRetention(tx, kind, days);
      await this.audit.log(tx, {
        principal,
        action: 'document.retention',
        entity: 'document_retention',
        entityId: kind,
        details: { days },
      });
    });
    return this.retention();
  }

  async receiptPdf(id: string): Promise<Buffer> {
    const doc = await this.repo.find(this.runner.reader, id);
    if (!doc) throw documentNotFound();
    const v = (await this.repo.versions(this.runner.reader, id)).find(
      (x) => x.version === doc.current_version,
    )!;
    const c = doc.case_id ? await this.cases.find(this.runner.reader, doc.case_id) : null;
    const locale = c?.locale === 'en' ? 'en' : 'es';
    const t = (key: string, p?: Record<string, unknown>) => this.texts.t(locale, `cases.${key}`, p);
    return renderReceiptPdf({
      title: t('receipt.documentTitle'),
      number: doc.registry_number,
      fields: [
        [t('receipt.number'), doc.registry_number],
        [t('receipt.date'), this.receipts.formatDate(doc.created_at, locale, DEFAULT_TIME_ZONE)],
        [t('receipt.kind'), t(`docKind.${doc.kind}`)],
        ...(c ? [[t('receipt.case'), c.registry_number] as [string, string]] : []),
        [t('receipt.file'), `${v.content_type}, ${v.size_bytes} bytes`],
        [t('receipt.sha256'), v.sha256],
      ],
      paragraphs: [t('receipt.documentIntro', { number: doc.registry_number })],
      footer: t('receipt.footer'),
    });
  }

  /**
   * Retention: documents past their kind's period and not on hold are marked deleted, then the
   * files of every deleted document (retention or erasure) are removed and their keys cleared.
   */
  async purge(): Promise<{ expired: number; filesDeleted: number }> {
    let expired = 0;
    for (;;) {
      const n = await this.runner.run(async (tx) => {
        const rows = await this.repo.expired(tx, this.clock.now(), PURGE_BATCH);
        await this.repo.markDeleted(
          tx,
          rows.map((r) => r.id),
          this.clock.now(),
          'retention',
        );
        return rows.length;
      });
      expired += n;
      if (n < PURGE_BATCH) break;
    }
    let filesDeleted = 0;
    for (;;) {
      const n = await this.runner.run(async (tx) => {
        const rows = await this.repo.toPurge(tx, PURGE_BATCH);
        // Files first: a crash in between leaves a key whose file is gone, and the next purge
        // deletes nothing and clears it.
        for (const r of rows) await this.store.delete(r.storage_key);
        await this.repo.purged(
          tx,
          rows.map((r) => r.id),
          this.clock.now(),
        );
        return rows.length;
      });
      filesDeleted += n;
      if (n < PURGE_BATCH) break;
    }
    if (expired || filesDeleted)
      this.logger.log(`documents: ${expired} expired, ${filesDeleted} file(s) deleted`);
    return { expired, filesDeleted };
  }

  private async storeVersion(
    tx: Tx,
    doc: DocumentRow,
    version: number,
    file: UploadedFile,
    contentType: string,
    principal: Principal,
    now: Date,
  ): Promise<VersionRow> {
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    const key = `${doc.created_at.getUTCFullYear()}/${doc.id}-v${version}.${ext(contentType)}`;
    // Written before the commit: a failed commit leaves an orphan file, never a row without one.
    await this.store.put(key, file.bytes);
    const { actorType, actorId } = actorOf(principal);
    return this.repo.insertVersion(tx, {
      document_id: doc.id,
      version,
      sha256,
      size_bytes: file.bytes.length,
      content_type: contentType,
      file_name: file.fileName ? file.fileName.slice(0, 255) : null,
      storage_key: key,
      created_by_type: actorType,
      created_by_id: actorId,
      created_at: now,
    });
  }

  present(d: DocumentRow, v: VersionRow): DocumentView {
    return {
      id: d.id,
      registryNumber: d.registry_number,
      kind: d.kind,
      caseId: d.case_id,
      memberId: d.member_id,
      version: v.version,
      sha256: v.sha256,
      sizeBytes: v.size_bytes,
      contentType: v.content_type,
      fileName: v.file_name,
      status: d.status,
      legalHold: d.legal_hold,
      legalHoldReason: d.legal_hold_reason,
      retainUntil: d.retain_until.toISOString(),
      createdAt: d.created_at.toISOString(),
      contentUrl: `/api/documents/${d.id}/content`,
      receiptUrl: `/api/documents/${d.id}/receipt.pdf`,
    };
  }
}

const ext = (type: string) => DOCUMENT_TYPES[type as DocumentContentType] ?? 'bin';
