/**
 * `npm run bench:search [-- --members N --queries Q]`: latency of `GET /api/search` over a
 * million members (issue 12: p95 ≤ 50 ms).
 *
 * 1. A fresh embedded PostgreSQL in a temp folder, migrated; N members (default 1,000,000) with
 *    Spanish names drawn from 40 first names × 40 × 40 surnames (so a surname alone matches about
 *    5% of them: the worst case of a picker), an email, a mobile phone and a card each, inserted
 *    set-based with the members' indexes dropped and rebuilt after (as a bulk import would).
 *    A few knowledge-base articles.
 * 2. The app in this process (Fastify on 127.0.0.1, the real modules, audit on), an agent signed in.
 * 3. Q queries one at a time (default 600) from one client, mixed: an exact card number (plain and
 *    with spaces), an email, a phone in three formats, a full name without accents, a surname
 *    alone, a name prefix, article words. Each answer is checked (the exact ones first).
 * 4. Prints p50/p95/p99 per kind of query and overall. Last line `search: search_p95_ms=N`.
 *
 * `--data DIR` keeps the database in DIR (seeded on the first run, reused by the next ones), so
 * plans can be studied and changes measured without seeding a million members again.
 */
import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApp } from '../../src/app.setup';
import { loadConfig } from '../../src/config';
import { openEmbeddedPostgres, runMigrations } from '../../src/database';
import { AuditService } from '../../src/modules/audit';
import { StaffService } from '../../src/modules/auth';
import { TransactionRunner } from '../../src/database';

const FIRST = [
  'Ana',
  'Lucía',
  'María',
  'Carmen',
  'Laura',
  'Marta',
  'Elena',
  'Sara',
  'Paula',
  'Julia',
  'Irene',
  'Nuria',
  'Rocío',
  'Sofía',
  'Alba',
  'Inés',
  'Beatriz',
  'Clara',
  'Raquel',
  'Silvia',
  'José',
  'Antonio',
  'Manuel',
  'Francisco',
  'David',
  'Javier',
  'Daniel',
  'Carlos',
  'Jesús',
  'Alejandro',
  'Miguel',
  'Rafael',
  'Pablo',
  'Sergio',
  'Álvaro',
  'Adrián',
  'Jorge',
  'Iván',
  'Rubén',
  'Óscar',
];
const SURNAMES = [
  'García',
  'Rodríguez',
  'González',
  'Fernández',
  'López',
  'Martínez',
  'Sánchez',
  'Pérez',
  'Gómez',
  'Martín',
  'Jiménez',
  'Ruiz',
  'Hernández',
  'Díaz',
  'Moreno',
  'Muñoz',
  'Álvarez',
  'Romero',
  'Alonso',
  'Gutiérrez',
  'Navarro',
  'Torres',
  'Domínguez',
  'Vázquez',
  'Ramos',
  'Gil',
  'Ramírez',
  'Serrano',
  'Blanco',
  'Molina',
  'Morales',
  'Suárez',
  'Ortega',
  'Delgado',
  'Castro',
  'Ortiz',
  'Rubio',
  'Marín',
  'Sanz',
  'Núñez',
];

const K = 6364136223846793n;
const MOD = 10n ** 13n;
const card = (i: number) => '40' + ((BigInt(i) * K) % MOD).toString().padStart(13, '0') + '0';
const phoneDigits = (i: number) => '6' + String((i * 7919) % 100_000_000).padStart(8, '0');
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const nameOf = (i: number) => ({
  first: FIRST[i % 40],
  last: `${SURNAMES[Math.floor(i / 40) % 40]} ${SURNAMES[Math.floor(i / 1600) % 40]}`,
});
const emailOf = (i: number) => {
  const { first, last } = nameOf(i);
  return `${fold(first)}.${fold(last.split(' ')[0])}.${i}@example.com`;
};

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const say = (m: string) => console.log(m);

async function databaseExists(url: string, name: string): Promise<boolean> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await c.end();
  }
}

