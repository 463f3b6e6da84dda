import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The satisfaction report's roll-up: per time zone, local day, store and one dimension (channel,
 * agent or purchase category), the counts of answers and invitations. Kept by the satisfaction
 * module in the transaction that records an answer or an invitation; the raw tables stay the
 * source of truth. Counts only: no member, no text, nothing personal.
 *
 * A day is cut in two zones: the store's own and the organisation's (REPORTS_TIME_ZONE), so that
 * a store's report (its zone) and the all-stores report (the organisation's) both read whole days.
 * Rows of a zone equal to the organisation's are not duplicated.
 */
export class CreateSatisfactionDaily1766100000000 implements MigrationInterface {
  name = 'CreateSatisfactionDaily1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE satisfaction_daily (
        zone text NOT NULL,
        day date NOT NULL,
        store_id uuid NULL,
        dim text NOT NULL,
        key text NOT NULL,
        responses integer NOT NULL DEFAULT 0,
        nps_responses integer NOT NULL DEFAULT 0,
        promoters integer NOT NULL DEFAULT 0,
        detractors integer NOT NULL DEFAULT 0,
        csat_responses integer NOT NULL DEFAULT 0,
        csat_satisfied integer NOT NULL DEFAULT 0,
        invitations integer NOT NULL DEFAULT 0,
        CONSTRAINT satisfaction_daily_dim_check CHECK (dim IN ('channel','agent','category'))
      )`);
    // The upsert's key and the report's range scan (zone, dimension, days; the store filtered in).
    await q.query(`
      CREATE UNIQUE INDEX satisfaction_daily_key
        ON satisfaction_daily (zone, dim, day, store_id, key) NULLS NOT DISTINCT`);
    // The backfill: the same statement as SatisfactionRepository.rebuildDaily, zones from stores.
    const orgZone = process.env.REPORTS_TIME_ZONE || 'Europe/Madrid';
    await q.query(
      `WITH src AS (
         SELECT r.answered_at AS at, r.store_id, r.channel, r.agent_id, r.categories, r.kind,
                r.score, 0 AS inv, s.time_zone
           FROM survey_responses r LEFT JOIN stores s ON s.id = r.store_id
         UNION ALL
         SELECT i.created_at, i.store_id, i.channel, i.agent_id, i.categories, i.kind, NULL, 1,
                s.time_zone
           FROM survey_invitations i LEFT JOIN stores s ON s.id = i.store_id)
       INSERT INTO satisfaction_daily AS d (zone, day, store_id, dim, key, responses,
              nps_responses, promoters, detractors, csat_responses, csat_satisfied, invitations)
       SELECT z.zone, (src.at AT TIME ZONE z.zone)::date, src.store_id, k.dim, k.key,
              count(*) FILTER (WHERE inv = 0),
              count(*) FILTER (WHERE inv = 0 AND kind = 'nps'),
              count(*) FILTER (WHERE inv = 0 AND kind = 'nps' AND score >= 9),
              count(*) FILTER (WHERE inv = 0 AND kind = 'nps' AND score <= 6),
              count(*) FILTER (WHERE inv = 0 AND kind = 'csat'),
              count(*) FILTER (WHERE inv = 0 AND kind = 'csat' AND score >= 4),
              count(*) FILTER (WHERE inv = 1)
         FROM src
        CROSS JOIN LATERAL (SELECT DISTINCT unnest(ARRAY[$1::text, coalesce(src.time_zone, $1)])) z(zone)
        CROSS JOIN LATERAL (
              SELECT 'channel', src.channel
              UNION ALL SELECT 'agent', coalesce(src.agent_id::text, '')
              UNION ALL SELECT 'category', c
                FROM unnest(CASE WHEN cardinality(src.categories) = 0 THEN ARRAY['']::text[]
                                 ELSE src.categories END) c) k(dim, key)
        GROUP BY 1, 2, 3, 4, 5`,
      [orgZone],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE satisfaction_daily`);
  }
}
