/**
 * Cases benchmark: `npm run bench:cases` (builds, then runs this file with node).
 *
 * 100,000 unfinished cases (open, in progress, escalated; a tenth waiting on the customer) with
 * deadlines spread over 30 days around "now" and escalation marks consistent with it. Measures,
 * on the real services (an application context on an embedded PostgreSQL):
 * - `GET /api/cases?due=overdue` and `?due=soon` (first page of 50) and the desk's queue;
 * - the escalation tick one minute later (the cases that crossed 80 % or their deadline in that
 *   minute) and an idle tick;
 * and prints each query's plan. The last line is `cases: overdue_ms=N tick_ms=N`.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common';
import { loadConfig } from '../../src/config';
import { openEmbeddedPostgres, runMigrations } from '../../src/database';
import { CasePeriodFiguresService, CasesService, SlaService } from '../../src/modules/cases';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const NOW = new Date('2026-06-15T10:00:00Z');
const say = (m: string) => process.stdout.write(`${m}\n`);

async function timed(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm-up: plans cached, pages in memory
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function seed(url: string) {
  const c = new Client({ connectionString: url });
  await c.connect();
  // Deadlines every ~26 s over 30 days around NOW; the 80 % mark three working days before.
  await c.query(
    `INSERT INTO cases (registry_number, kind, channel, category, department, status,
                        contact_name, contact_email, subject, description,
                        sla_amount, sla_unit, sla_started_at, due_at, escalate_at,
                        escalation_level, breached_at, created_by_type, created_at, updated_at)
     SELECT 'REC-2026-' || lpad(g::text, 6, '0'),
            (ARRAY['query','incident','complaint','suggestion'])[1 + g % 4],
            (ARRAY['phone','email','web','in_person'])[1 + g % 4],
            'product', 'customer_care',
            CASE WHEN g % 10 = 0 THEN 'waiting' WHEN g % 3 = 0 THEN 'in_progress' ELSE 'open' END,
            'Cliente ' || g, 'c' || g || '@example.com',
            'Asunto del caso ' || g, 'Descripción del caso número ' || g,
            15, 'wd', d - interval '21 days', d, d - interval '3 days',
            0, NULL, 'staff', d - interval '21 days', d - interval '21 days'
       FROM generate_series(1, $1::int) g,
            LATERAL (SELECT $2::timestamptz - interval '15 days'
                            + (g::float / $1 * 30) * interval '1 day' AS d) x`,
    [CASES, NOW],
  );
  // Marks consistent with NOW: what the scheduler would have done already.
  await c.query(
    `UPDATE cases SET escalation_level = 2, breached_at = due_at, status = 'escalated'
      WHERE due_at < $1 AND status <> 'waiting'`,
    [NOW],
  );
  await c.query(
    `UPDATE cases SET escalation_level = 1, status = 'escalated'
      WHERE escalation_level = 0 AND escalate_at <= $1 AND status <> 'waiting'`,
    [NOW],
  );
  await c.query(`INSERT INTO registry_counters VALUES ('REC', 2026, $1)`, [CASES]);
  // Supervisors to notify on every mark (store-less: told of every case).
  await c.query(
    `INSERT INTO staff_users (email, name, password_hash, roles)
     SELECT 'sup' || g || '@example.com', 'Supervisor ' || g, 'x', '{supervisor}'
       FROM generate_series(1, 5) g`,
  );
  await c.query('VACUUM ANALYZE cases');
  await c.end();
}

/** Prints the plan and answers the server's own execution time (no network, no Node). */
async function explain(url: string, label: string, sql: string, args: unknown[]) {
  const c = new Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${sql}`,
    args,
  );
  await c.end();
  say(`  plan of ${label}:`);
  let ms = NaN;
  for (const r of rows) {
    say(`    ${r['QUERY PLAN']}`);
    const m = /Execution Time: ([\d.]+) ms/.exec(r['QUERY PLAN']);
    if (m) ms = Number(m[1]);
  }
  return ms;
}

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'fidelia-bench-'));
  chmodSync(work, 0o755);
  const pg = await openEmbeddedPostgres({ dataDir: join(work, 'db'), fast: false });
  try {
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query('CREATE DATABASE fidelia_bench');
    await admin.end();
    const url = pg.url.replace(/\/postgres$/, '/fidelia_bench');
    await runMigrations(url);
    const started = Date.now();
    await seed(url);
    say(
      `cases bench: ${CASES} unfinished cases seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const config = loadConfig(
      {
        NODE_ENV: 'production',
        DATA_DIR: join(work, 'app'),
        LOG_LEVEL: 'warn',
        // The tick writes the supervisors' emails to the outbox; sending them is the dispatcher's
        // work (any instance), not the tick's, so this one does not send during the timing.
        OUTBOX_SEND: 'false',
        JWT_SECRET: 'x'.repeat(48),
        CARD_CODE_SECRET: 'y'.repeat(48),
      },
      {},
    );
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot(config, url, { schedule: false }),
      { logger: ['error'] }, // the outbox's "SMTP_URL is not set" warnings are expected here,
    );
    try {
      const clock = app.get(Clock);
      const cases = app.get(CasesService);
      const sla = app.get(SlaService);
      clock.set(NOW);

      const overdue = await cases.list({ due: 'overdue', limit: 50 });
      const soon = await cases.list({ due: 'soon', limit: 50 });
      say(`  overdue first page: ${overdue.items.length} cases; soon (48 h): ${soon.items.length}`);
      const overdueMs = await timed(() => cases.list({ due: 'overdue', limit: 50 }));
      const soonMs = await timed(() => cases.list({ due: 'soon', limit: 50 }));
      const deskMs = await timed(() => cases.desk(100));
      const deskDepartmentMs = await timed(() => cases.desk(100, 'customer_care'));
      const figures = app.get(CasePeriodFiguresService);
      const admin = { kind: 'staff' as const, userId: randomUUID(), roles: ['admin' as const] };
      const month = NOW.toISOString().slice(0, 7);
      const figuresMs = await timed(() =>
        figures.figures({ from: `${month}-01`, to: `${month}-28` }, admin),
      );

      // Each run moves the clock one minute: the cases that crossed a mark in it are escalated.
      let marked = 0;
      const tickMs = await timed(async () => {
        clock.advance(60_000);
        const r = await sla.tick();
        marked += r.warned + r.breached;
      });
      const idleMs = await timed(() => sla.tick());
      say(`  tick: ${marked} case(s) escalated over ${RUNS + 3} one-minute ticks`);

      const running = `status IN ('open','in_progress','escalated')`;
      const server: Record<string, number> = {};
      server.overdue = await explain(
        url,
        'overdue',
        `SELECT * FROM cases WHERE ${running} AND due_at < $1 ORDER BY due_at, id LIMIT 51`,
        [NOW],
      );
      server.soon = await explain(
        url,
        'soon',
        `SELECT * FROM cases WHERE ${running} AND due_at >= $1 AND due_at < $2 ORDER BY due_at, id LIMIT 51`,
        [NOW, new Date(NOW.getTime() + 48 * 3600_000)],
      );
      server.warn = await explain(
        url,
        'tick (80 % marks)',
        `SELECT id FROM cases WHERE escalation_level = 0 AND ${running} AND escalate_at <= $1 ORDER BY escalate_at LIMIT 500 FOR UPDATE SKIP LOCKED`,
        [clock.now()],
      );
      server.breach = await explain(
        url,
        'tick (breaches)',
        `SELECT id FROM cases WHERE escalation_level < 2 AND ${running} AND due_at < $1 ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED`,
        [clock.now()],
      );

      say('');
      const load = (await import('node:os')).loadavg()[0].toFixed(1);
      say(`(machine load average ${load}; "server" is PostgreSQL's own execution time)`);
      say('| query | median ms (service call) | server ms |');
      say('| --- | --- | --- |');
      say(`| overdue, first page of 50 | ${overdueMs.toFixed(2)} | ${server.overdue} |`);
      say(`| soon (48 h), first page of 50 | ${soonMs.toFixed(2)} | ${server.soon} |`);
      say(`| desk queue (100) | ${deskMs.toFixed(2)} | |`);
      say(`| desk queue of one department (100) | ${deskDepartmentMs.toFixed(2)} | |`);
      say(`| case figures of a month (local dates) | ${figuresMs.toFixed(2)} | |`);
      say(
        `| escalation tick, one minute of marks | ${tickMs.toFixed(2)} | ${server.breach} + ${server.warn} (selects) |`,
      );
      say(`| escalation tick, nothing to do | ${idleMs.toFixed(2)} | |`);
      say(`cases: overdue_ms=${overdueMs.toFixed(1)} tick_ms=${tickMs.toFixed(1)}`);
    } finally {
      await app.close();
    }
    return 0;
  } finally {
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
