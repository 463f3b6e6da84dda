import { DemoService } from '../../src/modules/demo';
import { LedgerCheckService } from '../../src/modules/ledger';
import { startTestApp, TestApp } from '../utils/test-app';

describe('demo data: points history through the till path', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('seeds purchases, a redemption and a return, and the ledger checks clean', async () => {
    await t.app.get(DemoService).seed();
    const rows: { email: string; balance: number; kinds: string[] }[] = await t.dataSource.query(
      `SELECT m.email, a.balance,
              array_agg(e.kind ORDER BY e.id) AS kinds
         FROM members m JOIN point_accounts a ON a.member_id = m.id
         JOIN ledger_entries e ON e.member_id = m.id
        GROUP BY m.email, a.balance ORDER BY m.email`,
    );
    // Every demo member enrols with the demo programme's welcome bonus (25 points) first.
    const ana = rows.find((r) => r.email === 'ana@example.com')!;
    expect(ana.kinds).toEqual(['earn', 'earn', 'redeem', 'earn']);
    expect(ana.balance).toBeGreaterThan(25);
    const jordi = rows.find((r) => r.email === 'jordi@example.com')!;
    expect(jordi).toMatchObject({ balance: 25, kinds: ['earn', 'earn', 'reverse'] });
    expect((await t.app.get(LedgerCheckService).check()).mismatches).toEqual([]);
  }, 60_000);
});
