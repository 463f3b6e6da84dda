import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../database';
import type { AggregateRow, GroupBy } from './satisfaction.repository';

/** The zones a row's day is cut in: the organisation's, and each store's own. */
export interface DailyZones {
  organisation: string;
  stores: Map<string, string>;
}

export interface DailyQuery {
  /** Local calendar days in `zone`, both included (YYYY-MM-DD). */
  fromDay: string;
  toDay: string;
  zone: string;
  groupBy: GroupBy;
  storeId?: string;
}

/**
 * Answers and invitations (chosen by `filter` over `r`, the raw row) added to the roll-up: one
 * row per zone, local day, store and dimension value. Grouped first so each key is touched once,
 * and in key order so that two transactions lock shared rows in the same order (no deadlock).
 */
function upsertSql(responses: string, invitations: string): string {
  return `
    WITH src AS (
      SELECT r.answered_at AS at, r.store_id, r.channel, r.agent_id, r.categories, r.kind,
             r.score, 0 AS inv
        FROM survey_responses r WHERE ${responses}
      UNION ALL
      SELECT r.created_at, r.store_id, r.channel, r.agent_id, r.categories, r.kind, NULL, 1
        FROM survey_invitations r WHERE ${invitations})
    INSERT INTO satisfaction_daily AS d (zone, day, store_id, dim, key, responses, nps_responses,
           promoters, detractors, csat_responses, csat_satisfied, invitations)
    SELECT z.zone, (src.at AT TIME ZONE z.zone)::date, src.store_id, k.dim, k.key,
           count(*) FILTER (WHERE inv = 0),
           count(*) FILTER (WHERE inv = 0 AND kind = 'nps'),
           count(*) FILTER (WHERE inv = 0 AND kind = 'nps' AND score >= 9),
           count(*) FILTER (WHERE inv = 0 AND kind = 'nps' AND score <= 6),
           count(*) FILTER (WHERE inv = 0 AND kind = 'csat'),
           count(*) FILTER (WHERE inv = 0 AND kind = 'csat' AND score >= 4),
           count(*) FILTER (WHERE inv = 1)
      FROM src
      LEFT JOIN unnest($2::uuid[], $3::text[]) AS st(id, zone) ON st.id = src.store_id
     CROSS JOIN LATERAL (SELECT DISTINCT unnest(ARRAY[$1::text, coalesce(st.zone, $1)])) z(zone)
     CROSS JOIN LATERAL (
           SELECT 'channel', src.channel
           UNION ALL SELECT 'agent', coalesce(src.agent_id::text, '')
           UNION ALL SELECT 'category', c
             FROM unnest(CASE WHEN cardinality(src.categories) = 0 THEN ARRAY['']::text[]
                              ELSE src.categories END) c) k(dim, key)
     GROUP BY 1, 2, 3, 4, 5
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (zone, dim, day, store_id, key) DO UPDATE SET
       responses = d.responses + excluded.responses,
       nps_responses = d.nps_responses + excluded.nps_responses,
       promoters = d.promoters + excluded.promoters,
       detractors = d.detractors + excluded.detractors,
       csat_responses = d.csat_responses + excluded.csat_responses,
       csat_satisfied = d.csat_satisfied + excluded.csat_satisfied,
       invitations = d.invitations + excluded.invitations`;
}

const ADD_RESPONSES = upsertSql('r.id = ANY($4::uuid[])', 'false');
const ADD_INVITATIONS = upsertSql('false', 'r.id = ANY($4::uuid[])');
const ADD_ALL = upsertSql('$4::uuid[] IS NULL', '$4::uuid[] IS NULL');

const DIMENSION: Record<GroupBy, { dim: string; key: string }> = {
  // Each answer is in exactly one channel row: stores and months are summed from those.
  store: { dim: 'channel', key: `coalesce(store_id::text, '')` },
  month: { dim: 'channel', key: `to_char(day, 'YYYY-MM')` },
  channel: { dim: 'channel', key: 'key' },
  agent: { dim: 'agent', key: 'key' },
  category: { dim: 'category', key: 'key' },
};

/** SQL of the satisfaction roll-up (`satisfaction_daily`). */
@Injectable()
export class SatisfactionDailyRepository {
  async addResponses(tx: Tx, ids: string[], zones: DailyZones): Promise<void> {
    if (ids.length) await tx.query(ADD_RESPONSES, [...zoneParams(zones), ids]);
  }

  async addInvitations(tx: Tx, ids: string[], zones: DailyZones): Promise<void> {
    if (ids.length) await tx.query(ADD_INVITATIONS, [...zoneParams(zones), ids]);
  }

  /** The roll-up recomputed from the raw tables (after a store's or the organisation's zone changed). */
  async rebuild(tx: Tx, zones: DailyZones): Promise<void> {
    await tx.query(`DELETE FROM satisfaction_daily`);
    await tx.query(ADD_ALL, [...zoneParams(zones), null]);
  }

  async aggregate(reader: EntityManager, q: DailyQuery): Promise<AggregateRow[]> {
    const { dim, key } = DIMENSION[q.groupBy];
    const rows: AggregateRow[] = await reader.query(
      `SELECT ${key} AS key, sum(responses)::int AS responses, sum(invitations)::int AS invitations,
              sum(nps_responses)::int AS "npsResponses", sum(promoters)::int AS promoters,
              sum(detractors)::int AS detractors, sum(csat_responses)::int AS "csatResponses",
              sum(csat_satisfied)::int AS "csatSatisfied"
         FROM satisfaction_daily
        WHERE zone = $1 AND dim = $2 AND day >= $3::date AND day <= $4::date
          AND ($5::uuid IS NULL OR store_id = $5)
        GROUP BY 1`,
      [q.zone, dim, q.fromDay, q.toDay, q.storeId ?? null],
    );
    return rows;
  }
}

function zoneParams(zones: DailyZones): [string, string[], string[]] {
  return [zones.organisation, [...zones.stores.keys()], [...zones.stores.values()]];
}
