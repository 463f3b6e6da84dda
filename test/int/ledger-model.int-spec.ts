import fc from 'fast-check';
import { expiryFor } from '../../src/modules/ledger/lot-math';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  LedgerCheckService,
  LedgerError,
  LedgerJobsService,
  LedgerQueriesService,
  LedgerService,
  PostingContext,
} from '../../src/modules/ledger';
import { startTestApp, TestApp } from '../utils/test-app';
import { newMember } from './ledger-test-helpers';
import { TransactionRunner } from '../../src/database';

/**
 * Model-based property test (after pgledger's): random sequences of earn, redeem, return (earned
 * and redeemed points), adjust and time passing, run against the real ledger and against a small
 * in-memory model written independently from the rules. After every step the balance, the
 * pending points and every refusal must agree; after each run, every lot and the debt too.
 */

const DAY = 86400000;
const EXPIRY_MONTHS = 3;

interface MLot {
  seq: number;
  purchase: string | null;
  remaining: number;
  released: boolean;
  availableAt: number;
  expiresAt: number;
}

interface MPurchase {
  id: string;
  earned: number; // still reversible
  redeemed: number; // still re-creditable
  /** lot seq → points the purchase's redemption took and has not had back */
  outstanding: Map<number, number>;
}

class Model {
  lots: MLot[] = [];
  debt = 0;
  seq = 0;
  purchases: MPurchase[] = [];

  constructor(readonly windowDays: number) {}

  clone(): Model {
    const m = new Model(this.windowDays);
    m.lots = this.lots.map((l) => ({ ...l }));
    m.debt = this.debt;
    m.seq = this.seq;
    m.purchases = this.purchases.map((p) => ({ ...p, outstanding: new Map(p.outstanding) }));
    return m;
  }

  balance = () =>
    this.lots.filter((l) => l.released).reduce((s, l) => s + l.remaining, 0) - this.debt;
  pending = () => this.lots.filter((l) => !l.released).reduce((s, l) => s + l.remaining, 0);

  settle(now: number) {
    const due = this.lots
      .filter((l) => !l.released && l.remaining > 0 && l.availableAt <= now)
      .sort((a, b) => a.availableAt - b.availableAt || a.seq - b.seq);
    for (const l of due) {
      const repay = Math.min(l.remaining, this.debt);
      l.remaining -= repay;
      this.debt -= repay;
      l.released = true;
    }
    for (const l of this.lots) if (l.remaining > 0 && l.expiresAt <= now) l.remaining = 0;
  }

  /** Released lots, the ones that expire first first. */
  take(points: number, except: MLot[] = []) {
    const taken: [MLot, number][] = [];
    let left = points;
    const order = this.lots
      .filter((l) => l.released && l.remaining > 0 && !except.includes(l))
      .sort((a, b) => a.expiresAt - b.expiresAt || a.seq - b.seq);
    for (const l of order) {
      if (!left) break;
      const n = Math.min(l.remaining, left);
      l.remaining -= n;
      left -= n;
      taken.push([l, n]);
    }
    return { taken, shortfall: left };
  }

  newLot(now: number, points: number, purchase: string | null, released: boolean) {
    let remaining = points;
    if (released) {
      const repay = Math.min(points, this.debt);
      this.debt -= repay;
      remaining -= repay;
    }
    this.lots.push({
      seq: ++this.seq,
      purchase,
      remaining,
      released,
      availableAt: released ? now : now + this.windowDays * DAY,
      expiresAt: expiryFor(new Date(now), EXPIRY_MONTHS, true)!.getTime(),
    });
  }

  earn(now: number, points: number, purchase: MPurchase) {
    this.newLot(now, points, purchase.id, this.windowDays === 0);
    purchase.earned += points;
  }

  /** Returns the refusal code, or null when done. */
  redeem(now: number, points: number, purchase: MPurchase): string | null {
    const refusal = () =>
      this.balance() < 0 ? 'ledger.negative_balance' : 'ledger.insufficient_points';
    if (this.balance() < points) return refusal();
    this.settle(now);
    if (this.balance() < points) return refusal();
    for (const [lot, n] of this.take(points).taken) {
      purchase.outstanding.set(lot.seq, (purchase.outstanding.get(lot.seq) ?? 0) + n);
    }
    purchase.redeemed += points;
    return null;
  }

  reverseEarn(now: number, points: number, purchase: MPurchase) {
    this.settle(now);
    const own = this.lots
      .filter((l) => l.purchase === purchase.id && l.remaining > 0)
      .sort((a, b) => a.seq - b.seq);
    let left = points;
    for (const l of own) {
      const n = Math.min(l.remaining, left);
      l.remaining -= n;
      left -= n;
    }
    this.debt += this.take(left, own).shortfall;
    purchase.earned -= points;
  }

  recredit(now: number, points: number, purchase: MPurchase) {
    this.settle(now);
    let left = points;
    const repay = Math.min(left, this.debt);
    this.debt -= repay;
    left -= repay;
    const lots = this.lots
      .filter((l) => (purchase.outstanding.get(l.seq) ?? 0) > 0)
      .sort((a, b) => b.expiresAt - a.expiresAt || b.seq - a.seq);
    for (const l of lots) {
      if (!left) break;
      const n = Math.min(purchase.outstanding.get(l.seq)!, left);
      l.remaining += n;
      purchase.outstanding.set(l.seq, purchase.outstanding.get(l.seq)! - n);
      left -= n;
    }
    if (left > 0) this.newLot(now, left, null, true);
    this.settle(now);
    purchase.redeemed -= points;
  }

  adjust(now: number, points: number) {
    this.settle(now);
    if (points > 0) this.newLot(now, points, null, true);
    else this.debt += this.take(-points).shortfall;
  }
}

