/**
 * `npm run bench:checkout [-- --members N --seconds S --connections C]`: checkout throughput of
 * the real server on a fresh database.
 *
 * 1. Starts a fresh embedded PostgreSQL in a temp folder with the durable settings `npm start`
 *    uses (fsync and synchronous commits on), migrates it, and bulk-seeds N members (default
 *    100,000) with cards, accounts and a welcome lot (test/bench/seed-members.ts).
 * 2. Starts the built app as `npm start` does (`node <the start script's flags>
 *    dist/src/main.js`, NODE_ENV=production, LOG_LEVEL=warn) as a child process, so its peak RSS (VmHWM in /proc/<pid>/status) is the server's alone.
 * 3. Signs in the bootstrap admin, creates a store and a POS API key, and publishes the demo
 *    promotions when the promotions API takes them (`--promotions 50`: and generated ones up to
 *    50 active, for issue 5's comparison); `--followup-plans 3` adds three active follow-up plans
 *    every purchase matches (issue 10's comparison with none).
 *    `--rate R` offers R scan + purchase pairs per second in all instead of as many as the server
 *    takes: below its limit, the CPU per purchase of two builds compares without saturation's
 *    batching and the two processes' fight for the cores.
 * 4. autocannon, C connections (default 16) for S seconds (default 20), each looping
 *    scan (a random member's card number) → purchase (3 lines, a fresh Idempotency-Key and
 *    ticket number each, for the member the scan returned).
 * 5. Prints purchases/s, purchase latency p50/p95/p99 (and the scan's), errors (non-2xx and
 *    socket errors/timeouts), the server's peak RSS, then runs `ledger:check` on that database.
 *
 * The last line is `checkout: members=N conc=C rate=R p50=MS p95=MS p99=MS errors=E rss_mb=M`.
 * Built with swc into dist/ (see package.json) and run with plain node: it is not a jest test.
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { openEmbeddedPostgres, runMigrations } from '../../src/database';
import { benchCardNumber, seedMembers } from './seed-members';

interface Options {
  members: number;
  seconds: number;
  connections: number;
  warmup: number;
  keep: boolean;
  /** Folder for a V8 CPU profile of the server (node --cpu-prof), for finding hot spots. */
  profile: string | null;
  /** Load pg_stat_statements and print the statements per purchase after the run. */
  statements: boolean;
  /** Extra node flags for the server (e.g. `--max-semi-space-size=4`), space-separated. */
  serverFlags: string[];
  /** Active promotions: the 3 demo ones, plus generated ones up to this many (issue 5: 50). */
  promotions: number;
  /** Active follow-up plans that every bench purchase matches (issue 10 compares 3 with 0). */
  followupPlans: number;
  /**
   * Scan + purchase pairs offered per second in all (0: as many as the server takes). Below the
   * server's limit, CPU per purchase compares builds without the batching that saturation adds.
   */
  rate: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    members: 100_000,
    seconds: 20,
    connections: 16,
    warmup: 3,
    keep: false,
    profile: null,
    statements: false,
    serverFlags: [],
    promotions: 3,
    followupPlans: 0,
    rate: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = () => Number(inline ?? argv[++i]);
    switch (flag) {
      case '--members':
        opts.members = value();
        break;
      case '--seconds':
        opts.seconds = value();
        break;
      case '--connections':
        opts.connections = value();
        break;
      case '--warmup':
        opts.warmup = value();
        break;
      case '--promotions':
        opts.promotions = value();
        break;
      case '--followup-plans':
        opts.followupPlans = value();
        break;
      case '--rate':
        opts.rate = value();
        break;
      case '--keep':
        opts.keep = true;
        break;
      case '--statements':
        opts.statements = true;
        break;
      case '--profile':
        opts.profile = resolve(inline ?? argv[++i]);
        break;
      case '--server-flags':
        opts.serverFlags = (inline === undefined ? argv[++i] : argv[i].slice(flag.length + 1))
          .split(' ')
          .filter(Boolean);
        break;
      default:
        throw new Error(`unknown option ${argv[i]} (--members N --seconds S --connections C)`);
    }
  }
  for (const k of ['members', 'seconds', 'connections'] as const) {
    if (!Number.isInteger(opts[k]) || opts[k] < 1)
      throw new Error(`--${k} must be a positive integer`);
  }
  return opts;
}

