/**
 * `npm run bench:reports`: the satisfaction report (GET /api/reports/satisfaction's service, with
 * its previous period and conclusions) over 1,000,000 survey responses in one year, 20 stores,
 * 4 channels, 50 agents. Goal ≤ 1 s. The median of 5 warm runs per grouping is printed; the
 * headline is grouping by store.
 *
 * Built as parts, so the CRM's search benchmark can join it: each part returns `name=value`
 * figures and the last line is `reports: <all figures>` (today `report_ms=N`; a
 * `search_p95_ms=N` part is to be added by the search module).
 *
 * Options: --responses N (default 1000000).
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
import { ReportsService } from '../../src/modules/reports';
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
  await db.query('VACUUM ANALYZE survey_responses');
  await db.query('VACUUM ANALYZE survey_invitations');
  console.log(`seeded ${responses} responses in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

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
  return { report_ms: figures.report_store_ms, ...figures };
};

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