async function seed(url: string, n: number) {
  const c = new Client({ connectionString: url });
  await c.connect();
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const t0 = Date.now();
    await c.query(sql, params);
    say(`  ${name.padEnd(24)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  try {
    await c.query(`SET synchronous_commit = off`);
    await c.query(`SET maintenance_work_mem = '256MB'`);
    const { rows: indexes } = await c.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
        WHERE tablename IN ('members', 'cards') AND indexname NOT LIKE '%pkey'
          AND indexdef NOT LIKE 'CREATE UNIQUE%'`,
    );
    for (const ix of indexes) await c.query(`DROP INDEX ${ix.name}`);
    await step(
      'numbering',
      `CREATE TEMP TABLE bench_seed AS
         SELECT i, gen_random_uuid() AS id FROM generate_series(1, $1::int) AS i`,
      [n],
    );
    await step(
      'members',
      `INSERT INTO members (id, first_name, last_name, email, phone, locale, status,
                            enrolment_channel, created_at, updated_at)
       SELECT id, ($1::text[])[1 + i % 40],
              ($2::text[])[1 + (i / 40) % 40] || ' ' || ($2::text[])[1 + (i / 1600) % 40],
              lower(public.unaccent(($1::text[])[1 + i % 40])) || '.'
                || lower(public.unaccent(($2::text[])[1 + (i / 40) % 40])) || '.' || i || '@example.com',
              '+346' || lpad(((i::bigint * 7919) % 100000000)::text, 8, '0'),
              CASE WHEN i % 5 = 0 THEN 'en' ELSE 'es' END, 'active', 'import',
              now() - (i % 700) * interval '1 day', now()
         FROM bench_seed`,
      [FIRST, SURNAMES],
    );
    await step(
      'cards',
      `INSERT INTO cards (member_id, number, status, secret, pass_auth_token)
       SELECT id, '40' || lpad(((i::numeric * $1::numeric) % $2::numeric)::text, 13, '0') || '0',
              'active', decode(md5(id::text), 'hex'), md5(id::text)
         FROM bench_seed`,
      [K.toString(), MOD.toString()],
    );
    for (const ix of indexes) await step(`index ${ix.name}`, ix.def);
    await step('vacuum analyze', `VACUUM ANALYZE members, cards`);
  } finally {
    await c.end();
  }
}

interface Probe {
  kind: string;
  q: string;
  /** The answer must start with this member index (exact identifiers) or just be non-empty. */
  first?: number;
}

