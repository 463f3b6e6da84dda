import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEFAULT_TIME_ZONE } from './calendar/local-time';

/**
 * The local date of an instant in the case's store's time zone (Madrid without a store): every
 * cut by day or month goes through this, never through the UTC date.
 */
export const localDay = (column: string) =>
  `(${column} AT TIME ZONE coalesce((SELECT s.time_zone FROM stores s WHERE s.id = c.store_id), '${DEFAULT_TIME_ZONE}'))::date`;

/**
 * An index-friendly bound around local dates [from, to]: no zone is more than 14 hours from
 * UTC, so one day of margin each side holds every local day; the exact cut is `localDay`.
 */
export const utcMargin = (column: string, from: string, to: string) =>
  `${column} >= ((${from}::date - 1)::timestamp AT TIME ZONE 'UTC')
   AND ${column} < ((${to}::date + 2)::timestamp AT TIME ZONE 'UTC')`;

export interface CaseFiguresRow {
  total: number;
  resolved_on_time: number;
  resolved_late: number;
  by_kind: Array<{ kind: string; count: number }>;
  by_category: Array<{ category: string | null; count: number }>;
  by_department: Array<{ department: string | null; count: number }>;
  by_month: Array<{ month: string; count: number }>;
  sla_breaches: number;
}

/** Case figures of a period of local dates (each case's store's day). */
@Injectable()
export class CasePeriodFiguresRepository {
  async figures(
    reader: EntityManager,
    q: { from: string; to: string; storeId: string | null },
  ): Promise<CaseFiguresRow> {
    const rows: CaseFiguresRow[] = await reader.query(
      `WITH p AS (
         SELECT c.kind, c.category, c.department, c.due_at, c.resolved_at,
                ${localDay('c.created_at')} AS day
           FROM cases c
          WHERE ${utcMargin('c.created_at', '$1', '$2')}
            AND ($3::uuid IS NULL OR c.store_id = $3)),
       inside AS (SELECT * FROM p WHERE day BETWEEN $1::date AND $2::date)
       SELECT (SELECT count(*)::int FROM inside) AS total,
              (SELECT count(*)::int FROM inside WHERE resolved_at <= due_at) AS resolved_on_time,
              (SELECT count(*)::int FROM inside WHERE resolved_at > due_at) AS resolved_late,
              coalesce((SELECT jsonb_agg(jsonb_build_object('kind', kind, 'count', n) ORDER BY kind)
                 FROM (SELECT kind, count(*)::int n FROM inside GROUP BY kind) k), '[]') AS by_kind,
              coalesce((SELECT jsonb_agg(jsonb_build_object('category', category, 'count', n)
                                ORDER BY n DESC, category)
                 FROM (SELECT category, count(*)::int n FROM inside GROUP BY category) k), '[]')
                AS by_category,
              coalesce((SELECT jsonb_agg(jsonb_build_object('department', department, 'count', n)
                                ORDER BY n DESC, department)
                 FROM (SELECT department, count(*)::int n FROM inside GROUP BY department) k), '[]')
                AS by_department,
              coalesce((SELECT jsonb_agg(jsonb_build_object('month', m, 'count', n) ORDER BY m)
                 FROM (SELECT to_char(day, 'YYYY-MM') m, count(*)::int n FROM inside GROUP BY 1) k),
                 '[]') AS by_month,
              (SELECT count(*)::int FROM cases c
                WHERE c.breached_at IS NOT NULL AND ${utcMargin('c.due_at', '$1', '$2')}
                  AND ($3::uuid IS NULL OR c.store_id = $3)
                  AND ${localDay('c.due_at')} BETWEEN $1::date AND $2::date) AS sla_breaches`,
      [q.from, q.to, q.storeId],
    );
    return rows[0];
  }
}