const say = (m: string) => process.stdout.write(`${m}\n`);
const ROOT = resolve(__dirname, '..', '..', '..');
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password-123' };
const MARKETING = { email: 'bench-marketing@example.com', password: 'bench-marketing-pass-123' };

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/**
 * The node flags of `npm start` (package.json "start": `node <flags> dist/src/main.js`), so the
 * bench runs the server exactly as production does; they are defined there only.
 */
function startScriptFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`package.json "start" does not run node: ${words[0]}`);
  const flags: string[] = [];
  for (const w of words.slice(1)) {
    if (!w.startsWith('-')) break;
    flags.push(w);
  }
  return flags;
}

function startServer(
  env: NodeJS.ProcessEnv,
  profile: string | null,
  extra: string[] = [],
): Promise<ChildProcess> {
  const flags = [
    ...startScriptFlags(),
    ...extra,
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
  ];
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [...flags, join(ROOT, 'dist/src/main.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 120_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready in')) {
        clearTimeout(timer);
        ok(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
      process.stderr.write(c);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

const TICK = 100; // USER_HZ: clock ticks per second in /proc/<pid>/stat

/** CPU seconds (user + system) used so far by a process. */
/** CPU seconds of a process in user and in system (kernel) mode. */
function cpuTimesOf(pid: number): { user: number; system: number } {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: Number(fields[11]) / TICK, system: Number(fields[12]) / TICK };
  } catch {
    return { user: 0, system: 0 };
  }
}

function cpuOf(pid: number): number {
  const t = cpuTimesOf(pid);
  return t.user + t.system;
}

/** CPU seconds of the PostgreSQL server and all its backends (children of the postmaster). */
function postgresCpu(clusterDir: string): number {
  const postmaster = Number(
    readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  let total = cpuOf(postmaster);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.split(') ')[1].split(' ')[1]);
      // Exited backends' time is counted in the postmaster's cutime/cstime: ignored here.
      if (ppid === postmaster) total += cpuOf(Number(entry));
    } catch {
      // gone
    }
  }
  return total;
}

/** VmHWM (peak resident set) and VmRSS of a process, in MB. */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

async function call<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** The demo programme's promotions, as the marketing API takes them. */
const BENCH_PROMOTIONS = [
  {
    nameEs: 'Calzado: 5 % en puntos',
    nameEn: 'Shoes: 5 % back in points',
    priority: 10,
    conditions: { type: 'line_category', op: 'in', value: ['shoes'] },
    effects: [{ type: 'percent_of_value', percent: 5, target: { categories: ['shoes'] } }],
  },
  {
    nameEs: '20 puntos desde 50 €',
    nameEn: '20 points from €50',
    priority: 20,
    conditions: { type: 'basket_total', op: 'gte', value: 5000 },
    effects: [{ type: 'fixed_bonus', points: 20 }],
  },
  {
    nameEs: 'Calcetines: 5 puntos por par',
    nameEn: 'Socks: 5 points a pair',
    priority: 30,
    effects: [{ type: 'bonus_per_unit', points: 5, target: { categories: ['socks'] } }],
  },
];

/**
 * `count - 3` more promotions of varied kinds (conditions on the basket, lines, calendar, member;
 * every effect type), as marketing would publish them: for `--promotions 50`.
 */
