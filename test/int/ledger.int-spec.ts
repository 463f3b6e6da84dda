import { EntityManager } from 'typeorm';
import { runLedgerCheck, runLedgerExpire } from '../../src/modules/ledger/cli';
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
import { inTransaction, TransactionRunner } from '../../src/database';

const ctx = (reason = 'test'): PostingContext => ({
  actor: { actorType: 'system', actorId: null },
  reason,
});

describe('LedgerService (real database)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let queries: LedgerQueriesService;
  let jobs: LedgerJobsService;
  let checker: LedgerCheckService;
  const tx = <T>(work: (em: EntityManager) => Promise<T>) => t.app.get(TransactionRunner).run(work);

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    queries = t.app.get(LedgerQueriesService);
    jobs = t.app.get(LedgerJobsService);
    checker = t.app.get(LedgerCheckService);
  });
  afterEach(() => {
    t.clock.reset();
    t.config.POINTS_RETURN_WINDOW_DAYS = 0;
  });
  afterAll(() => t.close());

  const expectClean = async () => {
    const result = await checker.check();
    expect(result.mismatches).toEqual([]);
  };

  it('earns, redeems the lots that expire first, and keeps invariant 1', async () => {
    const m = await newMember(t.dataSource);
    t.clock.set('2026-01-10T10:00:00Z');
    await tx((em) => ledger.earn(em, { memberId: m, points: 100 }, ctx('January')));
    t.clock.set('2026-03-10T10:00:00Z');
    await tx((em) => ledger.earn(em, { memberId: m, points: 150 }, ctx('March')));
    t.clock.set('2026-04-10T10:00:00Z');
    const r = await tx((em) => ledger.redeem(em, { memberId: m, points: 120 }, ctx()));
    expect(r.balance).toBe(130);
    const lots: { remaining: number; expires_at: Date }[] = await t.dataSource.query(
      `SELECT remaining, expires_at FROM point_lots WHERE member_id = $1 ORDER BY id`,
      [m],
    );
    // 24 months, rounded to the month's end: January 2026 → 1 February 2028.
    expect(lots).toEqual([
      { remaining: 0, expires_at: new Date('2028-02-01T00:00:00Z') },
      { remaining: 130, expires_at: new Date('2028-04-01T00:00:00Z') },
    ]);
    expect(await queries.balanceOf(t.dataSource.manager, m)).toEqual({
      balance: 130,
      pending: 0,
      lifetimeEarned: 250,
      expiring: [{ points: 130, expiresAt: new Date('2028-04-01T00:00:00Z') }],
    });
    await expectClean();
  });

  it('refuses to overspend: 409 and nothing written', async () => {
    const m = await newMember(t.dataSource);
    await tx((em) => ledger.earn(em, { memberId: m, points: 10 }, ctx()));
    await expect(
      tx((em) => ledger.redeem(em, { memberId: m, points: 11 }, ctx())),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'ledger.insufficient_points' });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE member_id = $1`,
      [m],
    );
    expect(n).toBe(1);
  });

  it('the database refuses to change or delete an entry', async () => {
    const m = await newMember(t.dataSource);
    await tx((em) => ledger.earn(em, { memberId: m, points: 5 }, ctx()));
    await expect(
      t.dataSource.query(`UPDATE ledger_entries SET points = 500 WHERE member_id = $1`, [m]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.dataSource.query(`DELETE FROM ledger_entries WHERE member_id = $1`, [m]),
    ).rejects.toThrow(/append-only/);
  });

  it('a CHECK refuses a redeem entry that would leave a negative balance', async () => {
    const m = await newMember(t.dataSource);
    await tx((em) => ledger.earn(em, { memberId: m, points: 5 }, ctx()));
    await expect(
      t.dataSource.query(
        `INSERT INTO ledger_entries (member_id, kind, points, balance_after, actor_type, reason)
         VALUES ($1, 'redeem', -6, -1, 'system', 'x')`,
        [m],
      ),
    ).rejects.toThrow(/ledger_entries_redeem_check/);
  });

  it('1,000 concurrent 1-point redemptions on a balance of 100: exactly 100 succeed', async () => {
    const m = await newMember(t.dataSource);
    await tx((em) => ledger.earn(em, { memberId: m, points: 100 }, ctx()));
    const outcomes = await Promise.all(
      Array.from({ length: 1000 }, () =>
        tx((em) => ledger.redeem(em, { memberId: m, points: 1 }, ctx())).then(
          () => 'ok',
          (err: unknown) =>
            err instanceof LedgerError && err.kind === 'conflict' ? 'refused' : String(err),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(100);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(900);
    expect((await queries.balanceOf(t.dataSource.manager, m)).balance).toBe(0);
    await expectClean();
  }, 30_000);

  it('keeps points pending through the return window, then releases them (job idempotent)', async () => {
    t.config.POINTS_RETURN_WINDOW_DAYS = 14;
    const m = await newMember(t.dataSource);
    t.clock.set('2026-05-01T12:00:00Z');
    const earned = await tx((em) => ledger.earn(em, { memberId: m, points: 80 }, ctx()));
    expect(earned).toMatchObject({ balance: 0, pending: 80, pendingPoints: 80 });
    await expect(
      tx((em) => ledger.redeem(em, { memberId: m, points: 1 }, ctx())),
    ).rejects.toMatchObject({ code: 'ledger.insufficient_points' });
    t.clock.set('2026-05-15T11:59:59Z');
    expect((await jobs.runDueJobs()).released).toBe(0);
    t.clock.set('2026-05-15T12:00:00Z');
    expect((await jobs.runDueJobs()).released).toBe(1);
    expect((await jobs.runDueJobs()).released).toBe(0);
    expect(await queries.balanceOf(t.dataSource.manager, m)).toMatchObject({
      balance: 80,
      pending: 0,
    });
    await expectClean();
  });

  it('expires lots past their expiry, once, and a debit first sweeps what is due', async () => {
    const m = await newMember(t.dataSource);
    t.clock.set('2026-01-15T00:00:00Z');
    await tx((em) => ledger.earn(em, { memberId: m, points: 40 }, ctx()));
    t.clock.set('2026-06-15T00:00:00Z');
    await tx((em) => ledger.earn(em, { memberId: m, points: 60 }, ctx()));
    t.clock.set('2028-01-31T23:59:59Z');
    expect((await jobs.runDueJobs()).expired).toBe(0);
    t.clock.set('2028-02-01T00:00:00Z');
    // Not swept yet: a redemption of 100 must still be refused (40 expired at this instant).
    await expect(
      tx((em) => ledger.redeem(em, { memberId: m, points: 100 }, ctx())),
    ).rejects.toMatchObject({ kind: 'conflict' });
    const redeemed = await tx((em) => ledger.redeem(em, { memberId: m, points: 60 }, ctx()));
    expect(redeemed.balance).toBe(0);
    expect((await jobs.runDueJobs()).expired).toBe(0);
    const kinds = (await queries.entries(t.dataSource.manager, m, {})).items.map((e) => [
      e.kind,
      e.points,
    ]);
    expect(kinds).toEqual([
      ['redeem', -60],
      ['expire', -40],
      ['earn', 60],
      ['earn', 40],
    ]);
    await expectClean();
  });

  it('a return of spent points leaves a debt that blocks redemptions until repaid', async () => {
    const m = await newMember(t.dataSource);
    const purchase = '00000000-0000-4000-8000-000000000001';
    await tx((em) =>
      ledger.earn(em, { memberId: m, points: 50 }, { ...ctx(), purchaseId: purchase }),
    );
    await tx((em) => ledger.redeem(em, { memberId: m, points: 40 }, ctx()));
    const reversed = await tx((em) =>
      ledger.reverseEarn(em, { memberId: m, purchaseId: purchase, points: 50 }, ctx('return')),
    );
    expect(reversed.balance).toBe(-40);
    await expect(
      tx((em) => ledger.redeem(em, { memberId: m, points: 1 }, ctx())),
    ).rejects.toMatchObject({ code: 'ledger.negative_balance' });
    await expectClean();
    const after = await tx((em) => ledger.earn(em, { memberId: m, points: 30 }, ctx()));
    expect(after.balance).toBe(-10);
    const adj = await tx((em) => ledger.adjust(em, { memberId: m, points: 25 }, ctx('goodwill')));
    expect(adj.balance).toBe(15);
    await tx((em) => ledger.redeem(em, { memberId: m, points: 15 }, ctx()));
    await expectClean();
  });

  it('re-credits redeemed points onto the lots they came from', async () => {
    const m = await newMember(t.dataSource);
    const purchase = '00000000-0000-4000-8000-000000000002';
    t.clock.set('2026-01-10T00:00:00Z');
    await tx((em) => ledger.earn(em, { memberId: m, points: 30 }, ctx()));
    t.clock.set('2026-02-10T00:00:00Z');
    await tx((em) => ledger.earn(em, { memberId: m, points: 30 }, ctx()));
    await tx((em) =>
      ledger.redeem(em, { memberId: m, points: 45 }, { ...ctx(), purchaseId: purchase }),
    );
    await tx((em) =>
      ledger.recredit(em, { memberId: m, purchaseId: purchase, points: 20 }, ctx('return')),
    );
    const lots = await t.dataSource.query(
      `SELECT remaining FROM point_lots WHERE member_id = $1 ORDER BY id`,
      [m],
    );
    // 45 took 30 (January) + 15 (February); 20 back goes to the later lot first (15), then 5.
    expect(lots.map((l: { remaining: number }) => l.remaining)).toEqual([5, 30]);
    await tx((em) =>
      ledger.recredit(em, { memberId: m, purchaseId: purchase, points: 25 }, ctx('return')),
    );
    expect((await queries.balanceOf(t.dataSource.manager, m)).balance).toBe(60);
    await expectClean();
  });

  it('ledger:check prints a summary, exits 0 when clean and 1 on a difference', async () => {
    const m = await newMember(t.dataSource);
    await tx((em) => ledger.earn(em, { memberId: m, points: 12 }, ctx()));
    const lines: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runLedgerCheck(t.app, (l) => lines.push(l))).toBe(0);
      expect(lines.at(-1)).toMatch(
        /^ledger check: \d+ member account\(s\), 0 mismatch\(es\), .* OK$/,
      );
      expect(stderr.mock.calls.some(([s]) => /\[#+\] 100%/.test(String(s)))).toBe(true);
      // Tamper with the cached balance behind the ledger's back.
      await t.dataSource.query(
        `UPDATE point_accounts SET balance = balance + 1 WHERE member_id = $1`,
        [m],
      );
      lines.length = 0;
      expect(await runLedgerCheck(t.app, (l) => lines.push(l))).toBe(1);
      expect(lines[0]).toContain(`MISMATCH member ${m}: account differs from the sum of entries`);
      expect(lines.at(-1)).toMatch(/1 mismatch\(es\).*FAILED$/);
    } finally {
      stderr.mockRestore();
      await t.dataSource.query(
        `UPDATE point_accounts SET balance = balance - 1 WHERE member_id = $1`,
        [m],
      );
    }
    lines.length = 0;
    expect(await runLedgerExpire(t.app, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/^points jobs: \d+ lot\(s\) released, \d+ lot\(s\) expired/);
  });

  it('calls balance listeners inside the transaction', async () => {
    const m = await newMember(t.dataSource);
    const seen: { ids: string[]; inTransaction: boolean }[] = [];
    const remove = ledger.onBalanceChanged(async (em, ids) => {
      seen.push({ ids, inTransaction: inTransaction(em) });
    });
    try {
      await tx((em) => ledger.earn(em, { memberId: m, points: 3 }, ctx()));
    } finally {
      remove();
    }
    expect(seen).toEqual([{ ids: [m], inTransaction: true }]);
  });
});
