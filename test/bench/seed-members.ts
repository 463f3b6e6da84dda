/**
 * Bulk seeding for benchmarks: N members with a terms consent, an active card each (16-digit
 * number with a valid Luhn digit, never sequential), a point account and a welcome lot of points
 * (entry + lot + movement, so invariant 1 holds and `ledger:check` passes), in a few set-based
 * statements — about a second per 100,000 members on this machine, against minutes through the API.
 *
 * Card number of member i (1-based): '40' + ((i × K) mod 10^13, 13 digits) + Luhn digit, where K
 * is odd and not a multiple of 5, so i ↦ number is a bijection (no collisions) that looks random.
 * `benchCardNumber(i)` computes the same number in JavaScript, so the load generator can pick
 * random members without reading 1,000,000 numbers back.
 */
import { isValidLuhn, luhnCheckDigit } from '../../src/modules/cards/luhn';
import { Client } from 'pg';

const K = 6364136223846793n;
const MOD = 10n ** 13n;
export const WELCOME_POINTS = 100;

export function benchCardNumber(i: number): string {
  const body = '40' + ((BigInt(i) * K) % MOD).toString().padStart(13, '0');
  return body + String(luhnCheckDigit(body));
}

/**
 * The Luhn check digit of the 15-digit `body` as one SQL expression (no function call per row):
 * the i-th digit from the right is doubled when i is odd (as in luhnCheckDigit).
 */
const LUHN_DIGIT_SQL = (() => {
  const terms: string[] = [];
  for (let i = 1; i <= 15; i++) {
    const d = `substr(body, ${16 - i}, 1)::int`;
    terms.push(i % 2 === 1 ? `((${d} * 2) % 10 + (${d} * 2) / 10)` : d);
  }
  return `((10 - (${terms.join(' + ')}) % 10) % 10)`;
})();

export interface SeedTiming {
  step: string;
  ms: number;
}

export async function seedMembers(
  url: string,
  count: number,
  log: (m: string) => void = () => undefined,
): Promise<SeedTiming[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const timings: SeedTiming[] = [];
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const started = Date.now();
    await client.query(sql, params);
    const ms = Date.now() - started;
    timings.push({ step: name, ms });
    log(`  ${name.padEnd(22)} ${(ms / 1000).toFixed(1)} s`);
  };
  try {
    // Seeding is not the thing measured: its own commits need not wait for the disk.
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await client.query(`SET work_mem = '64MB'`);
    await step(
      'numbering',
      `CREATE TEMP TABLE bench_seed AS
         SELECT i, gen_random_uuid() AS member_id,
                '40' || lpad(((i::numeric * $2::numeric) % $3::numeric)::text, 13, '0') AS body
           FROM generate_series(1, $1::int) AS i`,
      [count, K.toString(), MOD.toString()],
    );
    await step(
      'members',
      `INSERT INTO members (id, first_name, last_name, email, locale, status, enrolment_channel,
                            created_at, updated_at)
       SELECT member_id, 'Socio', 'Prueba ' || i, 'bench-' || i || '@example.com',
              CASE WHEN i % 5 = 0 THEN 'en' ELSE 'es' END, 'active', 'import',
              now() - (i % 700) * interval '1 day', now()
         FROM bench_seed`,
    );
    await step(
      'consents',
      `INSERT INTO consents (member_id, purpose, granted, channel, text_version, recorded_by_type)
       SELECT member_id, p, true, 'import', 'bench', 'system'
         FROM bench_seed, unnest(ARRAY['terms', 'followup']) AS p`,
    );
    await step(
      'cards',
      `INSERT INTO cards (member_id, number, status, version, secret, pass_auth_token)
       SELECT member_id, body || ${LUHN_DIGIT_SQL}::text, 'active', 1,
              decode(md5(member_id::text || random()::text), 'hex'), md5(random()::text)
         FROM bench_seed`,
    );
    // The load generator computes the numbers itself: they must be the ones stored, and valid.
    const sample = await client.query<{ i: number; number: string }>(
      `SELECT s.i, c.number FROM bench_seed s JOIN cards c USING (member_id)
        WHERE s.i IN (1, 2, 3, $1::int / 2, $1::int)`,
      [count],
    );
    for (const row of sample.rows) {
      if (row.number !== benchCardNumber(row.i) || !isValidLuhn(row.number)) {
        throw new Error(`card of member ${row.i}: ${row.number} ≠ ${benchCardNumber(row.i)}`);
      }
    }
    await step(
      'point accounts',
      `INSERT INTO point_accounts (member_id, balance, pending, lifetime_earned)
       SELECT member_id, $1, 0, $1 FROM bench_seed`,
      [WELCOME_POINTS],
    );
    const base = await client.query<{ e: string; l: string }>(
      `SELECT coalesce(max(id), 0) AS e, (SELECT coalesce(max(id), 0) FROM point_lots) AS l
         FROM ledger_entries`,
    );
    const entryBase = Number(base.rows[0].e);
    const lotBase = Number(base.rows[0].l);
    await step(
      'welcome entries',
      `INSERT INTO ledger_entries (id, member_id, kind, points, pending_points, balance_after,
                                   actor_type, reason)
       SELECT $1::bigint + i, member_id, 'earn', $2, 0, $2, 'system', 'Welcome points'
         FROM bench_seed`,
      [entryBase, WELCOME_POINTS],
    );
    await step(
      'welcome lots',
      `INSERT INTO point_lots (id, member_id, entry_id, kind, points, remaining, available_at,
                               released, expires_at)
       SELECT $1::bigint + i, member_id, $2::bigint + i, 'earn', $3, $3, now(), true,
              date_trunc('month', now() + interval '24 months') + interval '1 month' - interval '1 second'
         FROM bench_seed`,
      [lotBase, entryBase, WELCOME_POINTS],
    );
    await step(
      'lot movements',
      `INSERT INTO point_lot_movements (entry_id, lot_id, points)
       SELECT $1::bigint + i, $2::bigint + i, $3 FROM bench_seed`,
      [entryBase, lotBase, WELCOME_POINTS],
    );
    await client.query(
      `SELECT setval(pg_get_serial_sequence('ledger_entries', 'id'), $1::bigint),
              setval(pg_get_serial_sequence('point_lots', 'id'), $2::bigint)`,
      [entryBase + count, lotBase + count],
    );
    // Only the tables seeded here. A database-wide ANALYZE would also record the empty ones
    // (purchases, idempotency keys, purchase counts…) as empty: PostgreSQL then plans lookups on
    // them (and the foreign-key checks that point at them) as sequential scans, which the
    // connections keep while the tables grow during the run. A real database never has those
    // statistics: after the migrations they are unknown (index plans), and autovacuum analyzes a
    // table once it has rows.
    await step(
      'vacuum analyze',
      `VACUUM ANALYZE members, consents, cards, point_accounts, ledger_entries, point_lots,
         point_lot_movements`,
    );
    return timings;
  } finally {
    await client.end();
  }
}