function generatedPromotions(count: number): typeof BENCH_PROMOTIONS {
  const conditions: unknown[] = [
    { type: 'basket_total', op: 'gte', value: 5000 },
    { type: 'line_category', op: 'in', value: ['shoes', 'bags'] },
    {
      all: [
        { type: 'weekday', op: 'in', value: [1, 2, 3, 4, 5] },
        { type: 'time_of_day', op: 'between', value: ['09:00', '21:00'] },
      ],
    },
    {
      any: [
        { type: 'member_tier', op: 'eq', value: 'Oro' },
        { type: 'member_tag', op: 'eq', value: 'runner' },
      ],
    },
    { type: 'date', op: 'between', value: ['2026-01-01', '2027-12-31'] },
    { type: 'line_quantity', op: 'gte', value: 2, target: { categories: ['socks'] } },
    { type: 'days_since_enrolment', op: 'gte', value: 30 },
    { type: 'line_sku', op: 'in', value: ['SOCK-3P', 'CAP-01'] },
  ];
  const effects: unknown[] = [
    { type: 'fixed_bonus', points: 2 },
    { type: 'bonus_per_unit', points: 1, target: { categories: ['socks'] } },
    { type: 'percent_of_value', percent: 1, target: { categories: ['shoes'] } },
    { type: 'points_per_unit', points: 1, perCents: 1000, target: { skus: ['BAG-TOTE'] } },
  ];
  const out = [];
  for (let i = 0; i < count - BENCH_PROMOTIONS.length; i++) {
    out.push({
      nameEs: `Promoción ${i + 1}`,
      nameEn: `Promotion ${i + 1}`,
      priority: 100 + i,
      conditions: conditions[i % conditions.length],
      effects: [effects[i % effects.length]],
      ...(i % 4 === 0 ? { maxPointsPerPurchase: 200 } : {}),
    });
  }
  return out as typeof BENCH_PROMOTIONS;
}

async function publishPromotions(
  base: string,
  admin: Record<string, string>,
  count: number,
): Promise<string> {
  try {
    await call(
      base,
      'POST',
      '/api/staff',
      { ...MARKETING, name: 'Bench marketing', roles: ['marketing'] },
      admin,
    );
    const { accessToken } = await call<{ accessToken: string }>(
      base,
      'POST',
      '/api/auth/login',
      MARKETING,
    );
    const auth = { Authorization: `Bearer ${accessToken}` };
    let published = 0;
    for (const p of [...BENCH_PROMOTIONS, ...generatedPromotions(count)]) {
      const created = await call<{ id: string }>(base, 'POST', '/api/promotions', p, auth);
      await call(base, 'POST', `/api/promotions/${created.id}/publish`, {}, auth);
      published++;
    }
    return `${published} promotions published`;
  } catch (err) {
    return `no promotions (${(err as Error).message.split('\n')[0].slice(0, 160)})`;
  }
}

/**
 * Follow-up plans every bench purchase matches (its basket has shoes; seeded members consent to
 * follow-up and have an email): each purchase then creates this many tasks in its transaction.
 */
async function createFollowupPlans(base: string, count: number): Promise<string> {
  const { accessToken } = await call<{ accessToken: string }>(
    base,
    'POST',
    '/api/auth/login',
    MARKETING,
  );
  const auth = { Authorization: `Bearer ${accessToken}` };
  for (let i = 0; i < count; i++) {
    await call(
      base,
      'POST',
      '/api/followup-plans',
      {
        name: `Bench survey ${i + 1}`,
        channel: 'email',
        delay: `P${i + 1}D`,
        surveyKind: i % 2 ? 'nps' : 'csat',
        conditions: i === 0 ? { categories: ['shoes'] } : { minTotalCents: 1000 * i },
      },
      auth,
    );
  }
  return `${count} follow-up plans active`;
}

const LINES = [
  { sku: 'SHOE-RUN-42', category: 'shoes', quantity: 1, unitPriceCents: 5999 },
  { sku: 'SOCK-3P', category: 'socks', quantity: 2, unitPriceCents: 899 },
  { sku: 'BAG-TOTE', category: 'bags', quantity: 1, unitPriceCents: 1450 },
];