function probes(n: number, count: number): Probe[] {
  const out: Probe[] = [];
  const pick = () => randomInt(1, n + 1);
  const makers: (() => Probe)[] = [
    () => {
      const i = pick();
      return { kind: 'card', q: card(i), first: i };
    },
    () => {
      const i = pick();
      return {
        kind: 'card spaced',
        q: card(i)
          .replace(/(\d{4})/g, '$1 ')
          .trim(),
        first: i,
      };
    },
    () => {
      const i = pick();
      return { kind: 'email', q: emailOf(i), first: i };
    },
    () => {
      const i = pick();
      return { kind: 'phone', q: phoneDigits(i), first: i };
    },
    () => {
      const i = pick();
      const d = phoneDigits(i);
      return {
        kind: 'phone +34 dashes',
        q: `+34 ${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
        first: i,
      };
    },
    () => {
      const i = pick();
      const d = phoneDigits(i);
      return {
        kind: 'phone spaced',
        q: `${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5, 7)} ${d.slice(7)}`,
        first: i,
      };
    },
    () => {
      const { first, last } = nameOf(pick());
      return { kind: 'full name folded', q: fold(`${first} ${last}`) };
    },
    () => ({ kind: 'surname alone', q: SURNAMES[randomInt(40)].toUpperCase() }),
    () => ({
      kind: 'name prefix',
      q: fold(`${FIRST[randomInt(40)]} ${SURNAMES[randomInt(40)].slice(0, 4)}`),
    }),
    () => ({
      kind: 'article words',
      q: ['horario', 'devolucion', 'puntos caducan', 'plantillas'][randomInt(4)],
    }),
  ];
  for (let k = 0; k < count; k++) out.push(makers[k % makers.length]());
  return out;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<number> {
  const n = arg('members', 1_000_000);
  const count = arg('queries', 600);
  const keep = process.argv.includes('--data')
    ? process.argv[process.argv.indexOf('--data') + 1]
    : null;
  const work = keep ?? mkdtempSync(join(tmpdir(), 'fidelia-bench-'));
  mkdirSync(work, { recursive: true });
  chmodSync(work, 0o755);
  say(`search bench: ${n} members, ${count} queries one at a time (data in ${work})`);
  say(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  // `--url postgres://…` measures an already seeded database (e.g. one a previous run left).
  let given = process.argv.includes('--url')
    ? process.argv[process.argv.indexOf('--url') + 1]
    : null;
  const pg = given
    ? { url: given, stop: async () => undefined }
    : await openEmbeddedPostgres({ dataDir: join(work, 'db'), fast: true });
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    let url = pg.url;
    if (keep && !given && (await databaseExists(pg.url, 'fidelia_bench'))) {
      given = url = pg.url.replace(/\/postgres$/, '/fidelia_bench');
      say(`reusing the database seeded in ${work}`);
    }
    if (!given) {
      const admin = new Client({ connectionString: pg.url });
      await admin.connect();
      await admin.query('CREATE DATABASE fidelia_bench');
      await admin.end();
      url = pg.url.replace(/\/postgres$/, '/fidelia_bench');
      await runMigrations(url);
      const t0 = Date.now();
      say(`seeding ${n} members…`);
      await seed(url, n);
      say(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }

    const config = loadConfig(
      {
        NODE_ENV: 'production',
        JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        DATA_DIR: join(work, 'app'),
        AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      },
      {},
    );
    app = await createApp(config, url, { schedule: false, logger: false });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const staff = app.get(StaffService);
    if (!given)
      await staff.create({
        email: 'agent@bench.test',
        name: 'Bench',
        password: 'correct-horse-battery',
        roles: ['agent', 'supervisor'],
      });
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'agent@bench.test', password: 'correct-horse-battery' }),
    });
    const headers = {
      Authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`,
    };
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const cat = given
      ? { id: '' }
      : await post('/api/kb/categories', {
          slug: 'faq',
          nameEs: 'Preguntas',
          nameEn: 'FAQ',
        });
    for (const [slug, es, en] of [
      [
        'opening-hours',
        'Horario de las tiendas: de lunes a sábado de 10 a 21.',
        'Opening hours: Monday to Saturday 10 to 21.',
      ],
      ['returns', 'Devoluciones: 30 días con el ticket.', 'Returns: 30 days with the receipt.'],
      ['points', 'Los puntos caducan a los 24 meses.', 'Points expire after 24 months.'],
      ['shoes', 'Cambia las plantillas cada 500 km.', 'Replace the insoles every 500 km.'],
    ]) {
      if (given) break;
      await post('/api/kb/articles', {
        slug,
        categoryId: cat.id,
        titleEs: es.split(':')[0],
        bodyEs: es,
        titleEn: en.split(':')[0],
        bodyEn: en,
      });
    }

    // The member index of each exact probe, by its email's suffix (the seed's i).
    const indexOf = async (id: string) => {
      const r = await fetch(`${base}/api/members/${id}`, { headers });
      const m = (await r.json()) as { email: string };
      return Number(/\.(\d+)@/.exec(m.email)?.[1]);
    };
    const all = probes(n, count);
    for (const p of all.slice(0, 20))
      await fetch(`${base}/api/search?q=${encodeURIComponent(p.q)}`, { headers }); // warm-up
    const times = new Map<string, number[]>();
    let wrong = 0;
    for (const p of all) {
      const started = process.hrtime.bigint();
      const res = await fetch(`${base}/api/search?q=${encodeURIComponent(p.q)}`, { headers });
      const body = (await res.json()) as { items: { id: string; kind: string }[] };
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      (times.get(p.kind) ?? times.set(p.kind, []).get(p.kind)!).push(ms);
      if (res.status !== 200 || !body.items.length) wrong++;
      else if (p.first !== undefined && wrong < 5 && Math.random() < 0.1) {
        if ((await indexOf(body.items[0].id)) !== p.first) {
          wrong++;
          say(`  wrong first hit for ${p.kind} ${p.q}`);
        }
      }
    }
    say(
      `${'query'.padEnd(20)} ${'n'.padStart(4)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)}  ms`,
    );
    const everything: number[] = [];
    for (const [kind, list] of times) {
      const s = [...list].sort((a, b) => a - b);
      everything.push(...s);
      say(
        `${kind.padEnd(20)} ${String(s.length).padStart(4)} ${pct(s, 50).toFixed(1).padStart(7)} ${pct(s, 95).toFixed(1).padStart(7)} ${pct(s, 99).toFixed(1).padStart(7)}`,
      );
    }
    everything.sort((a, b) => a - b);
    const p95 = pct(everything, 95);
    say(
      `${'all'.padEnd(20)} ${String(everything.length).padStart(4)} ${pct(everything, 50).toFixed(1).padStart(7)} ${p95.toFixed(1).padStart(7)} ${pct(everything, 99).toFixed(1).padStart(7)}`,
    );
    say(`answers without hits or with a wrong first hit: ${wrong}`);
    // What auditing a read costs: one insert, as each staff read makes.
    const audit = app.get(AuditService);
    const reader = app.get(TransactionRunner).reader;
    const inserts: number[] = [];
    for (let k = 0; k < 300; k++) {
      const started = process.hrtime.bigint();
      await audit.log(reader, { action: 'bench.read', entity: 'member', details: { k } });
      inserts.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    inserts.sort((a, b) => a - b);
    say(
      `audit insert: p50 ${pct(inserts, 50).toFixed(2)} ms, p95 ${pct(inserts, 95).toFixed(2)} ms`,
    );
    say(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    say(`search: search_p95_ms=${p95.toFixed(1)}`);
    return wrong === 0 ? 0 : 1;
  } finally {
    await app?.close();
    await pg.stop();
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
