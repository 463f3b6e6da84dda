import { EntityManager } from 'typeorm';
import { LedgerCheckService, LedgerService, PostingContext } from '../../src/modules/ledger';
import { idRanges, uuidRanges } from '../../src/modules/ledger/ledger-check.service';
import { startTestApp, TestApp } from '../utils/test-app';
import { newMember } from './ledger-test-helpers';
import { TransactionRunner } from '../../src/database';

const ctx: PostingContext = { actor: { actorType: 'system', actorId: null }, reason: 'test' };

describe('ledger:check (set-based, by ranges of member ids)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let checker: LedgerCheckService;
  const tx = <T>(work: (em: EntityManager) => Promise<T>) => t.app.get(TransactionRunner).run(work);
  const members: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    checker = t.app.get(LedgerCheckService);
    for (let i = 0; i < 12; i++) {
      const m = await newMember(t.dataSource);
      members.push(m);
      await tx((em) => ledger.earn(em, { memberId: m, points: 10 + i }, ctx));
      if (i % 3 === 0) {
        await tx((em) => ledger.redeem(em, { memberId: m, points: 5 }, ctx));
      }
    }
  });
  afterAll(() => t.close());

  it('cuts the UUID space into consecutive ranges that cover it', () => {
    expect(uuidRanges(1)).toEqual([
      ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ]);
    const r = uuidRanges(7);
    expect(r).toHaveLength(7);
    expect(r[0][0]).toBe('00000000-0000-0000-0000-000000000000');
    expect(r[6][1]).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
    for (let i = 1; i < r.length; i++) {
      const prev = parseInt(r[i - 1][1].slice(0, 8), 16);
      expect(parseInt(r[i][0].slice(0, 8), 16)).toBe(prev + 1);
      expect(r[i][0] > r[i - 1][1]).toBe(true);
    }
  });

  it('cuts lot ids into consecutive ranges (empty ones when there are fewer ids)', () => {
    expect(idRanges(10n, 19n, 3)).toEqual([
      ['10', '12'],
      ['13', '15'],
      ['16', '19'],
    ]);
    expect(idRanges(5n, 5n, 2)).toEqual([
      ['5', '4'],
      ['5', '5'],
    ]);
    expect(idRanges(1n, 0n, 1)).toEqual([['1', '0']]);
  });

  it('counts every account once however the ranges are cut, and reports progress', async () => {
    const [{ n }]: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM point_accounts`,
    );
    for (const perBatch of [1, 5, 100_000]) {
      const progress: [number, number][] = [];
      const result = await checker.check((done, total) => progress.push([done, total]), perBatch);
      expect(result).toEqual({ members: n, mismatches: [] });
      expect(progress[0]).toEqual([0, n]);
      expect(progress.at(-1)).toEqual([n, n]);
    }
  });

  it('finds a lot that differs from its movements and an account that differs from its entries', async () => {
    const [a, b, c] = members;
    await t.dataSource.query(
      `UPDATE point_lots SET remaining = remaining + 1 WHERE member_id = $1 AND kind = 'earn'`,
      [a],
    );
    await t.dataSource.query(
      `UPDATE point_accounts SET pending = pending + 2 WHERE member_id = $1`,
      [b],
    );
    try {
      const result = await checker.check(undefined, 3);
      const byMember = new Map(result.mismatches.map((m) => [m.memberId, m]));
      expect(byMember.size).toBe(2);
      expect(byMember.get(a)!.problem).toBe(
        'account differs from the sum of lots; 1 lot(s) differ from their movements',
      );
      expect(byMember.get(b)).toMatchObject({
        problem: 'account differs from the sum of entries; account differs from the sum of lots',
        account: { pending: 2 },
        entries: { pending: 0 },
        lots: { pending: 0 },
      });
      expect(byMember.has(c)).toBe(false);
    } finally {
      await t.dataSource.query(
        `UPDATE point_lots SET remaining = remaining - 1 WHERE member_id = $1 AND kind = 'earn'`,
        [a],
      );
      await t.dataSource.query(
        `UPDATE point_accounts SET pending = pending - 2 WHERE member_id = $1`,
        [b],
      );
    }
    expect((await checker.check()).mismatches).toEqual([]);
  });
});
