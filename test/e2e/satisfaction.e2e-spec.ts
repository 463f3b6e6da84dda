import { Escalations } from '../../src/common';
import { TransactionRunner } from '../../src/database';
import { SatisfactionService } from '../../src/modules/satisfaction';
import { startTestApp, TestApp } from '../utils/test-app';

/** Surveys: invitations, the public answer, escalation, last scores, bonus, aggregate. */
describe('satisfaction: surveys', () => {
  let t: TestApp;
  let service: SatisfactionService;
  let runner: TransactionRunner;
  let storeId: string;

  beforeAll(async () => {
    t = await startTestApp({ SURVEY_RATE_LIMIT_PER_MINUTE: '1000' });
    t.clock.set('2026-11-27T10:00:00Z');
    storeId = (await t.store()).id;
    service = t.app.get(SatisfactionService);
    runner = t.app.get(TransactionRunner);
  });
  afterAll(async () => {
    await t.expectLedgerClean();
    await t.close();
  });

  const invite = (memberId: string | null, kind: 'csat' | 'nps' = 'csat', locale = 'es') =>
    runner.run(
      async (tx) =>
        (await service.createInvitation(tx, {
          kind,
          channel: 'email',
          memberId,
          storeId,
          categories: ['shoes'],
          locale,
        }))!,
    );

  it('one answer per link: 201, then 409; the member earns the survey bonus once', async () => {
    const marketing = await t.auth('marketing');
    await t.http
      .post('/api/earning-rules')
      .set(marketing)
      .send({ code: 'survey_answered', nameEs: 'Encuesta', nameEn: 'Survey', points: 25 })
      .expect((res) => expect([201, 200, 409]).toContain(res.status));
    const ana = await t.member();
    const inv = await invite(ana.id);
    expect(inv.url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    const first = await t.http
      .post(`/api/public/surveys/${inv.token}`)
      .send({ score: 5, comment: 'Genial' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'csat', escalated: false });
    const second = await t.http.post(`/api/public/surveys/${inv.token}`).send({ score: 1 });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('satisfaction.survey_answered');
    const points = await t.http.get(`/api/members/${ana.id}/points`).set(marketing);
    expect(points.body.balance).toBe(25);
    const last = await service.lastScores(t.dataSource.manager, ana.id);
    expect(last).toMatchObject({ csat: 5, nps: null });
    // The token is stored hashed only.
    const stored: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM survey_invitations WHERE encode(token_hash, 'escape') LIKE $1`,
      [`%${inv.token}%`],
    );
    expect(stored[0].n).toBe(0);
  });

  it('unknown → 404, expired → 410, bad score → 400 naming the field', async () => {
    const unknown = await t.http.post(`/api/public/surveys/${'x'.repeat(43)}`).send({ score: 3 });
    expect(unknown.status).toBe(404);
    const ana = await t.member();
    const csat = await invite(ana.id);
    const bad = await t.http.post(`/api/public/surveys/${csat.token}`).send({ score: 9 });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'score', reason: 'must be 1 to 5 for CSAT' }]);
    const missing = await t.http.post(`/api/public/surveys/${csat.token}`).send({});
    expect(missing.status).toBe(400);
    expect(missing.body.details[0].field).toBe('score');
    t.clock.advance(15 * 86_400_000);
    try {
      const expired = await t.http.post(`/api/public/surveys/${csat.token}`).send({ score: 3 });
      expect(expired.status).toBe(410);
    } finally {
      t.clock.advance(-15 * 86_400_000);
    }
  });

  it('a low score escalates: the cases module opens an incident linked to the answer', async () => {
    const ana = await t.member();
    const nps = await invite(ana.id, 'nps');
    const res = await t.http.post(`/api/public/surveys/${nps.token}`).send({ score: 6 });
    expect(res.status).toBe(201);
    expect(res.body.escalated).toBe(true);
    const [row] = await t.dataSource.query(
      `SELECT escalated, case_id, case_registry_number FROM survey_responses WHERE id = $1`,
      [res.body.responseId],
    );
    expect(row).toMatchObject({
      escalated: true,
      case_registry_number: expect.stringMatching(/^REC-/),
    });
    const [incident] = await t.dataSource.query(
      `SELECT kind, member_id, source_type, source_id FROM cases WHERE id = $1`,
      [row.case_id],
    );
    expect(incident).toEqual({
      kind: 'incident',
      member_id: ana.id,
      source_type: 'survey_response',
      source_id: res.body.responseId,
    });

    const escalations = t.app.get(Escalations);
    const seen: unknown[] = [];
    escalations.register({
      open: async (_tx, request) => {
        seen.push(request);
        return { caseId: '00000000-0000-4000-8000-000000000001', registryNumber: 'INC-1' };
      },
    });
    const csat = await invite(ana.id, 'csat');
    const low = await t.http
      .post(`/api/public/surveys/${csat.token}`)
      .send({ score: 2, comment: 'mal' });
    expect(low.body.escalated).toBe(true);
    expect(seen).toEqual([
      expect.objectContaining({
        memberId: ana.id,
        storeId,
        channel: 'email',
        source: { type: 'survey_response', id: low.body.responseId },
        satisfaction: { kind: 'csat', score: 2, comment: 'mal' },
      }),
    ]);
    const [withCase] = await t.dataSource.query(
      `SELECT case_id, case_registry_number FROM survey_responses WHERE id = $1`,
      [low.body.responseId],
    );
    expect(withCase).toEqual({
      case_id: '00000000-0000-4000-8000-000000000001',
      case_registry_number: 'INC-1',
    });
    escalations.register({ open: async () => null as never });
    expect(await service.lastScores(t.dataSource.manager, ana.id)).toMatchObject({
      csat: 2,
      nps: 6,
    });
  });

  it('the page opens in the customer’s language and says when a link is spent', async () => {
    const ana = await t.member();
    const inv = await invite(ana.id, 'nps', 'en');
    const redirect = await t.http.get(`/s/${inv.token}`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe(`/s/${inv.token}?lang=en`);
    const page = await t.http.get(`/s/${inv.token}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Would you recommend');
    expect(page.text).toContain('data-testid="score-10"');
    await t.http.post(`/api/public/surveys/${inv.token}`).send({ score: 10 }).expect(201);
    const spent = await t.http.get(`/s/${inv.token}?lang=en`);
    expect(spent.status).toBe(409);
    expect(spent.text).toContain('already been answered');
    expect((await t.http.get(`/s/${'y'.repeat(43)}`)).status).toBe(404);
  });

  it('export shows the answers; erasure removes the comments and keeps the scores', async () => {
    const ana = await t.member();
    const inv = await invite(ana.id);
    await t.http
      .post(`/api/public/surveys/${inv.token}`)
      .send({ score: 4, comment: 'Me llamo Ana y vivo en Madrid' })
      .expect(201);
    const supervisor = await t.auth('supervisor');
    const exported = await t.http.get(`/api/members/${ana.id}/export`).set(supervisor);
    expect(JSON.stringify(exported.body)).toContain('vivo en Madrid');
    await t.http.post(`/api/members/${ana.id}/erase`).set(supervisor).expect(200);
    const rows = await t.dataSource.query(
      `SELECT score, comment FROM survey_responses WHERE invitation_id = $1`,
      [inv.id],
    );
    expect(rows).toEqual([{ score: 4, comment: null }]);
  });

  it('aggregates a period by store, channel, category and month in the database', async () => {
    const from = new Date('2026-11-01T00:00:00Z');
    const to = new Date('2026-12-01T00:00:00Z');
    const byStore = await service.aggregate(t.dataSource.manager, {
      from,
      to,
      groupBy: 'store',
      timeZone: 'Europe/Madrid',
    });
    const mine = byStore.find((r) => r.key === storeId)!;
    const [counts] = await t.dataSource.query(
      `SELECT count(*)::int AS responses,
              count(*) FILTER (WHERE kind = 'nps')::int AS nps,
              count(*) FILTER (WHERE kind = 'nps' AND score >= 9)::int AS promoters,
              count(*) FILTER (WHERE kind = 'csat' AND score >= 4)::int AS satisfied
         FROM survey_responses WHERE store_id = $1`,
      [storeId],
    );
    const [{ invitations }] = await t.dataSource.query(
      `SELECT count(*)::int AS invitations FROM survey_invitations WHERE store_id = $1`,
      [storeId],
    );
    expect(mine).toMatchObject({
      responses: counts.responses,
      npsResponses: counts.nps,
      promoters: counts.promoters,
      csatSatisfied: counts.satisfied,
      invitations,
    });
    const byCategory = await service.aggregate(t.dataSource.manager, {
      from,
      to,
      groupBy: 'category',
      timeZone: 'Europe/Madrid',
    });
    expect(byCategory.map((r) => r.key)).toEqual(['shoes']);
    const byMonth = await service.aggregate(t.dataSource.manager, {
      from,
      to,
      groupBy: 'month',
      timeZone: 'Europe/Madrid',
      storeId,
    });
    expect(byMonth.map((r) => r.key)).toEqual(['2026-11']);
    const byChannel = await service.aggregate(t.dataSource.manager, {
      from,
      to,
      groupBy: 'channel',
      timeZone: 'UTC',
    });
    expect(byChannel.map((r) => r.key)).toEqual(['email']);
  });
});
