import { randomUUID } from 'node:crypto';
import { TiersService } from '../../src/modules/promotions';
import { startTestApp, TestApp } from '../utils/test-app';

/** Promotions at the till, tiers, rewards and coupons, events and stamp cards, end to end. */
describe('promotions: till, tiers, rewards, events, stamps', () => {
  let t: TestApp;
  let marketing: Record<string, string>;
  let cashier: Record<string, string>;
  let storeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-11-27T10:00:00Z');
    storeId = (await t.store()).id;
    marketing = await t.auth('marketing');
    cashier = await t.auth('cashier', { storeId });
  });
  afterAll(async () => {
    await t.expectLedgerClean();
    await t.close();
  });

  const enrol = () => t.member({ consents: { terms: true, profiling: true } });

  const buy = (code: string, lines: Record<string, unknown>[]) =>
    t.http
      .post('/api/checkout/purchases')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({ code, storeId, currency: 'EUR', lines });

  const balance = async (memberId: string) =>
    (await t.http.get(`/api/members/${memberId}/points`).set(cashier)).body.balance as number;

  async function promotion(body: Record<string, unknown>) {
    const res = await t.http.post('/api/promotions').set(marketing).send(body);
    expect(res.status).toBe(201);
    await t.http.post(`/api/promotions/${res.body.id}/publish`).set(marketing).expect(200);
    return res.body.id as string;
  }
  const end = (id: string) => t.http.post(`/api/promotions/${id}/end`).set(marketing).expect(200);

  const shoes = { sku: 'SHOE-1', category: 'shoes', quantity: 1, unitPriceCents: 5999 };
  const socks = { sku: 'SOCK-1', category: 'socks', quantity: 3, unitPriceCents: 500 };

  it('create → simulate → publish → the receipt carries the same breakdown', async () => {
    const ana = await enrol();
    // Before any base promotion, the programme rate applies.
    const first = await buy(ana.number, [shoes]);
    expect(first.body.breakdown).toEqual([
      { promotionId: null, version: null, name: 'Base rate', points: 59 },
    ]);

    const base = await promotion({
      nameEs: 'Tarifa base',
      nameEn: 'Base rate',
      base: true,
      priority: 1000,
      effects: [{ type: 'points_per_unit', points: 1, perCents: 100 }],
    });
    const created = await t.http
      .post('/api/promotions')
      .set(marketing)
      .send({
        nameEs: 'Doble en calzado',
        nameEn: 'Double on shoes',
        priority: 10,
        conditions: { all: [{ type: 'line_category', op: 'eq', value: 'shoes' }] },
        effects: [
          { type: 'multiplier', factorPercent: 200 },
          { type: 'bonus_per_unit', points: 5, target: { categories: ['socks'] } },
        ],
      });
    const double = created.body.id as string;
    const sim = await t.http
      .post('/api/promotions/simulate')
      .set(marketing)
      .send({ memberId: ana.id, storeId, lines: [shoes, socks], includePromotionIds: [double] });
    expect(sim.status).toBe(200);
    expect(sim.body.pointsEarned).toBe(74 + 74 + 15);
    await t.http.post(`/api/promotions/${double}/publish`).set(marketing).expect(200);

    const receipt = await buy(ana.number, [shoes, socks]);
    expect(receipt.status).toBe(201);
    expect(receipt.body.pointsEarned).toBe(sim.body.pointsEarned);
    expect(receipt.body.breakdown).toEqual(
      sim.body.breakdown.map((b: Record<string, unknown>) => ({
        promotionId: b.promotionId,
        version: b.version,
        name: b.name,
        points: b.points,
      })),
    );
    expect(receipt.body.breakdown).toEqual([
      { promotionId: base, version: 1, name: 'Tarifa base', points: 74 },
      { promotionId: double, version: 1, name: 'Doble en calzado', points: 89 },
    ]);
    expect(receipt.body.lines.map((l: { pointsEarned: number }) => l.pointsEarned)).toEqual(
      sim.body.linePoints,
    );
    // Ledger entries point at the version that produced them.
    const entries = await t.http.get(`/api/members/${ana.id}/points/entries`).set(cashier);
    const earn = entries.body.items.find(
      (e: { purchaseId: string }) => e.purchaseId === receipt.body.purchaseId,
    );
    expect(earn.promotions).toEqual(receipt.body.breakdown);
    await end(double);
    await end(base);
  });

  it('tiers: immediate upgrade with its multiplier, downgrade only after the grace period', async () => {
    const tiers: Record<string, string> = {};
    for (const [code, nameEn, thresholdPoints, multiplierPercent] of [
      ['Bronce', 'Bronze', 0, 100],
      ['Plata', 'Silver', 100, 150],
      ['Oro', 'Gold', 1000, 200],
    ] as const) {
      const res = await t.http
        .post('/api/tiers')
        .set(marketing)
        .send({ code, nameEs: code, nameEn, thresholdPoints, multiplierPercent });
      expect(res.status).toBe(201);
      tiers[code] = res.body.id;
    }
    const dup = await t.http
      .post('/api/tiers')
      .set(marketing)
      .send({ code: 'Oro', nameEs: 'x', nameEn: 'x', thresholdPoints: 5 });
    expect(dup.status).toBe(409);

    const ana = await enrol();
    const big = { sku: 'COAT-1', category: 'coats', quantity: 1, unitPriceCents: 15000 };
    const r1 = await buy(ana.number, [big]);
    expect(r1.body.pointsEarned).toBe(150);
    const service = t.app.get(TiersService);
    expect(await service.tierOf(t.dataSource.manager, ana.id)).toBe('Plata');
    // The next purchase carries the Plata multiplier.
    const r2 = await buy(ana.number, [{ ...big, unitPriceCents: 1000 }]);
    expect(r2.body.breakdown).toEqual([
      { promotionId: null, version: null, name: 'Base rate', points: 10 },
      { promotionId: null, version: null, name: 'Nivel Plata ×1.5', points: 5 },
    ]);

    // A year later the points have left the window: below the threshold, grace starts.
    t.clock.set('2027-12-01T03:30:00Z');
    await service.recalculate();
    expect(await service.tierOf(t.dataSource.manager, ana.id)).toBe('Plata');
    t.clock.set('2027-12-30T03:30:00Z');
    await service.recalculate();
    expect(await service.tierOf(t.dataSource.manager, ana.id)).toBe('Plata');
    t.clock.set('2027-12-31T03:30:00Z');
    const passAt = async () =>
      (
        await t.dataSource.query<{ at: Date }[]>(
          `SELECT pass_updated_at AS at FROM cards WHERE member_id = $1 AND status = 'active'`,
          [ana.id],
        )
      )[0].at.getTime();
    const before = await passAt();
    const res = await t.http.post('/api/tiers/recalculate').set(marketing);
    expect(res.body.downgraded).toBeGreaterThanOrEqual(1);
    expect(await service.tierOf(t.dataSource.manager, ana.id)).toBe('Bronce');
    // The wallet pass is marked updated: it shows the tier.
    expect(await passAt()).toBeGreaterThan(before);
    t.clock.set('2026-11-27T10:00:00Z');
    for (const id of Object.values(tiers))
      await t.http.patch(`/api/tiers/${id}`).set(marketing).send({ multiplierPercent: 100 });
  });

  it('rewards: a coupon per redemption, used once even from two tills at once, cancel gives points back', async () => {
    const ana = await enrol();
    await buy(ana.number, [{ sku: 'TV', category: 'tv', quantity: 1, unitPriceCents: 30000 }]);
    const before = await balance(ana.id);
    const reward = await t.http.post('/api/rewards').set(marketing).send({
      nameEs: 'Café gratis',
      nameEn: 'Free coffee',
      kind: 'free_product',
      sku: 'COFFEE-1',
      costPoints: 100,
      stock: 1,
    });
    expect(reward.status).toBe(201);
    const bad = await t.http
      .post('/api/rewards')
      .set(marketing)
      .send({ nameEs: 'x', nameEn: 'x', kind: 'discount', costPoints: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('discountCents');

    const redeemed = await t.http
      .post(`/api/rewards/${reward.body.id}/redeem`)
      .set(ana.auth)
      .send({ memberId: ana.id });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body).toMatchObject({ status: 'issued', pointsCost: 100, memberId: ana.id });
    expect(redeemed.body.code).toMatch(/^FDC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await balance(ana.id)).toBe(before - 100);
    const out = await t.http
      .post(`/api/rewards/${reward.body.id}/redeem`)
      .set(cashier)
      .send({ memberId: ana.id });
    expect(out.status).toBe(409);
    expect(out.body.code).toBe('promotions.out_of_stock');

    const code = redeemed.body.code as string;
    const tills = await Promise.all(
      [0, 1].map(() => t.http.post('/api/coupons/use').set(cashier).send({ code })),
    );
    expect(tills.map((r) => r.status).sort()).toEqual([200, 409]);
    const again = await t.http.post('/api/coupons/use').set(cashier).send({ code });
    expect(again.body).toMatchObject({
      code: 'promotions.coupon_not_usable',
      message: 'coupon already used',
    });
    const cancelUsed = await t.http.post(`/api/coupons/${code}/cancel`).set(cashier);
    expect(cancelUsed.status).toBe(409);

    // Cancelling an unused coupon re-credits its points (and its unit of stock).
    await t.http
      .patch(`/api/rewards/${reward.body.id}`)
      .set(marketing)
      .send({ stock: 1 })
      .expect(200);
    const second = await t.http
      .post(`/api/rewards/${reward.body.id}/redeem`)
      .set(cashier)
      .send({ memberId: ana.id });
    expect(await balance(ana.id)).toBe(before - 200);
    const cancelled = await t.http.post(`/api/coupons/${second.body.code}/cancel`).set(ana.auth);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await balance(ana.id)).toBe(before - 100);
    const list = await t.http.get(`/api/members/${ana.id}/coupons`).set(ana.auth);
    expect(list.body.items.map((c: { status: string }) => c.status).sort()).toEqual([
      'cancelled',
      'used',
    ]);
    // Another member cannot see or cancel them.
    const other = await enrol();
    await t.http.get(`/api/members/${ana.id}/coupons`).set(other.auth).expect(404);
    await t.http.post(`/api/coupons/${code}/cancel`).set(other.auth).expect(404);
    // Someone else's coupon answers exactly like one that does not exist (issue 13, defect 9).
    const missing = 'FDC-ZZZZ-ZZZZ-ZZZZ';
    for (const [path, method] of [
      ['', 'get'],
      ['/cancel', 'post'],
    ] as const) {
      const theirs = await t.http[method](`/api/coupons/${code}${path}`).set(other.auth);
      const none = await t.http[method](`/api/coupons/${missing}${path}`).set(other.auth);
      expect(theirs.status).toBe(404);
      expect(none.status).toBe(404);
      expect({ ...theirs.body, requestId: 0 }).toEqual({ ...none.body, requestId: 0 });
      expect(theirs.body.code).toBe('promotions.coupon_not_found');
    }
  });

  it('cancelling a coupon gives back the original lots with their expiry, not a new one (issue 13, defect 7)', async () => {
    const ana = await enrol();
    const reward = await t.http.post('/api/rewards').set(marketing).send({
      nameEs: 'Bolsa',
      nameEn: 'Bag',
      kind: 'free_product',
      sku: 'BAG-1',
      costPoints: 40,
    });
    expect(reward.status).toBe(201);
    await buy(ana.number, [{ sku: 'TV', category: 'tv', quantity: 1, unitPriceCents: 5000 }]);
    t.clock.set('2026-12-20T10:00:00Z'); // past the return window: the points are released
    const points = async () =>
      (await t.http.get(`/api/members/${ana.id}/points`).set(cashier)).body as {
        balance: number;
        expiring: { points: number; expiresAt: string }[];
      };
    const before = await points();
    expect(before.balance).toBeGreaterThanOrEqual(40);
    expect(before.expiring).toHaveLength(1);

    // Three months later the same points still expire when they did.
    t.clock.set('2027-03-01T10:00:00Z');
    const redeemed = await t.http
      .post(`/api/rewards/${reward.body.id}/redeem`)
      .set(cashier)
      .send({ memberId: ana.id });
    expect(redeemed.status).toBe(201);
    const cancelled = await t.http.post(`/api/coupons/${redeemed.body.code}/cancel`).set(cashier);
    expect(cancelled.body.status).toBe('cancelled');
    const after = await points();
    expect(after.balance).toBe(before.balance);
    expect(after.expiring).toEqual(before.expiring);
    const entries = await t.http.get(`/api/members/${ana.id}/points/entries`).set(cashier);
    expect(entries.body.items[0]).toMatchObject({ kind: 'reverse', points: 40 });
    t.clock.set('2026-11-27T10:00:00Z');
  });

  it('events: once per event id, within the per-member limit per period', async () => {
    const ana = await enrol();
    const rule = await t.http
      .post('/api/earning-rules')
      .set(marketing)
      .send({
        code: 'app_review',
        nameEs: 'Reseña',
        nameEn: 'Review',
        points: 20,
        limit: { count: 1, period: 'day' },
      });
    expect(rule.status).toBe(201);
    const post = (eventId: string) =>
      t.http
        .post('/api/events')
        .set(cashier)
        .send({ memberId: ana.id, type: 'app_review', eventId });
    const first = await post('r-1');
    expect(first.body).toMatchObject({ points: 20, created: true });
    const replay = await post('r-1');
    expect(replay.body).toMatchObject({ points: 20, created: false });
    expect(await balance(ana.id)).toBe(20);
    const limited = await post('r-2');
    expect(limited.status).toBe(409);
    expect(limited.body.code).toBe('promotions.event_limit_reached');
    t.clock.advance(86_400_000);
    expect((await post('r-2')).body.created).toBe(true);
    expect(await balance(ana.id)).toBe(40);
    const unknown = await t.http
      .post('/api/events')
      .set(cashier)
      .send({ memberId: ana.id, type: 'nope', eventId: 'x' });
    expect(unknown.status).toBe(404);
    t.clock.set('2026-11-27T10:00:00Z');
  });

  it('refer a friend: enrolment and first purchase reward both, once; events the platform raises are reserved', async () => {
    for (const [code, points] of [
      ['referral_enrolment', 10],
      ['referred_enrolment', 5],
      ['referral_first_purchase', 30],
      ['referred_first_purchase', 15],
    ] as const)
      await t.http
        .post('/api/earning-rules')
        .set(marketing)
        .send({ code, nameEs: code, nameEn: code, points })
        .expect(201);
    const ana = await enrol();
    const friend = await enrol();
    const code = await t.http.get(`/api/members/${ana.id}/referral-code`).set(ana.auth);
    expect(code.body.code).toMatch(/^[0-9A-Z]{8}$/);
    const again = await t.http.get(`/api/members/${ana.id}/referral-code`).set(cashier);
    expect(again.body.code).toBe(code.body.code);

    const self = await t.http
      .post('/api/referrals')
      .set(ana.auth)
      .send({ friendMemberId: ana.id, code: code.body.code });
    expect(self.status).toBe(404);
    const ok = await t.http
      .post('/api/referrals')
      .set(friend.auth)
      .send({ friendMemberId: friend.id, code: code.body.code.toLowerCase() });
    expect(ok.body).toEqual({ referrerPoints: 10, friendPoints: 5 });
    const twice = await t.http
      .post('/api/referrals')
      .set(cashier)
      .send({ friendMemberId: friend.id, code: code.body.code });
    expect(twice.status).toBe(409);
    const friendCode = await t.http.get(`/api/members/${friend.id}/referral-code`).set(cashier);
    const back = await t.http
      .post('/api/referrals')
      .set(cashier)
      .send({ friendMemberId: ana.id, code: friendCode.body.code });
    expect(back.status).toBe(404);

    await buy(friend.number, [
      { sku: 'A', category: 'x', quantity: 1, unitPriceCents: 1000 },
    ]).expect(201);
    await buy(friend.number, [
      { sku: 'A', category: 'x', quantity: 1, unitPriceCents: 1000 },
    ]).expect(201);
    expect(await balance(ana.id)).toBe(10 + 30);
    expect(await balance(friend.id)).toBe(5 + 15 + 10 + 10);

    // Integrations cannot raise the platform's own events.
    const reserved = await t.http
      .post('/api/events')
      .set(cashier)
      .send({ memberId: ana.id, type: 'referral_enrolment', eventId: 'x' });
    expect(reserved.status).toBe(400);
    expect(reserved.body.code).toBe('promotions.reserved_event_type');

    // The GDPR export carries the loyalty data.
    const exported = await t.http.get(`/api/members/${ana.id}/export`).set(ana.auth);
    expect(exported.body.loyalty.earnings.map((e: { ruleCode: string }) => e.ruleCode)).toEqual([
      'referral_enrolment',
      'referral_first_purchase',
    ]);
  });

  it('referrals only for new members, within the window and before their first purchase (issue 13, defect 11)', async () => {
    const ana = await enrol();
    const code = (await t.http.get(`/api/members/${ana.id}/referral-code`).set(ana.auth)).body
      .code as string;
    const refer = (friendId: string, who: Record<string, string>) =>
      t.http.post('/api/referrals').set(who).send({ friendMemberId: friendId, code });

    // A member who already bought is not a new friend, whoever asks.
    const buyer = await enrol();
    await buy(buyer.number, [
      { sku: 'A', category: 'x', quantity: 1, unitPriceCents: 1000 },
    ]).expect(201);
    const late = await refer(buyer.id, cashier);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'promotions.referral_not_eligible',
      details: [{ field: 'friendMemberId', reason: 'already made a purchase' }],
    });

    // A long-standing member (enrolled more than REFERRAL_WINDOW_DAYS = 30 ago) is refused too.
    const old = await enrol();
    const enrolledAt = new Date(
      (await t.http.get(`/api/members/${old.id}`).set(cashier)).body.createdAt as string,
    );
    t.clock.set(new Date(enrolledAt.getTime() + 31 * 86_400_000).toISOString());
    const stale = await refer(old.id, old.auth);
    expect(stale.status).toBe(409);
    expect(stale.body.details[0].reason).toBe('enrolled more than 30 days ago');
    // Within the window it counts, once.
    t.clock.set(new Date(enrolledAt.getTime() + 29 * 86_400_000).toISOString());
    expect((await refer(old.id, old.auth)).status).toBe(201);
    t.clock.set('2026-11-27T10:00:00Z');
  });

  it('stamp cards: one stamp per coffee, a full card issues its reward and starts again', async () => {
    const reward = await t.http.post('/api/rewards').set(marketing).send({
      nameEs: 'Café de regalo',
      nameEn: 'Coffee on us',
      kind: 'coupon',
      costPoints: 0,
    });
    const card = await promotion({
      nameEs: 'Tarjeta de cafés',
      nameEn: 'Coffee card',
      conditions: { type: 'line_category', op: 'eq', value: 'coffee' },
      effects: [{ type: 'stamps', stamps: 1, perUnit: true, target: { categories: ['coffee'] } }],
      stampCard: { stampsRequired: 3, rewardId: reward.body.id },
    });
    const ana = await enrol();
    const coffee = (quantity: number) => ({
      sku: 'COFFEE-1',
      category: 'coffee',
      quantity,
      unitPriceCents: 150,
    });
    await buy(ana.number, [coffee(2)]).expect(201);
    let stamps = await t.http.get(`/api/members/${ana.id}/stamps`).set(ana.auth);
    expect(stamps.body.items).toEqual([
      expect.objectContaining({
        promotionId: card,
        stamps: 2,
        stampsRequired: 3,
        cardsCompleted: 0,
      }),
    ]);
    await buy(ana.number, [coffee(2)]).expect(201);
    stamps = await t.http.get(`/api/members/${ana.id}/stamps`).set(ana.auth);
    expect(stamps.body.items[0]).toMatchObject({ stamps: 1, cardsCompleted: 1 });
    const coupons = await t.http.get(`/api/members/${ana.id}/coupons`).set(ana.auth);
    expect(coupons.body.items).toEqual([
      expect.objectContaining({ source: 'stamp_card', status: 'issued', rewardId: reward.body.id }),
    ]);
    await end(card);
  });
});