type Cmd =
  | { t: 'earn'; points: number }
  | { t: 'redeem'; points: number }
  | { t: 'returnEarn'; which: number; percent: number }
  | { t: 'recredit'; which: number; percent: number }
  | { t: 'adjust'; points: number }
  | { t: 'advance'; days: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('earn' as const),
      points: fc.integer({ min: 1, max: 300 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('redeem' as const),
      points: fc.integer({ min: 1, max: 300 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('returnEarn' as const),
      which: fc.nat(),
      percent: fc.integer({ min: 1, max: 100 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('recredit' as const),
      which: fc.nat(),
      percent: fc.integer({ min: 1, max: 100 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('adjust' as const),
      points: fc.integer({ min: -200, max: 200 }).filter((n) => n !== 0),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      days: fc.integer({ min: 1, max: 60 }),
    }),
  },
);

describe('ledger against an in-memory model (fast-check)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let queries: LedgerQueriesService;
  let jobs: LedgerJobsService;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    queries = t.app.get(LedgerQueriesService);
    jobs = t.app.get(LedgerJobsService);
    t.config.POINTS_EXPIRY_MONTHS = EXPIRY_MONTHS;
    t.config.POINTS_EXPIRY_MONTH_END = true;
  });
  afterAll(() => t.close());

  it('agrees on every balance, every refusal and every lot', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 14),
        fc.array(cmd, { minLength: 1, maxLength: 30 }),
        async (windowDays, cmds) => {
          t.config.POINTS_RETURN_WINDOW_DAYS = windowDays;
          t.clock.set('2026-01-01T00:00:00Z');
          const memberId = await newMember(t.dataSource);
          let model = new Model(windowDays);
          const ctx: PostingContext = {
            actor: { actorType: 'system', actorId: null },
            reason: 'model',
          };
          const tx = <T>(work: (em: EntityManager) => Promise<T>) =>
            t.app.get(TransactionRunner).run(work);
          const pick = (which: number, f: (p: MPurchase) => number) => {
            const open = model.purchases.filter((p) => f(p) > 0);
            return open.length ? open[which % open.length] : undefined;
          };

          for (const c of cmds) {
            const now = t.clock.now().getTime();
            const next = model.clone();
            let expected: string | null = null;
            let actual: string | null = null;
            const run = async (work: () => Promise<unknown>) => {
              try {
                await work();
              } catch (err) {
                if (!(err instanceof LedgerError)) throw err;
                actual = err.code;
              }
            };
            switch (c.t) {
              case 'earn': {
                const p: MPurchase = {
                  id: randomUUID(),
                  earned: 0,
                  redeemed: 0,
                  outstanding: new Map(),
                };
                next.purchases.push(p);
                next.earn(now, c.points, p);
                await run(() =>
                  tx((em) =>
                    ledger.earn(em, { memberId, points: c.points }, { ...ctx, purchaseId: p.id }),
                  ),
                );
                break;
              }
              case 'redeem': {
                const p: MPurchase = {
                  id: randomUUID(),
                  earned: 0,
                  redeemed: 0,
                  outstanding: new Map(),
                };
                next.purchases.push(p);
                expected = next.redeem(now, c.points, p);
                await run(() =>
                  tx((em) =>
                    ledger.redeem(em, { memberId, points: c.points }, { ...ctx, purchaseId: p.id }),
                  ),
                );
                break;
              }
              case 'returnEarn': {
                const p = pick(c.which, (x) => x.earned);
                if (!p) continue;
                const points = Math.max(1, Math.floor((p.earned * c.percent) / 100));
                next.reverseEarn(
                  now,
                  points,
                  next.purchases.find((x) => x.id === p.id)!,
                );
                await run(() =>
                  tx((em) => ledger.reverseEarn(em, { memberId, purchaseId: p.id, points }, ctx)),
                );
                break;
              }
              case 'recredit': {
                const p = pick(c.which, (x) => x.redeemed);
                if (!p) continue;
                const points = Math.max(1, Math.floor((p.redeemed * c.percent) / 100));
                next.recredit(
                  now,
                  points,
                  next.purchases.find((x) => x.id === p.id)!,
                );
                await run(() =>
                  tx((em) => ledger.recredit(em, { memberId, purchaseId: p.id, points }, ctx)),
                );
                break;
              }
              case 'adjust':
                next.adjust(now, c.points);
                await run(() =>
                  tx((em) =>
                    ledger.adjust(em, { memberId, points: c.points, allowDebt: true }, ctx),
                  ),
                );
                break;
              case 'advance':
                t.clock.advance(c.days * DAY);
                next.settle(t.clock.now().getTime());
                await jobs.runDueJobs();
                break;
            }
            expect({ step: c, refusal: actual }).toEqual({ step: c, refusal: expected });
            if (expected === null) model = next;
            const got = await queries.balanceOf(t.dataSource.manager, memberId);
            expect({ step: c, balance: got.balance, pending: got.pending }).toEqual({
              step: c,
              balance: model.balance(),
              pending: model.pending(),
            });
          }

          const lots: { remaining: number; released: boolean; kind: string }[] =
            await t.dataSource.query(
              `SELECT remaining, released, kind FROM point_lots WHERE member_id = $1 ORDER BY id`,
              [memberId],
            );
          expect(
            lots.filter((l) => l.kind !== 'debt').map((l) => [l.remaining, l.released]),
          ).toEqual(model.lots.map((l) => [l.remaining, l.released]));
          expect(0 - (lots.find((l) => l.kind === 'debt')?.remaining ?? 0)).toBe(model.debt + 0);
        },
      ),
      { numRuns: 150 },
    );
    const check = await t.app.get(LedgerCheckService).check();
    expect(check.mismatches).toEqual([]);
  }, 60_000);
});
