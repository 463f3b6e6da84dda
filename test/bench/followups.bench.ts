/**
 * `npm run bench:followups [-- --tasks N --members M --future F]`: the follow-up scheduler on a
 * fresh durable embedded PostgreSQL (fsync on, as `npm start`).
 *
 * 1. Seeds M members (default 20,000: follow-up consent and an email each), one store and an
 *    email plan with a CSAT survey.
 * 2. One worker: N due tasks (default 100,000); a worker process (this script with `--worker`,
 *    the real app without HTTP) runs `FollowupDispatcher.dispatchDue()` until none is due: each
 *    task claimed (FOR UPDATE SKIP LOCKED), a survey invitation and an outbox row written (one
 *    insert each per batch of 500). Workers run with OUTBOX_SEND=false: writing the messages is
 *    measured, sending them is not.
 *    Timed from the "go" sent to ready workers until they all finish.
 * 3. Two workers: N more due tasks, two worker processes at once; checks each task ran once.
 * 4. Idle tick: F future tasks (default 1,000,000), nothing due; the median of 50 ticks, and the
 *    claim query's plan (EXPLAIN) naming the partial index.
 * 5. Satisfaction report: 1,000,000 survey responses; `SatisfactionService.aggregate` over a
 *    year, grouped by store, channel, agent, category and month.
 *
 * Last line: `followups: one_worker_per_s=N two_workers_per_s=N idle_tick_ms=N`.
 */
import { FollowupDispatcher } from '../../src/modules/followup/followup-dispatcher.service';
import type { INestApplication } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup';
import { loadConfig } from '../../src/config';
import { openEmbeddedPostgres, runMigrations } from '../../src/database';
import { FollowupPlansService } from '../../src/modules/followup';
import { SatisfactionService } from '../../src/modules/satisfaction';
import { StoresService } from '../../src/modules/stores';
import { seedMembers } from './seed-members';

