import { EntityManager } from 'typeorm';
import { PromotionEvaluationService } from '../../src/modules/promotions';
import { startTestApp, TestApp } from '../utils/test-app';
import { TransactionRunner } from '../../src/database';

describe('promotions API', () => {
  let t: TestApp;
  let marketing: Record<string, string>;
  let storeId: string;
  let memberId: string;
  let service: PromotionEvaluationService;
  let emailSeq = 0;

  const body = (over: Record<string, unknown> = {}) => ({
    nameEs: 'Doble en calzado',
    nameEn: 'Double on shoes',
    priority: 10,
    conditions: { all: [{ type: 'line_category', op: 'eq', value: 'shoes' }] },
    effects: [{ type: 'fixed_bonus', points: 25 }],
    ...over,
  });
  const lines = [
    { sku: 'SHOE-1', category: 'shoes', quantity: 1, unitPriceCents: 5999 },
    { sku: 'SOCK-1', category: 'socks', quantity: 3, unitPriceCents: 500 },
  ];

  async function enrol(profiling = true): Promise<string> {
    const res = await t.http
      .post('/api/members')
      .set(await t.auth('cashier'))
      .send({
        firstName: 'Ana',
        lastName: 'García',
        email: `ana${++emailSeq}-${Date.now()}@example.com`,
        locale: 'es',
        storeId,
        consents: { terms: true, profiling },
      });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id as string;
  }

  async function create(over: Record<string, unknown> = {}, publish = true) {
    const res = await t.http.post('/api/promotions').set(marketing).send(body(over));
    expect(res.status).toBe(201);
    if (publish)
      await t.http.post(`/api/promotions/${res.body.id}/publish`).set(marketing).expect(200);
    return res.body.id as string;
  }

  const purchase = (memberId: string, at = t.clock.now()) =>
    t.app
      .get(TransactionRunner)
      .run((em: EntityManager) =>
        service.evaluateForPurchase(em, { memberId, storeId, lines, now: at }),
      );

  beforeAll(async () => {
    t = await startTestApp();
    marketing = await t.auth('marketing');
    storeId = (await t.store()).id;
    memberId = await enrol();
    service = t.app.get(PromotionEvaluationService);
  });
  afterAll(() => t.close());

  describe('validation and access', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      [
        'unknown operator',
        { conditions: { all: [{ type: 'basket_total', op: 'bigger', value: 1 }] } },
        'conditions.all.0.op',
        /unknown operator; use one of eq, ne, gt/,
      ],
      [
        'a string where a number goes',
        { conditions: { all: [{ type: 'basket_total', op: 'gte', value: '5000' }] } },
        'conditions.all.0.value',
        /must be an integer for basket_total gte/,
      ],
      [
        'a bad date in a nested group',
        {
          conditions: {
            any: [{ all: [{ type: 'date', op: 'between', value: ['2026-12-01', 'soon'] }] }],
          },
        },
        'conditions.any.0.all.0.value',
        /\[from, to\] of date YYYY-MM-DDs/,
      ],
      [
        'an operator the type does not take',
        { conditions: { type: 'line_sku', op: 'gt', value: 'A' } },
        'conditions.op',
        /operator not allowed for line_sku/,
      ],
      ['no effects', { effects: [] }, 'effects', /at least 1/],
      ['an empty effect', { effects: [{}] }, 'effects.0.type', /must be one of/],
      [
        'a field the effect does not take',
        { effects: [{ type: 'fixed_bonus', points: 5, factorPercent: 200 }] },
        'effects.0.type',
        /factorPercent not used by fixed_bonus/,
      ],
      [
        'a fractional point',
        { effects: [{ type: 'fixed_bonus', points: 1.5 }] },
        'effects.0.points',
        /integer/,
      ],
      [
        'an unknown field in a condition',
        { conditions: { type: 'store', op: 'eq', value: 'x', extra: 1 } },
        'conditions.extra',
        /unknown field/,
      ],
    ];
    it.each(cases)('refuses %s with a 400 naming the path', async (_n, over, field, reason) => {
      const res = await t.http.post('/api/promotions').set(marketing).send(body(over));
      expect(res.status).toBe(400);
      const detail = res.body.details.find((d: { field: string }) => d.field === field);
      expect(detail).toBeDefined();
      expect(detail.reason).toMatch(reason);
    });

    it('requires marketing to write; supervisors may read; cashiers may not', async () => {
      await t.http.get('/api/promotions').expect(401);
      await t.http
        .post('/api/promotions')
        .set(await t.auth('cashier'))
        .send(body())
        .expect(403);
      await t.http
        .get('/api/promotions')
        .set(await t.auth('cashier'))
        .expect(403);
      const sup = await t.auth('supervisor');
      await t.http.get('/api/promotions').set(sup).expect(200);
      await t.http.post('/api/promotions').set(sup).send(body()).expect(403);
    });
  });

  describe('lifecycle and versions', () => {
    it('creates a draft, publishes, pauses, lists by status and versions edits', async () => {
      const created = await t.http.post('/api/promotions').set(marketing).send(body());
      expect(created.body).toMatchObject({
        status: 'draft',
        version: 1,
        nameEn: 'Double on shoes',
      });
      const id = created.body.id as string;

      // null clears optional settings, never required ones.
      const nulled = await t.http
        .patch(`/api/promotions/${id}`)
        .set(marketing)
        .send({ nameEs: null, effects: null });
      expect(nulled.status).toBe(400);
      expect(nulled.body.details.map((d: { field: string }) => d.field)).toEqual([
        'nameEs',
        'effects',
      ]);
      const limited = await t.http
        .patch(`/api/promotions/${id}`)
        .set(marketing)
        .send({ memberLimit: { count: 1, period: 'day' }, endsAt: '2030-01-01T00:00:00Z' });
      expect(limited.body).toMatchObject({ memberLimit: { count: 1, period: 'day' } });
      const cleared = await t.http
        .patch(`/api/promotions/${id}`)
        .set(marketing)
        .send({ memberLimit: null, endsAt: null });
      expect(cleared.body).toMatchObject({ memberLimit: null, endsAt: null, version: 1 });

      // A draft is edited in place.
      const draftEdit = await t.http
        .patch(`/api/promotions/${id}`)
        .set(marketing)
        .send({ priority: 11 });
      expect(draftEdit.body).toMatchObject({ version: 1, priority: 11 });

      const pub = await t.http.post(`/api/promotions/${id}/publish`).set(marketing);
      expect(pub.body.status).toBe('active');
      const active = await t.http.get('/api/promotions?status=active').set(marketing);
      expect(active.body.items.map((p: { id: string }) => p.id)).toContain(id);
      const drafts = await t.http.get('/api/promotions?status=draft').set(marketing);
      expect(drafts.body.items.map((p: { id: string }) => p.id)).not.toContain(id);

      // Editing an active promotion makes a new version; the old one is kept.
      const edit = await t.http
        .patch(`/api/promotions/${id}`)
        .set(marketing)
        .send({ effects: [{ type: 'fixed_bonus', points: 30 }] });
      expect(edit.body).toMatchObject({ version: 2, status: 'active' });
      const versions = await t.http.get(`/api/promotions/${id}/versions`).set(marketing);
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(versions.body.items[1].definition.effects).toEqual([
        { type: 'fixed_bonus', points: 25 },
      ]);

      // The till gets the new version.
      const ev = await purchase(memberId);
      const mine = ev.breakdown.find((b) => b.promotionId === id)!;
      expect(mine).toMatchObject({ version: 2, points: 30, name: 'Doble en calzado' });
      expect(ev.promotions).toContainEqual({
        promotionId: id,
        version: 2,
        name: 'Doble en calzado',
        points: 30,
      });

      await t.http.post(`/api/promotions/${id}/pause`).set(marketing).expect(200);
      const paused = await purchase(memberId);
      expect(paused.breakdown.find((b) => b.promotionId === id)).toBeUndefined();
      const again = await t.http.post(`/api/promotions/${id}/pause`).set(marketing);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('promotions.bad_transition');
      await t.http.post(`/api/promotions/${id}/end`).set(marketing).expect(200);
      const edited = await t.http
        .patch(`/api/promotions/${id}`)
        .set(marketing)
        .send({ priority: 1 });
      expect(edited.status).toBe(409);
    });
  });

  describe('simulate', () => {
    it('answers the same breakdown the till produces, with the reasons of the others', async () => {
      const base = await create({
        nameEs: 'Tarifa base',
        nameEn: 'Base rate',
        base: true,
        priority: 1000,
        conditions: undefined,
        effects: [{ type: 'points_per_unit', points: 1, perCents: 100 }],
      });
      const tierOnly = await create({
        nameEn: 'Gold only',
        conditions: { type: 'member_tier', op: 'eq', value: 'Oro' },
      });
      const draft = await create({ nameEn: 'Draft preview', priority: 5 }, false);

      const sim = await t.http
        .post('/api/promotions/simulate')
        .set(marketing)
        .send({ memberId, storeId, currency: 'EUR', lines });
      expect(sim.status).toBe(200);
      const till = await purchase(memberId);
      expect(sim.body.breakdown).toEqual(till.breakdown);
      expect(sim.body.pointsEarned).toBe(till.pointsEarned);
      expect(
        sim.body.breakdown.find((b: { promotionId: string }) => b.promotionId === base),
      ).toMatchObject({
        points: 74,
        name: 'Tarifa base',
      });
      expect(sim.body.notApplied).toContainEqual(
        expect.objectContaining({
          promotionId: tierOnly,
          reason: 'conditions: member_tier eq "Oro" does not hold',
        }),
      );
      expect(sim.body.breakdown.map((b: { promotionId: string }) => b.promotionId)).not.toContain(
        draft,
      );

      // Member attributes instead of a member; drafts can be previewed by id.
      const attrs = await t.http
        .post('/api/promotions/simulate')
        .set(marketing)
        .send({ member: { tier: 'Oro' }, storeId, lines, includePromotionIds: [draft] });
      const ids = attrs.body.breakdown.map((b: { promotionId: string }) => b.promotionId);
      expect(ids).toEqual(expect.arrayContaining([base, tierOnly, draft]));

      const bad = await t.http
        .post('/api/promotions/simulate')
        .set(marketing)
        .send({ storeId, lines: [{ sku: 'X', quantity: 0, unitPriceCents: 1 }] });
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].field).toBe('lines.0.quantity');
      for (const id of [base, tierOnly])
        await t.http.post(`/api/promotions/${id}/end`).set(marketing).expect(200);
    });
  });

  describe('member tags', () => {
    it('sets tags that member_tag conditions read, only with profiling consent', async () => {
      const id = await create({
        nameEn: 'Runners',
        conditions: { type: 'member_tag', op: 'eq', value: 'runner' },
        effects: [{ type: 'fixed_bonus', points: 7 }],
      });
      const consenting = await enrol(true);
      const refusing = await enrol(false);
      for (const m of [consenting, refusing]) {
        const res = await t.http
          .put(`/api/members/${m}/tags`)
          .set(marketing)
          .send({ tags: ['runner', 'runner', 'vip'] });
        expect(res.body.tags).toEqual(['runner', 'vip']);
      }
      const yes = await purchase(consenting);
      expect(yes.breakdown.find((b) => b.promotionId === id)?.points).toBe(7);
      const no = await purchase(refusing);
      expect(no.notApplied.find((n) => n.promotionId === id)?.reason).toBe(
        "conditions: member_tag needs the member's profiling consent",
      );
      await t.http
        .put(`/api/members/${consenting}/tags`)
        .set(await t.auth('cashier'))
        .send({ tags: [] })
        .expect(403);
      await t.http.post(`/api/promotions/${id}/end`).set(marketing).expect(200);
    });
  });

  describe('budgets and limits under concurrency', () => {
    it('200 concurrent purchases against a budget of 50 points award exactly 50', async () => {
      const id = await create({
        nameEn: 'Limited',
        conditions: undefined,
        effects: [{ type: 'fixed_bonus', points: 1 }],
        budgetPoints: 50,
      });
      const members = await Promise.all(Array.from({ length: 10 }, () => enrol()));
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          purchase(members[i % members.length]).catch((e: Error) => e),
        ),
      );
      const errors = results.filter((r) => r instanceof Error);
      expect(errors).toEqual([]);
      const awarded = results.filter(
        (r) => !(r instanceof Error) && r.breakdown.some((b) => b.promotionId === id),
      );
      expect(awarded).toHaveLength(50);
      const spent = results.filter(
        (r) =>
          !(r instanceof Error) &&
          r.notApplied.some((n) => n.promotionId === id && n.reason === 'budget spent'),
      );
      expect(spent).toHaveLength(150);
      const view = await t.http.get(`/api/promotions/${id}`).set(marketing);
      expect(view.body).toMatchObject({ budgetPoints: 50, budgetUsed: 50 });
      // The budget cannot be lowered below what was given.
      const lower = await t.http
        .patch(`/api/promotions/${id}`)
        .set(marketing)
        .send({ budgetPoints: 10 });
      expect(lower.status).toBe(409);
      await t.http.post(`/api/promotions/${id}/end`).set(marketing).expect(200);
    }, 60_000);

    it('a per-member limit of 2 per day holds for 20 concurrent purchases and resets next day', async () => {
      const id = await create({
        nameEn: 'Twice a day',
        conditions: undefined,
        effects: [{ type: 'fixed_bonus', points: 5 }],
        memberLimit: { count: 2, period: 'day' },
      });
      const m = await enrol();
      const day1 = new Date('2026-11-27T10:00:00Z');
      const results = await Promise.all(Array.from({ length: 20 }, () => purchase(m, day1)));
      const got = results.filter((r) => r.breakdown.some((b) => b.promotionId === id));
      expect(got).toHaveLength(2);
      expect(
        results.flatMap((r) => r.notApplied).filter((n) => n.promotionId === id)[0].reason,
      ).toBe('member limit reached (2 per day)');
      // Simulation shows the limit without consuming anything.
      const sim = await t.http
        .post('/api/promotions/simulate')
        .set(marketing)
        .send({ memberId: m, storeId, lines, at: day1.toISOString() });
      expect(sim.body.notApplied).toContainEqual(
        expect.objectContaining({ promotionId: id, reason: 'member limit reached (2 per day)' }),
      );
      const nextDay = await purchase(m, new Date('2026-11-28T10:00:00Z'));
      expect(nextDay.breakdown.some((b) => b.promotionId === id)).toBe(true);
      await t.http.post(`/api/promotions/${id}/end`).set(marketing).expect(200);
    });
  });
});
