/**
 * `npm run bench:promotions`: evaluations per second of 50 active promotions against a 20-line
 * basket on one core (the pure evaluator, compiled once, as the till uses it), in the worst case:
 * every promotion applies. The rate is per CPU-second of this single-threaded process, so other
 * load on the machine does not hide it (the wall-clock rate is printed too). The last line is
 * `promotions: evals_per_s=N`.
 */
import { loadavg } from 'node:os';
import {
  compileRules,
  Condition,
  Effect,
  evaluate,
  EvaluationContext,
  PromotionRule,
} from '../../src/modules/promotions/engine';

const CATEGORIES = ['shoes', 'socks', 'shirts', 'coffee', 'bags'];

function promotions(count: number): PromotionRule[] {
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

function main() {
  const compiled = compileRules(promotions(50));
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

main();
