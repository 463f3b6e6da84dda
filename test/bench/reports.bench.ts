/**
 * `npm run bench:reports`: the satisfaction report (GET /api/reports/satisfaction's service, with
 * its previous period, complaint figures and conclusions) over 1,000,000 survey responses in one
 * year, 20 stores, 4 channels, 50 agents, and 10,000 complaint cases. Goal ≤ 1 s. The answers are
 * written straight into the tables, then the daily roll-up is rebuilt from them (timed: the
 * migration's backfill does the same). The median of 5 warm runs per grouping is printed; the
 * headline is grouping by store. Then the write path: answers recorded through the service (each
 * adds to the roll-up in its transaction) by 8 concurrent lanes on one store, channel and agent —
 * the hottest roll-up rows.
 *
 * Built as parts, so the CRM's search benchmark can join it: each part returns `name=value`
 * figures and the last line is `reports: <all figures>` (today `report_ms=N`; a
 * `search_p95_ms=N` part is to be added by the search module).
 *
 * Options: --responses N (default 1000000), --cases N (default 10000), --answers N (default 2000).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createApp } from '../../src/app.setup';
import type { StaffPrincipal } from '../../src/common';
import { loadConfig } from '../../src/config';
import { openEmbeddedPostgres, runMigrations } from '../../src/database';
import { TransactionRunner } from '../../src/database';
import { ReportsService } from '../../src/modules/reports';
import { SatisfactionService } from '../../src/modules/satisfaction';
import { StoresService } from '../../src/modules/stores';

type Part = (ctx: BenchContext) => Promise<Record<string, number>>;

interface BenchContext {
  app: INestApplication;
  db: Client;
  argv: string[];
}

const arg = (argv: string[], name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The satisfaction report part: seeds responses and invitations, then times the report. */
const reportPart: Part = async ({ app, db, argv }) => {
  const responses = arg(argv, '--responses', 1_000_000);
  const stores: string[] = [];
  for (let i = 0; i < 20; i++) {
    const s = await app
      .get(StoresService)
      .create({ code: `R-${i}`, name: `Store ${i}`, timeZone: 'Europe/Madrid' });
    stores.push(s.id);
  }
  let t0 = Date.now();
  // One year of answers: kind alternates, scores spread over their scales, 1–2 categories each.
  await db.query(
    `INSERT INTO survey_responses (id, kind, score, channel, store_id, agent_id, categories, answered_at)
     SELECT gen_random_uuid(),
            CASE WHEN g % 2 = 0 THEN 'nps' ELSE 'csat' END,
            CASE WHEN g % 2 = 0 THEN (g * 7) % 11 ELSE 1 + (g * 3) % 5 END,
            (ARRAY['email','sms','phone','web'])[1 + g % 4],
            ($1::uuid[])[1 + g % 20],
            ('00000000-0000-4000-8000-' || lpad((g % 50)::text, 12, '0'))::uuid,
            CASE WHEN g % 3 = 0 THEN ARRAY['shoes','socks'] ELSE ARRAY[(ARRAY['shoes','bags','coffee'])[1 + g % 3]] END,
            timestamptz '2026-01-01 00:00:00+01' + (g::double precision / $2) * interval '365 days'
       FROM generate_series(0, $2 - 1) AS g`,
    [stores, responses],
  );
  await db.query(
    `INSERT INTO survey_invitations (id, token_hash, kind, store_id, channel, agent_id, created_at, expires_at)
     SELECT gen_random_uuid(), decode(md5(g::text), 'hex'), 'nps', ($1::uuid[])[1 + g % 20],
            (ARRAY['email','sms','phone','web'])[1 + g % 4],
            ('00000000-0000-4000-8000-' || lpad((g % 50)::text, 12, '0'))::uuid,
            timestamptz '2026-01-01 00:00:00+01' + (g::double precision / $2) * interval '365 days',
            timestamptz '2026-01-15 00:00:00+01' + (g::double precision / $2) * interval '365 days'
       FROM generate_series(0, $2 - 1) AS g`,
    [stores, Math.round(responses * 1.25)],
  );
  // Complaints and incidents over the year: categories, stores, a third resolved late, a tenth open.
  const cases = arg(argv, '--cases', 10_000);
  await db.query(
    `INSERT INTO cases (registry_number, kind, channel, category, status, contact_name, store_id,
            subject, description, sla_amount, sla_unit, sla_started_at, due_at, escalate_at,
            resolved_at, created_by_type, created_at, updated_at)
     SELECT 'REC-BENCH-' || g, CASE WHEN g % 4 = 0 THEN 'incident' ELSE 'complaint' END, 'phone',
            (ARRAY['product','delivery','staff','billing','store'])[1 + g % 5],
            CASE WHEN g % 10 = 0 THEN 'open' ELSE 'resolved' END, 'Bench', ($1::uuid[])[1 + g % 20],
            'Bench', 'Bench', 30, 'cd', t.at, t.at + interval '30 days', t.at + interval '24 days',
            CASE WHEN g % 10 = 0 THEN NULL
                 ELSE t.at + (CASE WHEN g % 3 = 0 THEN 40 ELSE 1 + g % 20 END) * interval '1 day' END,
            'system', t.at, t.at
       FROM generate_series(0, $2 - 1) AS g
      CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 00:00:00+01'
                                 + (g::double precision / $2) * interval '365 days' AS at) t`,
    [stores, cases],
  );
  await db.query('VACUUM ANALYZE survey_responses');
  await db.query('VACUUM ANALYZE survey_invitations');
  await db.query('VACUUM ANALYZE cases');
  console.log(`seeded ${responses} responses in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  t0 = Date.now();
  await app.get(SatisfactionService).rebuildDaily();
  await db.query('VACUUM ANALYZE satisfaction_daily');
  const rollup = Date.now() - t0;
  const [{ n }] = (
    await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM satisfaction_daily`)
  ).rows;
  console.log(`roll-up rebuilt in ${(rollup / 1000).toFixed(1)} s: ${n} rows`);

  if (argv.includes('--explain')) {
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS)
       SELECT coalesce(r.store_id::text, '') AS key, count(*)::int,
              count(*) FILTER (WHERE r.kind = 'nps' AND r.score >= 9)::int
         FROM survey_responses r
        WHERE r.answered_at >= '2025-12-31T23:00:00Z' AND r.answered_at < '2026-12-31T23:00:00Z'
        GROUP BY 1`,
    );
    console.log(plan.rows.map((p) => p['QUERY PLAN']).join('\n'));
  }
  const reports = app.get(ReportsService);
  const admin: StaffPrincipal = { kind: 'staff', userId: 'bench', roles: ['admin'] };
  const figures: Record<string, number> = {};
  for (const groupBy of ['store', 'channel', 'month', 'category'] as const) {
    const q = { from: '2026-01-01', to: '2026-12-31', groupBy };
    const first = await reports.satisfactionReport(q, 'en', admin);
    if (first.total.responses !== responses) {
      throw new Error(`the report counted ${first.total.responses} responses, not ${responses}`);
    }
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      await reports.satisfactionReport(q, 'en', admin);
      times.push(performance.now() - t0);
    }
    figures[`report_${groupBy}_ms`] = Math.round(median(times));
    console.log(
      `report by ${groupBy}: median ${median(times).toFixed(0)} ms (runs ${times.map((x) => x.toFixed(0)).join(', ')})`,
    );
  }
  figures.rollup_rebuild_ms = rollup;
  figures.rollup_rows = n;
  const answers = arg(argv, '--answers', 2000);
  figures.answers_hot_per_s = await writePath(app, [stores[0]], answers, 'the same roll-up rows');
  figures.answers_spread_per_s = await writePath(app, stores.slice(0, 8), answers, 'own stores');
  return { report_ms: figures.report_store_ms, ...figures };
};

/** Answers recorded through the service by 8 lanes at once (lane i on store i mod the list). */
async function writePath(
  app: INestApplication,
  storeIds: string[],
  answers: number,
  what: string,
): Promise<number> {
  const satisfaction = app.get(SatisfactionService);
  const tx = app.get(TransactionRunner);
  const lanes = 8;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      const storeId = storeIds[lane % storeIds.length];
      for (let i = 0; i < answers / lanes; i++)
        await tx.run((em) =>
          satisfaction.recordAnswer(em, {
            kind: 'nps',
            score: 8,
            channel: 'phone',
            memberId: null,
            storeId,
            agentId: '00000000-0000-4000-8000-000000000001',
            categories: ['shoes'],
          }),
        );
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `write path: ${answers} answers by ${lanes} lanes on ${what} in ${seconds.toFixed(1)} s (${Math.round(answers / seconds)}/s)`,
  );
  return Math.round(answers / seconds);
}

async function main() {
  const argv = process.argv.slice(2);
  const work = mkdtempSync(join(tmpdir(), 'fidelia-reports-bench-'));
  chmodSync(work, 0o755);
  const pg = await openEmbeddedPostgres({ dataDir: join(work, 'db'), fast: false });
  const admin = new Client({ connectionString: pg.url });
  await admin.connect();
  await admin.query('CREATE DATABASE fidelia_bench');
  await admin.end();
  const url = pg.url.replace(/\/postgres$/, '/fidelia_bench');
  await runMigrations(url);
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      DATA_DIR: join(work, 'data'),
    },
    {},
  );
  const app = await createApp(config, url, { schedule: false, logger: false });
  await app.init();
  const db = new Client({ connectionString: url });
  await db.connect();
  const parts: [string, Part][] = [['report', reportPart]];
  const all: Record<string, number> = {};
  try {
    for (const [, part] of parts) Object.assign(all, await part({ app, db, argv }));
  } finally {
    await db.end();
    await app.close();
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const headline = ['report_ms', 'search_p95_ms'].filter((k) => k in all);
  console.log(`reports: ${headline.map((k) => `${k}=${all[k]}`).join(' ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