interface Stats {
  purchaseLatencies: number[];
  scanLatencies: number[];
  purchasesOk: number;
  purchaseErrors: Map<number, number>;
  scanErrors: Map<number, number>;
  sample: string[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function drive(
  base: string,
  apiKey: string,
  members: number,
  seconds: number,
  connections: number,
  stats: Stats,
  rate = 0,
): Promise<autocannon.Result> {
  const count = (map: Map<number, number>, status: number) =>
    map.set(status, (map.get(status) ?? 0) + 1);
  const note = (what: string, status: number, body: string) => {
    if (stats.sample.length < 5) stats.sample.push(`${what} ${status}: ${body.slice(0, 300)}`);
  };
  type Ctx = { code?: string; memberId?: string; t0?: bigint };
  const options: autocannon.Options<Ctx> = {
    url: base,
    connections,
    duration: seconds,
    pipelining: 1,
    // Two requests (scan, purchase) per pair.
    ...(rate > 0 ? { overallRate: rate * 2 } : {}),
    timeout: 10,
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    requests: [
      {
        method: 'POST',
        path: '/api/checkout/scan',
        setupRequest: (req, ctx) => {
          ctx.code = benchCardNumber(randomInt(1, members + 1));
          ctx.t0 = process.hrtime.bigint();
          return { ...req, body: JSON.stringify({ code: ctx.code }) };
        },
        onResponse: (status, body, ctx) => {
          if (ctx.t0) stats.scanLatencies.push(Number(process.hrtime.bigint() - ctx.t0) / 1e6);
          if (status === 200) ctx.memberId = (JSON.parse(body) as { memberId: string }).memberId;
          else {
            count(stats.scanErrors, status);
            note('scan', status, body);
          }
        },
      },
      {
        method: 'POST',
        path: '/api/checkout/purchases',
        setupRequest: (req, ctx) => {
          const key = randomUUID();
          ctx.t0 = process.hrtime.bigint();
          return {
            ...req,
            headers: { ...req.headers, 'idempotency-key': key },
            body: JSON.stringify({
              ...(ctx.memberId ? { memberId: ctx.memberId } : { code: ctx.code }),
              externalId: `B-${key.slice(0, 18)}`,
              currency: 'EUR',
              lines: LINES,
            }),
          };
        },
        onResponse: (status, body, ctx) => {
          if (ctx.t0) stats.purchaseLatencies.push(Number(process.hrtime.bigint() - ctx.t0) / 1e6);
          if (status === 201) stats.purchasesOk++;
          else {
            count(stats.purchaseErrors, status);
            note('purchase', status, body);
          }
        },
      },
    ],
  };
  return new Promise((ok, fail) =>
    autocannon(options, (err, result) => (err ? fail(err) : ok(result))),
  );
}

async function sql<T = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

/** WAL position (bytes) and updates / HOT updates per table, to compare before and after a run. */
async function writesOf(
  url: string,
): Promise<{ wal: number; upd: Record<string, number>; hot: Record<string, number> }> {
  const [w] = await sql<{ wal: string }>(
    url,
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS wal`,
  );
  const rows = await sql<{ relname: string; upd: string; hot: string }>(
    url,
    `SELECT relname, n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables`,
  );
  return {
    wal: Number(w.wal),
    upd: Object.fromEntries(rows.map((r) => [r.relname, Number(r.upd)])),
    hot: Object.fromEntries(rows.map((r) => [r.relname, Number(r.hot)])),
  };
}

/** What the database did for each purchase (scan included): statements, calls, time. */
async function printStatements(url: string, purchases: number): Promise<void> {
  const rows = await sql<{ calls: string; ms: string; mean: string; plan: string; query: string }>(
    url,
    `SELECT calls, round(total_exec_time::numeric, 1) AS ms, round(mean_exec_time::numeric, 3) AS mean,
            round((total_plan_time / greatest(calls, 1))::numeric, 3) AS plan,
            regexp_replace(query, '[[:space:]]+', ' ', 'g') AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY calls DESC, total_exec_time DESC LIMIT 40`,
  );
  const all = await sql<{ calls: string; ms: string; plan: string }>(
    url,
    `SELECT sum(calls) AS calls, round(sum(total_exec_time)::numeric, 1) AS ms,
            round(sum(total_plan_time)::numeric, 1) AS plan FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  const per = (n: number) => (n / Math.max(purchases, 1)).toFixed(2);
  say(
    `statements: ${all[0].calls} calls (${per(Number(all[0].calls))} per scan+purchase), ${all[0].ms} ms executing, ${all[0].plan} ms planning`,
  );
  for (const r of rows) {
    say(
      `  ${per(Number(r.calls)).padStart(6)}/purchase  exec ${r.mean.padStart(7)} ms  plan ${r.plan.padStart(6)} ms  ${r.query.slice(0, 150)}`,
    );
  }
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', () => undefined); // the progress bar
    child.on('exit', (code) => ok({ code: code ?? 1, out }));
  });
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'fidelia-bench-'));
  // Searchable by user postgres (the server's user as root); mkdtemp makes it private.
  chmodSync(work, 0o755);
  say(
    `checkout bench: ${opts.members} members, ${opts.connections} connections, ${opts.seconds} s (data in ${work})`,
  );
  let pg = await openEmbeddedPostgres({ dataDir: join(work, 'db'), fast: false });
  let server: ChildProcess | undefined;
  try {
    if (opts.statements) {
      const c = new Client({ connectionString: pg.url });
      await c.connect();
      await c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
      await c.query(`ALTER SYSTEM SET pg_stat_statements.track_planning = on`);
      await c.end();
      await pg.stop();
      pg = await openEmbeddedPostgres({ dataDir: join(work, 'db'), fast: false });
    }
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query('CREATE DATABASE fidelia_bench');
    const settings = await admin.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')`,
    );
    await admin.end();
    say(`PostgreSQL: ${settings.rows.map((r) => `${r.name}=${r.setting}`).join(' ')}`);
    const url = pg.url.replace(/\/postgres$/, '/fidelia_bench');
    await runMigrations(url);
    if (opts.statements) {
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.query(`CREATE EXTENSION pg_stat_statements`);
      await c.end();
    }

    let started = Date.now();
    say(`seeding ${opts.members} members…`);
    await seedMembers(url, opts.members, say);
    say(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      DATA_DIR: join(work, 'app'),
      SEED_DEMO: 'false',
      RUN_MIGRATIONS: 'false',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    };
    started = Date.now();
    server = await startServer(env, opts.profile, opts.serverFlags);
    say(
      `server pid ${server.pid} (node ${[...startScriptFlags(), ...opts.serverFlags].join(' ')}) ` +
        `ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const { accessToken } = await call<{ accessToken: string }>(
      base,
      'POST',
      '/api/auth/login',
      ADMIN,
    );
    const auth = { Authorization: `Bearer ${accessToken}` };
    const store = await call<{ id: string }>(
      base,
      'POST',
      '/api/stores',
      { code: 'BENCH-01', name: 'Bench store', timeZone: 'Europe/Madrid' },
      auth,
    );
    const key = await call<{ key: string }>(
      base,
      'POST',
      '/api/api-keys',
      { name: 'Bench till', storeId: store.id },
      auth,
    );
    say(await publishPromotions(base, auth, opts.promotions));
    if (opts.followupPlans > 0) say(await createFollowupPlans(base, opts.followupPlans));

    const fresh = (): Stats => ({
      purchaseLatencies: [],
      scanLatencies: [],
      purchasesOk: 0,
      purchaseErrors: new Map(),
      scanErrors: new Map(),
      sample: [],
    });
    if (opts.warmup > 0) {
      say(`warm-up ${opts.warmup} s…`);
      const warm = fresh();
      await drive(base, key.key, opts.members, opts.warmup, opts.connections, warm);
      if (warm.purchasesOk === 0)
        throw new Error(`no purchase succeeded in the warm-up:\n${warm.sample.join('\n')}`);
    }
    const rssBefore = memoryOf(server.pid!);
    if (opts.statements) await sql(url, `SELECT pg_stat_statements_reset()`);
    const writes0 = await writesOf(url);
    const stats = fresh();
    say(`running ${opts.seconds} s${opts.rate ? ` at ${opts.rate} scans + purchases/s` : ''}…`);
    const serverTimes0 = cpuTimesOf(server.pid!);
    const cpu0 = {
      server: serverTimes0.user + serverTimes0.system,
      pg: postgresCpu(pg.clusterDir),
      bench: process.cpuUsage(),
    };
    const t0 = Date.now();
    const result = await drive(
      base,
      key.key,
      opts.members,
      opts.seconds,
      opts.connections,
      stats,
      opts.rate,
    );
    const elapsed = (Date.now() - t0) / 1000;
    const mem = memoryOf(server.pid!);
    await sql(url, `SELECT pg_stat_force_next_flush()`).catch(() => undefined);
    const writes1 = await writesOf(url);
    const serverTimes1 = cpuTimesOf(server.pid!);
    const cpu = {
      server: serverTimes1.user + serverTimes1.system - cpu0.server,
      serverSystem: serverTimes1.system - serverTimes0.system,
      pg: postgresCpu(pg.clusterDir) - cpu0.pg,
      bench: (() => {
        const u = process.cpuUsage(cpu0.bench);
        return (u.user + u.system) / 1e6;
      })(),
    };

    const lat = stats.purchaseLatencies.sort((a, b) => a - b);
    const scanLat = stats.scanLatencies.sort((a, b) => a - b);
    const purchaseErrors = [...stats.purchaseErrors.values()].reduce((s, n) => s + n, 0);
    const scanErrors = [...stats.scanErrors.values()].reduce((s, n) => s + n, 0);
    const errors = purchaseErrors + scanErrors + result.errors;
    const rate = stats.purchasesOk / elapsed;
    const fmt = (n: number) => n.toFixed(1);
    say('');
    say(
      `purchases: ${stats.purchasesOk} in ${fmt(elapsed)} s = ${fmt(rate)}/s (each after a scan: ${fmt((stats.purchasesOk + scanLat.length) / elapsed)} requests/s)`,
    );
    say(
      `purchase latency ms: p50 ${fmt(percentile(lat, 50))}  p95 ${fmt(percentile(lat, 95))}  p99 ${fmt(percentile(lat, 99))}  max ${fmt(lat[lat.length - 1] ?? NaN)}`,
    );
    say(
      `scan latency ms:     p50 ${fmt(percentile(scanLat, 50))}  p95 ${fmt(percentile(scanLat, 95))}  p99 ${fmt(percentile(scanLat, 99))}`,
    );
    say(
      `errors: ${errors} (purchase non-2xx ${purchaseErrors} ${JSON.stringify(Object.fromEntries(stats.purchaseErrors))}, scan non-2xx ${scanErrors}, socket errors ${result.errors}, timeouts ${result.timeouts})`,
    );
    for (const s of stats.sample) say(`  e.g. ${s}`);
    if (opts.statements) await printStatements(url, stats.purchasesOk);
    const perPurchase = (s: number) => ((1000 * s) / Math.max(stats.purchasesOk, 1)).toFixed(1);
    say(
      `CPU over the run: server ${fmt(cpu.server)} s (${perPurchase(cpu.server)} ms per scan+purchase, ` +
        `${perPurchase(cpu.serverSystem)} ms of it in the kernel), ` +
        `PostgreSQL ${fmt(cpu.pg)} s (${perPurchase(cpu.pg)} ms), load generator ${fmt(cpu.bench)} s; ` +
        `machine load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
    );
    const hot = (t: string) => {
      const upd = (writes1.upd[t] ?? 0) - (writes0.upd[t] ?? 0);
      const h = (writes1.hot[t] ?? 0) - (writes0.hot[t] ?? 0);
      return `${t} ${upd ? Math.round((100 * h) / upd) : 0} % of ${upd}`;
    };
    say(
      `WAL ${((writes1.wal - writes0.wal) / 1024 / Math.max(stats.purchasesOk, 1)).toFixed(1)} kB ` +
        `per scan+purchase; HOT updates: ${hot('cards')}, ${hot('point_accounts')}`,
    );
    say(
      `server RSS: peak ${fmt(mem.peak)} MB (VmHWM), now ${fmt(mem.now)} MB, before the run ${fmt(rssBefore.now)} MB`,
    );

    server.kill('SIGTERM');
    await new Promise((ok) => server!.once('exit', ok));
    server = undefined;

    say('ledger:check…');
    const check = await runCli(['ledger:check'], { ...env, LOG_LEVEL: 'error' });
    say(check.out.trim());
    if (check.code !== 0) say(`ledger:check exited with ${check.code}`);

    say(
      `checkout: members=${opts.members} conc=${opts.connections} rate=${Math.round(rate)} ` +
        `p50=${Math.round(percentile(lat, 50))} p95=${Math.round(percentile(lat, 95))} ` +
        `p99=${Math.round(percentile(lat, 99))} errors=${errors} rss_mb=${Math.round(mem.peak)}`,
    );
    return check.code === 0 ? 0 : 1;
  } finally {
    if (server) {
      server.kill('SIGTERM');
      await new Promise((ok) => server!.once('exit', ok));
    }
    await pg.stop();
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:checkout failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
