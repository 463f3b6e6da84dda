/**
 * `npm run bench:promotions`: evaluations per second of 50 active promotions against a 20-line
 * basket on one core (the pure evaluator, compiled once, as the till uses it), in the worst case:
 * every promotion applies. The rate is per CPU-second of this single-threaded process, so other
 * load on the machine does not hide it (the wall-clock rate is printed too). The last line is
 * `promotions: evals_per_s=N`.
 */
import { PurchaseDto } from '../../src/modules/checkout/dto/checkout.dto';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApp } from '../../src/app.setup';
import { loadConfig } from '../../src/config';
import { openEmbeddedPostgres, runMigrations } from '../../src/database';
import { ApiKeysService } from '../../src/modules/auth';
import { PurchasesService } from '../../src/modules/checkout';
import { MembersService } from '../../src/modules/members';
import { PromotionsService } from '../../src/modules/promotions';
import { CreatePromotionDto } from '../../src/modules/promotions/dto/promotion.dto';
import { StoresService } from '../../src/modules/stores';
import {
  compileRules,
  Condition,
  Effect,
  evaluate,
  EvaluationContext,
  PromotionRule,
} from '../../src/modules/promotions/engine';

const CATEGORIES = ['shoes', 'socks', 'shirts', 'coffee', 'bags'];

function promotions_(count: number): PromotionRule[] {
  const out: PromotionRule[] = [
    {
      id: 'base',
      version: 1,
      name: 'Base rate',
      priority: 1000,
      exclusive: false,
      base: true,
      effects: [{ type: 'points_per_unit', points: 1, perCents: 100 }],
    },
  ];
  const conditions: Condition[] = [
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
    { type: 'date', op: 'between', value: ['2026-11-01', '2026-12-31'] },
    { type: 'line_quantity', op: 'gte', value: 3, target: { categories: ['socks'] } },
    { type: 'store', op: 'in', value: ['store-1', 'store-2'] },
    { type: 'days_since_enrolment', op: 'gte', value: 30 },
  ];
  const effects: Effect[] = [
    { type: 'fixed_bonus', points: 20 },
    { type: 'multiplier', factorPercent: 150 },
    { type: 'bonus_per_unit', points: 5, target: { categories: ['socks'] } },
    { type: 'percent_of_value', percent: 5, target: { categories: ['shoes'] } },
    { type: 'points_per_unit', points: 2, perCents: 100, target: { skus: ['SKU-3', 'SKU-7'] } },
  ];
  for (let i = 1; i < count; i++) {
    out.push({
      id: `promo-${String(i).padStart(2, '0')}`,
      version: 1,
      name: `Promotion ${i}`,
      priority: 100 - i,
      exclusive: false,
      conditions: conditions[i % conditions.length],
      effects: [effects[i % effects.length]],
      maxPointsPerPurchase: i % 4 === 0 ? 200 : null,
    });
  }
  return out;
}

function context(): EvaluationContext {
  return {
    now: new Date('2026-11-27T11:00:00Z'),
    timeZone: 'Europe/Madrid',
    storeId: 'store-1',
    channel: 'till',
    basket: {
      lines: Array.from({ length: 20 }, (_, i) => ({
        sku: `SKU-${i}`,
        category: CATEGORIES[i % CATEGORIES.length],
        quantity: 1 + (i % 3),
        unitPriceCents: 299 + i * 137,
      })),
    },
    member: {
      id: 'm',
      tier: 'Plata',
      enrolledAt: '2026-01-10',
      birthDate: '1990-11-03',
      tags: ['runner'],
      firstPurchase: false,
      profilingConsent: true,
    },
  };
}

/**
 * `--till`: the whole checkout purchase in-process (PurchasesService.purchase: idempotency key,
 * promotions, ledger), on a fresh embedded PostgreSQL, with the 3 promotions of the checkout
 * bench and then with 50 active promotions; prints purchases/s of each and their ratio.
 */
