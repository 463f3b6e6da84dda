import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Complaints and incidents: what went wrong for a customer (queries and suggestions are not). */
export const COMPLAINT_KINDS = ['complaint', 'incident'] as const;

export type CaseFiguresGroupBy = 'store' | 'category' | 'month';

export interface CaseFiguresRow {
  key: string;
  cases: number;
  slaBreaches: number;
  resolved: number;
  /** Hours from filing to resolution (calendar hours, pauses included), over resolved cases. */
  meanResolutionHours: number | null;
  p90ResolutionHours: number | null;
}

const KEY: Record<CaseFiguresGroupBy | 'all', string> = {
  all: `''`,
  store: `coalesce(c.store_id::text, '')`,
  category: `coalesce(c.category, '')`,
  month: `to_char(c.created_at AT TIME ZONE $5, 'YYYY-MM')`,
};

/**
 * Complaint figures of cases filed in [from, to). A case breached its deadline when the tick
 * marked it, when it was resolved after it, or when it still runs past it (the tick not yet come).
 */
@Injectable()
export class CaseFiguresRepository {
  async figures(
    reader: EntityManager,
    q: { from: Date; to: Date; storeId: string | null; now: Date; timeZone: string },
    groupBy: CaseFiguresGroupBy | 'all',
  ): Promise<CaseFiguresRow[]> {
    return reader.query(
      `SELECT ${KEY[groupBy]} AS key, count(*)::int AS cases,
              count(*) FILTER (WHERE c.breached_at IS NOT NULL OR c.resolved_at > c.due_at
                 OR (c.status IN ('open','in_progress','escalated') AND c.due_at < $4))::int
                AS "slaBreaches",
              count(c.resolved_at)::int AS resolved,
              round(avg(extract(epoch FROM c.resolved_at - c.created_at) / 3600)::numeric, 1)::float8
                AS "meanResolutionHours",
              round((percentile_cont(0.9) WITHIN GROUP (
                       ORDER BY extract(epoch FROM c.resolved_at - c.created_at) / 3600))::numeric, 1)::float8
                AS "p90ResolutionHours"
         FROM cases c
        WHERE c.kind IN ('complaint','incident') AND c.created_at >= $1 AND c.created_at < $2
          AND ($3::uuid IS NULL OR c.store_id = $3) AND $5::text IS NOT NULL
        GROUP BY 1
        ORDER BY 1`,
      [q.from, q.to, q.storeId, q.now, q.timeZone],
    );
  }
}
