import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../database';

export interface SnapshotRow {
  id: string;
  storeId: string | null;
  query: Record<string, unknown>;
  report: Record<string, unknown>;
  proposal: string;
  createdByType: string;
  createdById: string | null;
  createdAt: Date;
}

const COLUMNS = `id, store_id AS "storeId", query, report, proposal,
  created_by_type AS "createdByType", created_by_id AS "createdById", created_at AS "createdAt"`;

@Injectable()
export class ReportSnapshotsRepository {
  async insert(tx: Tx, row: SnapshotRow): Promise<void> {
    await tx.query(
      `INSERT INTO report_snapshots (id, store_id, query, report, proposal, created_by_type,
         created_by_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        row.id,
        row.storeId,
        JSON.stringify(row.query),
        JSON.stringify(row.report),
        row.proposal,
        row.createdByType,
        row.createdById,
        row.createdAt,
      ],
    );
  }

  /** Newest first; keyset on (created_at, id); only one store's when `storeId` is given. */
  async list(
    reader: EntityManager,
    q: { storeId?: string | null; before?: { at: string; id: string }; limit: number },
  ): Promise<SnapshotRow[]> {
    return reader.query(
      `SELECT ${COLUMNS} FROM report_snapshots
        WHERE ($1::uuid IS NULL OR store_id = $1)
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [q.storeId ?? null, q.before?.at ?? null, q.before?.id ?? null, q.limit],
    );
  }
}
