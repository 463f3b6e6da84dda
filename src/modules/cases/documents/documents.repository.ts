import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../../database';
import { returned } from '../cases.repository';

export const DOCUMENT_KINDS = [
  'invoice',
  'warranty',
  'id',
  'complaint_form',
  'photo',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentRow {
  id: string;
  registry_number: string;
  kind: DocumentKind;
  case_id: string | null;
  member_id: string | null;
  current_version: number;
  status: 'active' | 'deleted';
  legal_hold: boolean;
  legal_hold_reason: string | null;
  retain_until: Date;
  deleted_at: Date | null;
  deleted_reason: string | null;
  created_by_type: string;
  created_by_id: string | null;
  created_at: Date;
}

export interface VersionRow {
  id: string;
  document_id: string;
  version: number;
  sha256: string;
  size_bytes: number;
  content_type: string;
  file_name: string | null;
  storage_key: string | null;
  purged_at: Date | null;
  created_by_type: string;
  created_by_id: string | null;
  created_at: Date;
}

@Injectable()
export class DocumentsRepository {
  async retentionDays(reader: EntityManager, kind: DocumentKind): Promise<number> {
    const rows: Array<{ days: number }> = await reader.query(
      `SELECT days FROM document_retention WHERE kind = $1`,
      [kind],
    );
    return rows[0]?.days ?? 365;
  }

  retention(reader: EntityManager): Promise<Array<{ kind: DocumentKind; days: number }>> {
    return reader.query(`SELECT kind, days FROM document_retention ORDER BY kind`);
  }

  async setRetention(tx: Tx, kind: DocumentKind, days: number): Promise<void> {
    await tx.query(`UPDATE document_retention SET days = $2 WHERE kind = $1`, [kind, days]);
  }

  async insert(
    tx: Tx,
    d: Pick<
      DocumentRow,
      | 'registry_number'
      | 'kind'
      | 'case_id'
      | 'member_id'
      | 'retain_until'
      | 'created_by_type'
      | 'created_by_id'
      | 'created_at'
    >,
  ): Promise<DocumentRow> {
    const rows: DocumentRow[] = await tx.query(
      `INSERT INTO documents (registry_number, kind, case_id, member_id, retain_until,
                              created_by_type, created_by_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        d.registry_number,
        d.kind,
        d.case_id,
        d.member_id,
        d.retain_until,
        d.created_by_type,
        d.created_by_id,
        d.created_at,
      ],
    );
    return rows[0];
  }

  async insertVersion(tx: Tx, v: Omit<VersionRow, 'id' | 'purged_at'>): Promise<VersionRow> {
    const rows: VersionRow[] = await tx.query(
      `INSERT INTO document_versions (document_id, version, sha256, size_bytes, content_type,
                                      file_name, storage_key, created_by_type, created_by_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        v.document_id,
        v.version,
        v.sha256,
        v.size_bytes,
        v.content_type,
        v.file_name,
        v.storage_key,
        v.created_by_type,
        v.created_by_id,
        v.created_at,
      ],
    );
    return rows[0];
  }

  async find(reader: EntityManager, id: string): Promise<DocumentRow | null> {
    const rows: DocumentRow[] = await reader.query(`SELECT * FROM documents WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async lock(tx: Tx, id: string): Promise<DocumentRow | null> {
    const rows: DocumentRow[] = await tx.query(`SELECT * FROM documents WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async update(tx: Tx, id: string, fields: Partial<DocumentRow>): Promise<DocumentRow> {
    const entries = Object.entries(fields);
    const result: unknown = await tx.query(
      `UPDATE documents SET ${entries.map(([k], i) => `${k} = $${i + 2}`).join(', ')}
        WHERE id = $1 RETURNING *`,
      [id, ...entries.map(([, v]) => v)],
    );
    return returned<DocumentRow>(result)[0];
  }

  versions(reader: EntityManager, documentId: string): Promise<VersionRow[]> {
    return reader.query(`SELECT * FROM document_versions WHERE document_id = $1 ORDER BY version`, [
      documentId,
    ]);
  }

  forCase(reader: EntityManager, caseId: string): Promise<DocumentRow[]> {
    return reader.query(
      `SELECT * FROM documents WHERE case_id = $1 AND status = 'active' ORDER BY created_at`,
      [caseId],
    );
  }

  /** A member's documents: filed under them or under one of their cases. */
  forMember(reader: EntityManager, memberId: string): Promise<DocumentRow[]> {
    return reader.query(
      `SELECT d.* FROM documents d LEFT JOIN cases c ON c.id = d.case_id
        WHERE d.member_id = $1 OR c.member_id = $1 ORDER BY d.created_at`,
      [memberId],
    );
  }

  /** The documents filed on these cases (a contact's cases, found by its email or phone). */
  forCases(reader: EntityManager, caseIds: string[]): Promise<DocumentRow[]> {
    if (!caseIds.length) return Promise.resolve([]);
    return reader.query(
      `SELECT d.* FROM documents d WHERE d.case_id = ANY($1::uuid[]) ORDER BY d.created_at`,
      [caseIds],
    );
  }

  /** Marks documents deleted (files go on the next purge); returns the ids marked. */
  async markDeleted(tx: Tx, ids: string[], at: Date, reason: string): Promise<void> {
    if (!ids.length) return;
    await tx.query(
      `UPDATE documents SET status = 'deleted', deleted_at = $2, deleted_reason = $3
        WHERE id = ANY($1::uuid[]) AND status = 'active'`,
      [ids, at, reason],
    );
    await tx.query(
      `UPDATE document_versions SET file_name = NULL WHERE document_id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Active documents past retention and not on legal hold, locked for the purge. */
  expired(tx: Tx, now: Date, limit: number): Promise<Array<{ id: string }>> {
    return tx.query(
      `SELECT id FROM documents WHERE status = 'active' AND NOT legal_hold AND retain_until < $1
        ORDER BY retain_until LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Versions of deleted documents whose file is still stored. */
  toPurge(tx: Tx, limit: number): Promise<Array<{ id: string; storage_key: string }>> {
    return tx.query(
      `SELECT v.id, v.storage_key FROM document_versions v JOIN documents d ON d.id = v.document_id
        WHERE d.status = 'deleted' AND v.storage_key IS NOT NULL
        LIMIT $1 FOR UPDATE OF v SKIP LOCKED`,
      [limit],
    );
  }

  async purged(tx: Tx, ids: string[], at: Date): Promise<void> {
    await tx.query(
      `UPDATE document_versions SET storage_key = NULL, purged_at = $2 WHERE id = ANY($1::bigint[])`,
      [ids, at],
    );
  }
}
