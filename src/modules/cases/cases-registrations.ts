import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  Clock,
  ErasureNote,
  EscalationRequest,
  EscalationResult,
  Escalations,
  PersonalDataRegistry,
  SearchHit,
  SearchRegistry,
  TimelineEntry,
  TimelineQuery,
  TimelineRegistry,
} from '../../common';
import type { Tx } from '../../database';
import { MembersService } from '../members';
import { REGISTRY_NUMBER } from './case-rules';
import { CaseRow, CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { DOCUMENT_KINDS, DocumentRow, DocumentsRepository } from './documents/documents.repository';

const ERASED = '—';

/** An exact registry number names one case or document: first, like an exact card number. */
const REGISTRY_RANK = 1000;

/** Marks the matched part of a text between «» (plain text), around the first match. */
function highlight(text: string, q: string): string {
  const i = text.toLowerCase().indexOf(q.toLowerCase());
  if (i < 0) return text.slice(0, 120);
  const from = Math.max(0, i - 40);
  return `${from > 0 ? '…' : ''}${text.slice(from, i)}«${text.slice(i, i + q.length)}»${text.slice(i + q.length, i + q.length + 60)}`;
}

/**
 * What the cases module offers the shared registries: incidents for low scores, the member's
 * timeline, search over cases and documents, and personal data for export and erasure.
 */
@Injectable()
export class CasesRegistrations implements OnModuleInit {
  constructor(
    private readonly cases: CasesService,
    private readonly repo: CasesRepository,
    private readonly documents: DocumentsRepository,
    private readonly members: MembersService,
    private readonly escalations: Escalations,
    private readonly timeline: TimelineRegistry,
    private readonly search: SearchRegistry,
    private readonly personalData: PersonalDataRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.escalations.register({ open: (tx, request) => this.openIncident(tx, request) });
    this.timeline.register({
      name: 'cases',
      kinds: ['case', 'case_event', 'document'],
      entries: (reader, query) => this.timelineEntries(reader, query),
    });
    this.search.register({
      kind: 'case',
      search: (reader, q, o) => this.searchCases(reader, q, o.limit),
    });
    this.search.register({
      kind: 'document',
      search: (reader, q, o) => this.searchDocuments(reader, q, o.limit),
    });
    this.personalData.register({
      category: 'cases',
      export: (reader, memberId) => this.exportCases(reader, memberId),
      erase: (tx, memberId) => this.eraseCases(tx, memberId),
    });
    this.personalData.register({
      category: 'documents',
      export: (reader, memberId) => this.exportDocuments(reader, memberId),
      erase: (tx, memberId) => this.eraseDocuments(tx, memberId),
    });
  }

  /** One incident per source (a repeated call answers the same case), in the caller's tx. */
  async openIncident(tx: Tx, r: EscalationRequest): Promise<EscalationResult> {
    const [existing] = await this.repo.bySource(tx, r.source.type, r.source.id);
    if (existing) return { caseId: existing.id, registryNumber: existing.registry_number };
    const en = r.locale === 'en';
    const score = `${r.satisfaction.kind.toUpperCase()} ${r.satisfaction.score}`;
    const created = await this.cases.createIn(
      tx,
      {
        kind: 'incident',
        channel: r.channel,
        memberId: r.memberId,
        contact: r.memberId ? null : (r.contact ?? null),
        storeId: r.storeId ?? null,
        purchaseId: r.purchaseId ?? null,
        category: 'satisfaction',
        subject: en
          ? `Low satisfaction score (${score})`
          : `Puntuación de satisfacción baja (${score})`,
        description: r.satisfaction.comment?.trim() || (en ? '(no comment)' : '(sin comentario)'),
        locale: r.locale ?? null,
        source: r.source,
        satisfaction: { ...r.satisfaction },
      },
      undefined,
      // The customer did not file it: supervisors act on it; no receipt email.
      { sendReceipt: false },
    );
    return { caseId: created.id, registryNumber: created.registryNumber };
  }

  async timelineEntries(reader: EntityManager, q: TimelineQuery): Promise<TimelineEntry[]> {
    const want = (k: string) => !q.kinds || q.kinds.includes(k);
    const window = (col: string, idExpr: string, args: unknown[]) => {
      const parts: string[] = [];
      const arg = (v: unknown) => `$${args.push(v)}`;
      if (q.from) parts.push(`${col} >= ${arg(q.from)}`);
      if (q.to) parts.push(`${col} <= ${arg(q.to)}`);
      if (q.before)
        parts.push(
          `(${col}, ${idExpr} COLLATE "C") < (${arg(q.before.at)}::timestamptz, ${arg(q.before.id)}::text COLLATE "C")`,
        );
      return parts.map((p) => ` AND ${p}`).join('');
    };
    const out: TimelineEntry[] = [];
    if (want('case')) {
      const args: unknown[] = [q.memberId];
      const rows: Array<{
        id: string;
        registry_number: string;
        kind: string;
        status: string;
        subject: string;
        created_at: Date;
      }> = await reader.query(
        `SELECT id, registry_number, kind, status, subject, created_at FROM cases
            WHERE member_id = $1 ${window('created_at', `'case:' || id::text`, args)}
            ORDER BY created_at DESC, ('case:' || id::text) COLLATE "C" DESC LIMIT ${q.limit}`,
        args,
      );
      for (const r of rows)
        out.push({
          id: `case:${r.id}`,
          kind: 'case',
          at: r.created_at,
          title: {
            es: `Caso ${r.registry_number} abierto`,
            en: `Case ${r.registry_number} opened`,
          },
          ref: { caseId: r.id },
          data: { registryNumber: r.registry_number, kind: r.kind, status: r.status },
        });
    }
    if (want('case_event')) {
      const args: unknown[] = [q.memberId];
      const rows: Array<{
        id: string;
        case_id: string;
        type: string;
        registry_number: string;
        at: Date;
      }> = await reader.query(
        `SELECT e.id, e.case_id, e.type, c.registry_number, e.at FROM case_events e
             JOIN cases c ON c.id = e.case_id
            WHERE c.member_id = $1 AND e.type <> 'created'
              ${window('e.at', `'case_event:' || e.id::text`, args)}
            ORDER BY e.at DESC, ('case_event:' || e.id::text) COLLATE "C" DESC LIMIT ${q.limit}`,
        args,
      );
      for (const r of rows)
        out.push({
          id: `case_event:${r.id}`,
          kind: 'case_event',
          at: r.at,
          title: {
            es: `Caso ${r.registry_number}: ${r.type}`,
            en: `Case ${r.registry_number}: ${r.type}`,
          },
          ref: { caseId: r.case_id },
          data: { type: r.type },
        });
    }
    if (want('document')) {
      const args: unknown[] = [q.memberId];
      const rows: Array<{
        id: string;
        registry_number: string;
        kind: string;
        case_id: string | null;
        created_at: Date;
      }> = await reader.query(
        `SELECT d.id, d.registry_number, d.kind, d.case_id, d.created_at FROM documents d
             LEFT JOIN cases c ON c.id = d.case_id
            WHERE (d.member_id = $1 OR c.member_id = $1) AND d.status = 'active'
              ${window('d.created_at', `'document:' || d.id::text`, args)}
            ORDER BY d.created_at DESC, ('document:' || d.id::text) COLLATE "C" DESC LIMIT ${q.limit}`,
        args,
      );
      for (const r of rows)
        out.push({
          id: `document:${r.id}`,
          kind: 'document',
          at: r.created_at,
          title: { es: `Documento ${r.registry_number}`, en: `Document ${r.registry_number}` },
          ref: { documentId: r.id, caseId: r.case_id },
          data: { kind: r.kind },
        });
    }
    return out
      .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, q.limit);
  }

  async searchCases(reader: EntityManager, q: string, limit: number): Promise<SearchHit[]> {
    const text = q.trim();
    if (!text) return [];
    const hit = (
      r: {
        id: string;
        registry_number: string;
        subject: string;
        status: string;
        member_id: string | null;
      },
      match: string,
      rank: number,
    ): SearchHit => ({
      kind: 'case',
      id: r.id,
      title: `${r.registry_number} · ${r.subject}`,
      match,
      rank,
      data: { registryNumber: r.registry_number, status: r.status, memberId: r.member_id },
    });
    if (REGISTRY_NUMBER.test(text)) {
      const rows = await reader.query(
        `SELECT id, registry_number, subject, status, member_id FROM cases WHERE registry_number = $1`,
        [text.toUpperCase()],
      );
      return rows.map((r: Parameters<typeof hit>[0]) =>
        hit(r, `«${r.registry_number}»`, REGISTRY_RANK),
      );
    }
    if (text.length < 3) return [];
    const rows: Array<
      Parameters<typeof hit>[0] & { description: string; in_subject: boolean; sim: number }
    > = await reader.query(
      `SELECT id, registry_number, subject, description, status, member_id,
                fidelia_search_text(subject) LIKE '%' || fidelia_search_text($1) || '%' AS in_subject,
                similarity(fidelia_search_text(subject || ' ' || description), fidelia_search_text($1)) AS sim
           FROM cases
          WHERE fidelia_search_text(subject || ' ' || description) LIKE '%' || fidelia_search_text($1) || '%'
          ORDER BY in_subject DESC, created_at DESC LIMIT $2`,
      [text.replace(/[%_\\]/g, ''), limit],
    );
    return rows.map((r) =>
      hit(
        r,
        highlight(r.in_subject ? r.subject : r.description, text),
        (r.in_subject ? 50 : 20) + r.sim,
      ),
    );
  }

  async searchDocuments(reader: EntityManager, q: string, limit: number): Promise<SearchHit[]> {
    const text = q.trim();
    if (!text) return [];
    type Row = {
      id: string;
      registry_number: string;
      kind: string;
      case_id: string | null;
      file_name: string | null;
    };
    const hit = (r: Row, match: string, rank: number): SearchHit => ({
      kind: 'document',
      id: r.id,
      title: `${r.registry_number} · ${r.kind}${r.file_name ? ` · ${r.file_name}` : ''}`,
      match,
      rank,
      data: { registryNumber: r.registry_number, kind: r.kind, caseId: r.case_id },
    });
    const base = `SELECT d.id, d.registry_number, d.kind, d.case_id, v.file_name FROM documents d
                    JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
                   WHERE d.status = 'active'`;
    if (REGISTRY_NUMBER.test(text)) {
      const rows: Row[] = await reader.query(`${base} AND d.registry_number = $1`, [
        text.toUpperCase(),
      ]);
      return rows.map((r) => hit(r, `«${r.registry_number}»`, REGISTRY_RANK));
    }
    const kind = (DOCUMENT_KINDS as readonly string[]).includes(text.toLowerCase())
      ? text.toLowerCase()
      : null;
    if (!kind && text.length < 3) return [];
    const rows: Row[] = await reader.query(
      `${base} AND (d.kind = $1 OR v.file_name ILIKE '%' || $2 || '%')
        ORDER BY (d.kind = $1) DESC NULLS LAST, d.created_at DESC LIMIT $3`,
      [kind, text.replace(/[%_\\]/g, ''), limit],
    );
    return rows.map((r) =>
      r.kind === kind ? hit(r, `«${r.kind}»`, 30) : hit(r, highlight(r.file_name ?? '', text), 20),
    );
  }

  async exportCases(reader: EntityManager, memberId: string) {
    const rows = await this.repo.forMember(reader, memberId);
    return Promise.all(rows.map((c) => exportedCase(this.repo, reader, c)));
  }

  /**
   * Free texts and contact data go; the case, its number, kind, dates and status stay for the
   * registry and the reports. Cases filed with the member's email before signing in are theirs.
   */
  async eraseCases(tx: Tx, memberId: string): Promise<void> {
    const member = await this.members.get(tx, memberId);
    if (member.email)
      await tx.query(
        `UPDATE cases SET member_id = $1 WHERE member_id IS NULL AND contact_email = lower($2)`,
        [memberId, member.email],
      );
    await tx.query(
      `UPDATE cases SET contact_name = NULL, contact_email = NULL, contact_phone = NULL,
              subject = $2, description = $2,
              resolution = CASE WHEN resolution IS NULL THEN NULL ELSE $2 END,
              satisfaction = CASE WHEN satisfaction IS NULL THEN NULL ELSE satisfaction - 'comment' END,
              receipt_token_hash = NULL
        WHERE member_id = $1`,
      [memberId, ERASED],
    );
    await tx.query(
      `UPDATE case_events SET text = NULL
        WHERE case_id IN (SELECT id FROM cases WHERE member_id = $1) AND text IS NOT NULL`,
      [memberId],
    );
  }

  async exportDocuments(reader: EntityManager, memberId: string) {
    return this.exportDocumentRows(reader, await this.documents.forMember(reader, memberId));
  }

  /** The documents filed on these cases (a contact's), as an export shows them. */
  async exportDocumentsOfCases(reader: EntityManager, caseIds: string[]) {
    return this.exportDocumentRows(reader, await this.documents.forCases(reader, caseIds));
  }

  private async exportDocumentRows(reader: EntityManager, docs: DocumentRow[]) {
    return Promise.all(
      docs.map(async (d) => ({
        registryNumber: d.registry_number,
        kind: d.kind,
        status: d.status,
        legalHold: d.legal_hold,
        createdAt: d.created_at,
        retainUntil: d.retain_until,
        versions: (await this.documents.versions(reader, d.id)).map((v) => ({
          version: v.version,
          fileName: v.file_name,
          sha256: v.sha256,
          contentType: v.content_type,
          sizeBytes: v.size_bytes,
          stored: v.storage_key !== null,
        })),
      })),
    );
  }

  /** The member's documents are deleted (files on the next purge) unless a legal hold keeps them. */
  async eraseDocuments(tx: Tx, memberId: string): Promise<ErasureNote> {
    return this.eraseDocumentRows(tx, await this.documents.forMember(tx, memberId));
  }

  /** The documents filed on these cases (a contact's) go as a member's do. */
  async eraseDocumentsOfCases(tx: Tx, caseIds: string[]): Promise<ErasureNote> {
    return this.eraseDocumentRows(tx, await this.documents.forCases(tx, caseIds));
  }

  /** Deletes these documents (files on the next purge), except those a legal hold keeps. */
  private async eraseDocumentRows(tx: Tx, rows: DocumentRow[]): Promise<ErasureNote> {
    const docs = rows.filter((d) => d.status === 'active');
    const held = docs.filter((d) => d.legal_hold);
    await this.documents.markDeleted(
      tx,
      docs.filter((d) => !d.legal_hold).map((d) => d.id),
      this.clock.now(),
      'erasure',
    );
    if (!held.length) return {};
    const reasons = [...new Set(held.map((d) => d.legal_hold_reason ?? 'legal hold'))];
    return {
      retained: [
        {
          what: `documents ${held.map((d) => d.registry_number).join(', ')}`,
          count: held.length,
          reason: `legal hold: ${reasons.join('; ')}`,
        },
      ],
    };
  }
}

/** A case as the data export shows it (a member's or a contact's), with its events. */
export async function exportedCase(repo: CasesRepository, reader: EntityManager, c: CaseRow) {
  return {
    registryNumber: c.registry_number,
    kind: c.kind,
    channel: c.channel,
    status: c.status,
    contact: { name: c.contact_name, email: c.contact_email, phone: c.contact_phone },
    subject: c.subject,
    description: c.description,
    resolution: c.resolution,
    customerConfirmed: c.customer_confirmed,
    satisfaction: c.satisfaction,
    createdAt: c.created_at,
    dueAt: c.due_at,
    events: (await repo.events(reader, c.id)).map((e) => ({
      type: e.type,
      visibility: e.visibility,
      text: e.text,
      at: e.at,
    })),
  };
}