const say = (m: string) => process.stdout.write(`${m}\n`);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number`);
  return v;
}

async function startApp(url: string, dataDir: string): Promise<INestApplication> {
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      RUN_MIGRATIONS: 'false',
      JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
      FOLLOWUP_BATCH_SIZE: '500',
      // The workers only write messages (what the issue measures); nothing sends them.
      OUTBOX_SEND: 'false',
    },
    {},
  );
  const app = await createApp(config, url, { schedule: false, logger: false });
  await app.init();
  return app;
}

/** Worker mode: boot, say "ready", wait for "go", dispatch everything due, print the counts. */
async function worker(url: string, dataDir: string): Promise<void> {
  const app = await startApp(url, dataDir);
  const dispatcher = app.get(FollowupDispatcher);
  await app.get(FollowupPlansService).activePlans(); // warm: the plans cache
  say('ready');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((ok) => lines.once('line', () => ok()));
  const r = await dispatcher.dispatchDue();
  say(`done ${JSON.stringify(r)}`);
  lines.close();
  await app.close();
}

async function runWorkers(count: number, url: string, dataDir: string) {
  const children: ChildProcess[] = [];
  const results: Promise<{ claimed: number; sent: number }>[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(
      process.execPath,
      [__filename, '--worker', url, join(dataDir, `worker-${i}`)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    children.push(child);
    const out = createInterface({ input: child.stdout });
    let readyOk!: () => void;
    ready.push(new Promise((ok) => (readyOk = ok)));
    results.push(
      new Promise((ok, fail) => {
        out.on('line', (line) => {
          if (line === 'ready') readyOk();
          else if (line.startsWith('done ')) ok(JSON.parse(line.slice(5)));
        });
        child.on('exit', (code) => code && fail(new Error(`worker exited with ${code}`)));
      }),
    );
  }
  await Promise.all(ready);
  const t0 = process.hrtime.bigint();
  for (const c of children) c.stdin!.write('go\n');
  const done = await Promise.all(results);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, done };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--worker') return worker(process.argv[3], process.argv[4]);
  const tasks = option('tasks', 100_000);
  const members = option('members', 20_000);
  const future = option('future', 1_000_000);
  const responses = option('responses', 1_000_000);
  const work = mkdtempSync(join(tmpdir(), 'fidelia-bench-followups-'));
  say(`followups bench: ${tasks} tasks, ${members} members, ${future} future tasks (in ${work})`);
  const pg = await openEmbeddedPostgres({ dataDir: join(work, 'db'), fast: false });
  let app: INestApplication | undefined;
  const client = new Client({ connectionString: pg.url });
  try {
    await client.connect();
    await client.query('CREATE DATABASE fidelia_bench');
    await client.end();
    const url = pg.url.replace(/\/postgres$/, '/fidelia_bench');
    await runMigrations(url);
    await seedMembers(url, members, say);
    app = await startApp(url, join(work, 'app'));
    const db = app.get(DataSource);
    const store = await app.get(StoresService).create({
      code: 'BENCH-01',
      name: 'Bench store',
      timeZone: 'Europe/Madrid',
    });
    const plan = await app
      .get(FollowupPlansService)
      .create(
        { name: 'Bench survey', channel: 'email', delay: 'PT0S', surveyKind: 'csat' },
        { kind: 'staff', userId: '00000000-0000-4000-8000-000000000001', roles: ['marketing'] },
      );
    const addTasks = async (n: number, dueSql: string) => {
      await db.query(
        `WITH m AS (SELECT id, (row_number() OVER (ORDER BY id) - 1) AS rn FROM members)
         INSERT INTO followup_tasks (id, plan_id, purchase_id, member_id, store_id, channel,
           survey_kind, due_at, max_attempts, categories, total_cents, created_at, updated_at)
         SELECT gen_random_uuid(), $1, gen_random_uuid(), m.id, $2, 'email', 'csat', ${dueSql},
                1, ARRAY['shoes'], 5999, now(), now()
           FROM generate_series(0, $3::int - 1) g JOIN m ON m.rn = g % $4`,
        [plan.id, store.id, n, members],
      );
      await db.query('VACUUM ANALYZE followup_tasks');
    };
    const due = `now() - (g % 3600) * interval '1 second'`;

    await addTasks(tasks, due);
    const one = await runWorkers(1, url, join(work, 'app'));
    const onePerS = Math.round(tasks / one.seconds);
    say(`one worker: ${tasks} tasks in ${one.seconds.toFixed(2)} s = ${onePerS}/s`);

    await addTasks(tasks, due);
    const two = await runWorkers(2, url, join(work, 'app'));
    const twoPerS = Math.round(tasks / two.seconds);
    say(
      `two workers: ${tasks} tasks in ${two.seconds.toFixed(2)} s = ${twoPerS}/s ` +
        `(${two.done.map((d) => d.claimed).join(' + ')} claimed)`,
    );
    const [check] = await db.query(
      `SELECT (SELECT count(*)::int FROM followup_tasks WHERE status = 'done') AS done,
              (SELECT count(*)::int FROM outbox WHERE template = 'survey-invitation') AS messages,
              (SELECT count(DISTINCT task_id)::int FROM survey_invitations) AS invited`,
    );
    say(`check: ${JSON.stringify(check)} (expected ${2 * tasks} each)`);
    if (check.done !== 2 * tasks || check.messages !== 2 * tasks || check.invited !== 2 * tasks)
      throw new Error('a task ran twice or not at all');

    await addTasks(future, `now() + interval '1 day' + (g % 2592000) * interval '1 second'`);
    const dispatcher = app.get(FollowupDispatcher);
    const times: number[] = [];
    for (let i = 0; i < 55; i++) {
      const t0 = process.hrtime.bigint();
      const r = await dispatcher.dispatchDue();
      if (r.claimed) throw new Error('nothing should be due');
      if (i >= 5) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const idle = times[Math.floor(times.length / 2)];
    say(`idle tick over ${future} future tasks: median ${idle.toFixed(2)} ms`);
    for (const [what, query] of [
      [
        'the idle tick',
        `SELECT due_at FROM followup_tasks WHERE status = 'scheduled' ORDER BY due_at LIMIT 1`,
      ],
      [
        'the claim',
        `SELECT * FROM followup_tasks WHERE status = 'scheduled' AND due_at <= now()
          ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED`,
      ],
    ]) {
      const plan: { 'QUERY PLAN': string }[] = await db.query(
        `EXPLAIN (ANALYZE, BUFFERS) ${query}`,
      );
      say(`plan of ${what}:`);
      for (const row of plan) say(`  ${row['QUERY PLAN']}`);
    }

    if (responses > 0) {
      await db.query(
        `INSERT INTO survey_responses (id, kind, score, channel, store_id, agent_id, categories,
           answered_at)
         SELECT gen_random_uuid(), CASE WHEN g % 3 = 0 THEN 'nps' ELSE 'csat' END,
                CASE WHEN g % 3 = 0 THEN g % 11 ELSE 1 + g % 5 END,
                (ARRAY['email','sms','phone'])[1 + g % 3],
                CASE WHEN g % 2 = 0 THEN $1::uuid
                     ELSE ('00000000-0000-4000-9000-' || lpad((g % 20)::text, 12, '0'))::uuid END,
                CASE WHEN g % 3 = 2 THEN ('00000000-0000-4000-8000-' || lpad((g % 40)::text, 12, '0'))::uuid END,
                ARRAY[(ARRAY['shoes','socks','bags','coats'])[1 + g % 4]],
                now() - (g % 365) * interval '1 day'
           FROM generate_series(1, $2::int) g`,
        [store.id, responses],
      );
      await db.query('VACUUM ANALYZE survey_responses');
      const satisfaction = app.get(SatisfactionService);
      for (const groupBy of ['store', 'channel', 'agent', 'category', 'month'] as const) {
        const t0 = process.hrtime.bigint();
        const rows = await satisfaction.aggregate(db.manager, {
          from: new Date(Date.now() - 366 * 86_400_000),
          to: new Date(Date.now() + 86_400_000),
          groupBy,
          timeZone: 'Europe/Madrid',
        });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        say(
          `satisfaction aggregate by ${groupBy} over ${responses} responses: ${ms.toFixed(0)} ms (${rows.length} keys)`,
        );
      }
      const storeOnly = process.hrtime.bigint();
      await satisfaction.aggregate(db.manager, {
        from: new Date(Date.now() - 31 * 86_400_000),
        to: new Date(Date.now() + 86_400_000),
        groupBy: 'month',
        storeId: store.id,
        timeZone: 'Europe/Madrid',
      });
      say(
        `satisfaction aggregate, one store, last 31 days: ${(Number(process.hrtime.bigint() - storeOnly) / 1e6).toFixed(0)} ms`,
      );
    }
    say(
      `followups: one_worker_per_s=${onePerS} two_workers_per_s=${twoPerS} idle_tick_ms=${idle.toFixed(2)}`,
    );
  } finally {
    await app?.close();
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
