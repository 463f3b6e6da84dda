import { TASKS } from '../../src/cli/tasks';
import { PersonalDataRegistry } from '../../src/common';
import { TransactionRunner } from '../../src/database';
import { SatisfactionService } from '../../src/modules/satisfaction';
import type { GroupBy, SurveyChannel, SurveyKind } from '../../src/modules/satisfaction';
import { StoresService } from '../../src/modules/stores';
import { period } from '../../src/modules/reports/report-period';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * The report's daily roll-up against the raw answers it summarises: written through the
 * service's own paths (answers and invitations in their transactions), read both ways, equal.
 */
describe('satisfaction roll-up', () => {
  let t: TestApp;
  let service: SatisfactionService;
  let madrid: string;
  let canary: string;
  let quiet: string;
  let memberId: string;

  const answer = async (
    at: string,
    a: {
      kind: SurveyKind;
      score: number;
      storeId?: string | null;
      channel?: SurveyChannel;
      agentId?: string | null;
      categories?: string[];
      memberId?: string | null;
    },
  ) => {
    t.clock.set(at);
    await t.app.get(TransactionRunner).run((tx) =>
      service.recordAnswer(tx, {
        kind: a.kind,
        score: a.score,
        channel: a.channel ?? 'phone',
        memberId: a.memberId ?? null,
        // A low score opens a case, which needs someone to answer.
        contact: { name: 'Cliente', email: 'cliente@example.com' },
        storeId: a.storeId ?? null,
        agentId: a.agentId ?? null,
        categories: a.categories ?? [],
        comment: 'Me atendieron tarde',
      }),
    );
  };

  const invite = async (at: string, storeIds: (string | null)[], channel: SurveyChannel) => {
    t.clock.set(at);
    await t.app.get(TransactionRunner).run((tx) =>
      service.createInvitations(
        tx,
        storeIds.map((storeId) => ({ kind: 'nps', channel, memberId: null, storeId })),
      ),
    );
  };

  const agentA = '00000000-0000-4000-8000-00000000000a';
  const agentB = '00000000-0000-4000-8000-00000000000b';

  beforeAll(async () => {
    t = await startTestApp();
    service = t.app.get(SatisfactionService);
    const stores = t.app.get(StoresService);
    madrid = (await stores.create({ code: 'MAD', name: 'Madrid', timeZone: 'Europe/Madrid' })).id;
    canary = (await stores.create({ code: 'LPA', name: 'Las Palmas', timeZone: 'Atlantic/Canary' }))
      .id;
    quiet = (await stores.create({ code: 'VAC', name: 'Vacía', timeZone: 'Atlantic/Canary' })).id;
    memberId = (await t.member()).id;
    // Month boundaries: 23:30Z on the last of February is March in Madrid, still February in
    // the Canaries; 22:30Z on 31 March is April in Madrid (summer time), March in the Canaries.
    await answer('2026-02-28T23:30:00Z', { kind: 'nps', score: 10, storeId: madrid });
    await answer('2026-02-28T23:30:00Z', { kind: 'nps', score: 3, storeId: canary });
    await answer('2026-03-31T22:30:00Z', { kind: 'nps', score: 0, storeId: madrid });
    await answer('2026-03-31T22:30:00Z', { kind: 'csat', score: 4, storeId: canary });
    await answer('2026-03-31T23:30:00Z', { kind: 'csat', score: 2, storeId: canary });
    // Ties: two agents with the same NPS; two categories on one purchase; none on another.
    for (const [agentId, score] of [
      [agentA, 10],
      [agentA, 0],
      [agentB, 9],
      [agentB, 5],
    ] as const)
      await answer('2026-03-10T12:00:00Z', {
        kind: 'nps',
        score,
        storeId: madrid,
        agentId,
        channel: 'email',
        categories: ['shoes', 'socks'],
      });
    await answer('2026-03-11T12:00:00Z', {
      kind: 'csat',
      score: 5,
      storeId: canary,
      channel: 'web',
    });
    // An answer with no store, and one a member gave (their comment is erased below).
    await answer('2026-03-12T12:00:00Z', { kind: 'nps', score: 8, channel: 'sms' });
    await answer('2026-03-13T12:00:00Z', {
      kind: 'csat',
      score: 3,
      storeId: madrid,
      memberId,
      categories: ['bags'],
    });
    await invite('2026-02-28T23:30:00Z', [madrid, canary, null], 'email');
    await invite('2026-03-31T22:30:00Z', [madrid, madrid, canary], 'sms');
    await invite('2026-03-15T10:00:00Z', [canary], 'phone');
  }, 60000);
  afterAll(() => t?.close());

  const GROUPS: GroupBy[] = ['store', 'channel', 'agent', 'category', 'month'];
  const cases: { name: string; from: string; to: string; storeId?: () => string; zone: string }[] =
    [
      { name: 'March, all stores', from: '2026-03-01', to: '2026-03-31', zone: 'Europe/Madrid' },
      { name: 'February to April', from: '2026-02-01', to: '2026-04-30', zone: 'Europe/Madrid' },
      {
        name: 'March in Madrid',
        from: '2026-03-01',
        to: '2026-03-31',
        storeId: () => madrid,
        zone: 'Europe/Madrid',
      },
      {
        name: 'March in the Canaries',
        from: '2026-03-01',
        to: '2026-03-31',
        storeId: () => canary,
        zone: 'Atlantic/Canary',
      },
      {
        name: 'one day in the Canaries',
        from: '2026-03-11',
        to: '2026-03-11',
        storeId: () => canary,
        zone: 'Atlantic/Canary',
      },
      {
        name: 'an empty store',
        from: '2026-03-01',
        to: '2026-03-31',
        storeId: () => quiet,
        zone: 'Atlantic/Canary',
      },
      { name: 'April, all stores', from: '2026-04-01', to: '2026-04-30', zone: 'Europe/Madrid' },
    ];

  const both = async (c: (typeof cases)[number], groupBy: GroupBy) => {
    const p = period(c.from, c.to, c.zone);
    const q = {
      from: p.start,
      to: p.end,
      fromDay: p.from,
      toDay: p.to,
      groupBy,
      storeId: c.storeId?.(),
      timeZone: c.zone,
    };
    const reader = t.app.get(TransactionRunner).reader;
    return {
      raw: await service.aggregate(reader, q),
      rolled: await service.aggregateByDays(reader, q),
    };
  };

  it.each(cases.flatMap((c) => GROUPS.map((g) => [c.name, g, c] as const)))(
    '%s by %s: the roll-up equals the raw answers',
    async (_name, groupBy, c) => {
      const { raw, rolled } = await both(c, groupBy);
      expect(rolled).toEqual(raw);
    },
  );

  it('reads the fixtures as hand-computed (the local-day cut, ties, an empty store)', async () => {
    const march = await both(cases[0], 'store');
    const byKey = Object.fromEntries(march.rolled.map((r) => [r.key, r]));
    // Madrid in Madrid's March: the 10 of 23:30Z Feb 28 in, the 0 of 22:30Z Mar 31 out.
    expect(byKey[madrid]).toMatchObject({
      responses: 6,
      npsResponses: 5,
      promoters: 3,
      detractors: 2,
    });
    const canaryMarch = await both(cases[3], 'store');
    expect(canaryMarch.rolled).toEqual([
      expect.objectContaining({
        // 23:30 on 31 March (in), 00:30 on 1 April (out), the 5 of 11 March; 23:30 Feb 28 out.
        key: canary,
        responses: 2,
        csatResponses: 2,
        csatSatisfied: 2,
        invitations: 2,
      }),
    ]);
    const agents = await both(cases[2], 'agent');
    const a = agents.rolled.find((r) => r.key === agentA)!;
    const b = agents.rolled.find((r) => r.key === agentB)!;
    expect([a.promoters - a.detractors, b.promoters - b.detractors]).toEqual([0, 0]);
    expect((await both(cases[5], 'channel')).rolled).toEqual([]);
    const day = await both(cases[4], 'channel');
    expect(day.rolled).toEqual([expect.objectContaining({ key: 'web', responses: 1 })]);
  });

  it('erasing a member keeps the counts (they are not personal data)', async () => {
    const before = await both(cases[0], 'category');
    await t.app.get(TransactionRunner).run(async (tx) => {
      for (const c of t.app.get(PersonalDataRegistry).all())
        if (c.category === 'surveys') await c.erase?.(tx, memberId);
    });
    const [comment] = await t.dataSource.query(
      `SELECT comment FROM survey_responses WHERE member_id = $1`,
      [memberId],
    );
    expect(comment).toEqual({ comment: null });
    const after = await both(cases[0], 'category');
    expect(after.rolled).toEqual(before.rolled);
    expect(after.rolled).toEqual(after.raw);
  });

  it('a rebuild from the raw tables gives the same roll-up', async () => {
    const dump = () =>
      t.dataSource.query(
        `SELECT zone, day::text, store_id, dim, key, responses, nps_responses, promoters,
                detractors, csat_responses, csat_satisfied, invitations
           FROM satisfaction_daily ORDER BY zone, dim, day, store_id, key`,
      );
    const kept = await dump();
    expect(kept.length).toBeGreaterThan(10);
    await service.rebuildDaily();
    expect(await dump()).toEqual(kept);
    // What an operator runs after a time-zone change: `npm run cli -- reports:rebuild`.
    await t.dataSource.query(`DELETE FROM satisfaction_daily`);
    const said: string[] = [];
    const code = await TASKS['reports:rebuild'].run({
      app: t.app,
      args: [],
      say: (m) => said.push(m),
    });
    expect(code).toBe(0);
    expect(said[0]).toMatch(/^satisfaction roll-up rebuilt in \d+\.\d s$/);
    expect(await dump()).toEqual(kept);
  });
});