async function till(argv: string[]): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const seconds = arg('--seconds', 10);
  const connections = arg('--connections', 8);
  const memberCount = arg('--members', 200);
  const work = mkdtempSync(join(tmpdir(), 'fidelia-promo-bench-'));
  // Searchable by user postgres (the server's user as root); mkdtemp makes it private.
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
  try {
    const store = await app
      .get(StoresService)
      .create({ code: 'B-1', name: 'Bench', timeZone: 'Europe/Madrid' });
    const key = await app.get(ApiKeysService).create({ name: 'bench', storeId: store.id });
    const pos = {
      kind: 'pos' as const,
      apiKeyId: key.id,
      roles: ['cashier'] as ['cashier'],
      storeId: store.id,
    };
    const members: string[] = [];
    for (let i = 0; i < memberCount; i++) {
      const { member } = await app.get(MembersService).enrol(
        Object.assign(
          {},
          {
            firstName: 'Bench',
            lastName: String(i),
            email: `bench-${i}@example.com`,
            storeId: store.id,
            consents: { terms: true, profiling: true },
          },
        ),
        { channel: 'till' },
      );
      members.push(member.id);
    }
    const promotions = app.get(PromotionsService);
    const checkout = app.get(PurchasesService);
    const lines = [
      { sku: 'SHOE-RUN-42', category: 'shoes', quantity: 1, unitPriceCents: 5999 },
      { sku: 'SOCK-3P', category: 'socks', quantity: 2, unitPriceCents: 899 },
      { sku: 'CAP-01', category: 'accessories', quantity: 1, unitPriceCents: 1500 },
    ];
    // The checkout bench's promotions first, then more of the pure bench's kind.
    const three = (
      id: string,
      name: string,
      priority: number,
      effects: Effect[],
      conditions?: Condition,
    ): PromotionRule => ({ id, version: 1, name, priority, exclusive: false, conditions, effects });
    const pool: PromotionRule[] = [
      three(
        'c1',
        'Shoes: 5 % back in points',
        10,
        [{ type: 'percent_of_value', percent: 5, target: { categories: ['shoes'] } }],
        { type: 'line_category', op: 'in', value: ['shoes'] },
      ),
      three('c2', '20 points from €50', 20, [{ type: 'fixed_bonus', points: 20 }], {
        type: 'basket_total',
        op: 'gte',
        value: 5000,
      }),
      three('c3', 'Socks: 5 points a pair', 30, [
        { type: 'bonus_per_unit', points: 5, target: { categories: ['socks'] } },
      ]),
      ...promotions_(47),
    ];
    const publishUpTo = async (count: number, have: number) => {
      for (let i = have; i < count; i++) {
        const r = pool[i];
        const dto = Object.assign(new CreatePromotionDto(), {
          nameEs: r.name,
          nameEn: r.name,
          priority: r.priority,
          base: !!r.base,
          conditions: r.conditions ?? undefined,
          effects: r.effects,
          maxPointsPerPurchase: r.maxPointsPerPurchase ?? undefined,
        });
        const created = await promotions.create(dto);
        await promotions.publish(created.id);
      }
    };
    const run = async (label: string) => {
      let done = 0;
      let errors = 0;
      const until = Date.now() + seconds * 1000;
      const latencies: number[] = [];
      await Promise.all(
        Array.from({ length: connections }, async (_, c) => {
          let i = c;
          while (Date.now() < until) {
            const memberId = members[i++ % members.length];
            const t0 = process.hrtime.bigint();
            try {
              await checkout.purchase(
                Object.assign(new PurchaseDto(), { memberId, currency: 'EUR', lines }),
                pos,
                randomUUID(),
              );
              done++;
            } catch {
              errors++;
            }
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      const rate = done / seconds;
      console.log(
        `${label}: ${rate.toFixed(0)} purchases/s, p50 ${latencies[Math.floor(latencies.length / 2)].toFixed(1)} ms, ` +
          `p95 ${latencies[Math.floor(latencies.length * 0.95)].toFixed(1)} ms, errors ${errors}`,
      );
      return rate;
    };
    await publishUpTo(3, 0);
    await run('warm-up');
    const rate3 = await run('3 active promotions');
    await publishUpTo(50, 3);
    const rate50 = await run('50 active promotions');
    console.log(
      `promotions-till: rate_3=${rate3.toFixed(0)} rate_50=${rate50.toFixed(0)} ratio=${(rate50 / rate3).toFixed(2)}`,
    );
  } finally {
    await app.close();
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function main() {
  const compiled = compileRules(promotions_(50));
  const ctx = context();
  const withReasons = process.argv.includes('--reasons');
  let sink = 0;
  for (let i = 0; i < 5000; i++) sink += evaluate(compiled, ctx).pointsEarned;
  const durationMs = Number(process.env.BENCH_MS ?? 3000);
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let n = 0;
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 1000; i++)
      sink += evaluate(compiled, ctx, { withoutReasons: !withReasons }).pointsEarned;
    n += 1000;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const cpu = process.cpuUsage(cpuStart);
  // CPU time of this (single-threaded) process: the figure for one core even when other
  // processes share the machine; the wall-clock rate is printed too.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const sample = evaluate(compiled, ctx);
  console.log(
    `50 promotions × 20 lines: ${sample.breakdown.length} apply, ${sample.notApplied.length} do not, ${sample.pointsEarned} points (checksum ${sink})`,
  );
  console.log(
    `${n} evaluations in ${elapsed.toFixed(0)} ms wall (${Math.round((n * 1000) / elapsed)}/s), ` +
      `${cpuMs.toFixed(0)} ms CPU; load average ${loadavg()[0].toFixed(2)}`,
  );
  console.log(`promotions: evals_per_s=${Math.round((n * 1000) / cpuMs)}`);
}

if (process.argv.includes('--till'))
  till(process.argv.slice(2)).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
else main();
