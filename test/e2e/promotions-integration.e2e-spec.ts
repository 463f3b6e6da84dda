import { randomUUID } from 'node:crypto';
import { TASKS } from '../../src/cli/tasks';
import { MembersService } from '../../src/modules/members';
import { EarningService } from '../../src/modules/promotions';
import { startTestApp, TestApp } from '../utils/test-app';
import { TransactionRunner } from '../../src/database';

/**
 * Promotions wired into the rest of the platform: the enrolment bonus and refer-a-friend at
 * enrolment, the birthday bonus, the tier written on the member (staff views, search, scan).
 */
describe('promotions: enrolment, birthdays, tiers on the member', () => {
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

  let n = 0;
  const email = () => `ana.integration-${++n}-${Date.now()}@example.com`;

  const enrol = (extra: Record<string, unknown> = {}) =>
    t.member({ consents: { terms: true }, ...extra });

  const balance = async (memberId: string) =>
    (await t.http.get(`/api/members/${memberId}/points`).set(cashier)).body.balance as number;

  const rule = async (code: string, points: number, extra: Record<string, unknown> = {}) => {
    const res = await t.http
      .post('/api/earning-rules')
      .set(marketing)
      .send({ code, nameEs: `Regla ${code}`, nameEn: `Rule ${code}`, points, ...extra });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('enrolment bonus: once, at the till and on the web, in the enrolment transaction', async () => {
    // Without the rule, enrolling gives nothing.
    const before = await enrol();
    expect(await balance(before.id)).toBe(0);

    await rule('enrolment', 25);
    const ana = await enrol();
    expect(await balance(ana.id)).toBe(25);
    const entries = await t.http.get(`/api/members/${ana.id}/points/entries`).set(cashier);
    expect(entries.status).toBe(200);
    expect(entries.body.items).toEqual([
      expect.objectContaining({ points: 25, reason: 'Regla enrolment / Rule enrolment' }),
    ]);

    const beaEmail = email();
    const web = await t.http.post('/api/public/enrol').send({
      firstName: 'Bea',
      lastName: 'Ruiz',
      email: beaEmail,
      consents: { terms: true },
    });
    expect(web.status).toBe(202);
    expect(await balance((await t.app.get(MembersService).findByEmail(beaEmail))!.id)).toBe(25);

    // Idempotent: the bonus is an earning event keyed once per member.
    const again = await t.app
      .get(TransactionRunner)
      .run((em) => t.app.get(EarningService).enrolmentBonus(em, ana.id));
    expect(again).toMatchObject({ points: 25, created: false });
    expect(await balance(ana.id)).toBe(25);
  });

  it('refer a friend at enrolment: both rewarded once; an unknown code is a 400 and enrols nobody', async () => {
    await rule('referral_enrolment', 10);
    await rule('referred_enrolment', 5);
    const ana = await enrol();
    const code = (await t.http.get(`/api/members/${ana.id}/referral-code`).set(ana.auth)).body
      .code as string;
    const before = await balance(ana.id);

    const friend = await enrol({ referralCode: code.toLowerCase() });
    expect(await balance(ana.id)).toBe(before + 10);
    expect(await balance(friend.id)).toBe(25 + 5); // enrolment bonus + referred bonus
    // The referral is recorded: a second one for the same friend is refused.
    const twice = await t.http
      .post('/api/referrals')
      .set(cashier)
      .send({ friendMemberId: friend.id, code });
    expect(twice.status).toBe(409);

    const lost = email();
    const bad = await t.http
      .post('/api/members')
      .set(cashier)
      .send({
        firstName: 'Eva',
        lastName: 'Sanz',
        email: lost,
        consents: { terms: true },
        referralCode: 'NOPE0000',
      });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('promotions.referral_code_unknown');
    expect(bad.body.details).toEqual([{ field: 'referralCode', reason: 'no such referral code' }]);
    // Rolled back: the same email enrols afterwards.
    const retry = await t.http
      .post('/api/members')
      .set(cashier)
      .send({ firstName: 'Eva', lastName: 'Sanz', email: lost, consents: { terms: true } });
    expect(retry.status).toBe(201);

    // The self-service form carries the code too.
    const piaEmail = email();
    const web = await t.http.post('/api/public/enrol').send({
      firstName: 'Pia',
      lastName: 'Gil',
      email: piaEmail,
      consents: { terms: true },
      referralCode: code,
    });
    expect(web.status).toBe(202);
    expect(await balance((await t.app.get(MembersService).findByEmail(piaEmail))!.id)).toBe(25 + 5);
    expect(await balance(ana.id)).toBe(before + 20);
  });

  it('birthday bonus: the day’s birthdays, once per member and year (Feb 29 on Feb 28)', async () => {
    await rule('birthday', 50);
    const today = await enrol({ birthDate: '1990-03-15' });
    const leapling = await enrol({ birthDate: '1992-02-29' });
    const other = await enrol({ birthDate: '1990-03-16' });
    const start = {
      today: await balance(today.id),
      leapling: await balance(leapling.id),
      other: await balance(other.id),
    };

    // 23:30 UTC on March 14 is already March 15 in Madrid.
    t.clock.set('2027-03-14T23:30:00Z');
    const earning = t.app.get(EarningService);
    const run = await earning.birthdayRun();
    expect(run).toEqual({ date: '2027-03-15', members: 1, awarded: 1 });
    expect(await balance(today.id)).toBe(start.today + 50);
    // Twice the same day, or the CLI task afterwards: nothing twice.
    const said: string[] = [];
    const exit = await TASKS['promotions:birthdays'].run({
      app: t.app,
      args: ['2027-03-15'],
      say: (m) => said.push(m),
    });
    expect(exit).toBe(0);
    expect(said).toEqual(['birthdays 2027-03-15: 1 member(s), 0 bonus(es) awarded']);
    expect(await balance(today.id)).toBe(start.today + 50);
    expect(await balance(other.id)).toBe(start.other);

    // Feb 29 birthdays are celebrated on Feb 28 in common years, once.
    t.clock.set('2027-02-28T10:00:00Z');
    expect(await earning.birthdayRun()).toMatchObject({ date: '2027-02-28', awarded: 1 });
    expect(await balance(leapling.id)).toBe(start.leapling + 50);

    // Next year: again.
    t.clock.set('2028-03-15T10:00:00Z');
    expect(await earning.birthdayRun()).toMatchObject({ members: 1, awarded: 1 });
    expect(await balance(today.id)).toBe(start.today + 100);
    const entries = await t.http.get(`/api/members/${today.id}/points/entries`).set(cashier);
    expect(
      entries.body.items.filter((e: { reason: string }) => e.reason.startsWith('Regla birthday')),
    ).toHaveLength(2);

    const bad = await TASKS['promotions:birthdays'].run({
      app: t.app,
      args: ['15/03/2028'],
      say: () => undefined,
    });
    expect(bad).toBe(2);
    t.clock.set('2026-11-27T10:00:00Z');
  });

  it('a tier change is written on the member: staff view, search and the till’s scan show it', async () => {
    for (const [code, thresholdPoints] of [
      ['Plata', 100],
      ['Oro', 1000],
    ] as const) {
      await t.http
        .post('/api/tiers')
        .set(marketing)
        .send({ code, nameEs: code, nameEn: code, thresholdPoints })
        .expect(201);
    }
    const surname = `Tiered${randomUUID().slice(0, 8)}`;
    const ana = await enrol({ lastName: surname });
    const scanTier = async () =>
      (await t.http.post('/api/checkout/scan').set(cashier).send({ code: ana.number })).body.tier;
    expect(await scanTier()).toBeNull();

    const bought = await t.http
      .post('/api/checkout/purchases')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({
        code: ana.number,
        storeId,
        currency: 'EUR',
        lines: [{ sku: 'COAT-1', quantity: 1, unitPriceCents: 15000 }],
      });
    expect(bought.status).toBe(201);
    expect(await scanTier()).toBe('Plata');
    const detail = await t.http.get(`/api/members/${ana.id}`).set(cashier);
    expect(detail.body.tier).toBe('Plata');
    const search = await t.http.get(`/api/members?q=${surname}`).set(cashier);
    expect(search.body.items.map((i: { id: string; tier: string }) => [i.id, i.tier])).toEqual([
      [ana.id, 'Plata'],
    ]);

    // Downgrade after the grace period (nightly recalculation) clears it.
    t.clock.set('2027-12-01T03:30:00Z');
    await t.http.post('/api/tiers/recalculate').set(marketing).expect(200);
    expect(await scanTier()).toBe('Plata');
    t.clock.set('2027-12-31T03:30:00Z');
    const res = await t.http.post('/api/tiers/recalculate').set(marketing).expect(200);
    expect(res.body.downgraded).toBeGreaterThanOrEqual(1);
    expect(await scanTier()).toBeNull();
    expect((await t.http.get(`/api/members/${ana.id}`).set(cashier)).body.tier).toBeNull();
    t.clock.set('2026-11-27T10:00:00Z');
  });
});

describe('promotions at the till: rewards redeemed for coupons, coupons used on purchases', () => {
  let t: TestApp;
  let marketing: Record<string, string>;
  let cashier: Record<string, string>;
  let otherTill: Record<string, string>;
  let storeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-11-27T10:00:00Z');
    storeId = (await t.store()).id;
    marketing = await t.auth('marketing');
    cashier = await t.auth('cashier', { storeId });
    otherTill = await t.auth('cashier', { storeId });
  });
  afterAll(async () => {
    await t.expectLedgerClean();
    await t.close();
  });

  const enrol = () => t.member({ consents: { terms: true } });
  const balance = async (memberId: string) =>
    (await t.http.get(`/api/members/${memberId}/points`).set(cashier)).body.balance as number;
  const buy = (
    till: Record<string, string>,
    code: string,
    lines: Record<string, unknown>[],
    extra: Record<string, unknown> = {},
    key = randomUUID(),
  ) =>
    t.http
      .post('/api/checkout/purchases')
      .set(till)
      .set('Idempotency-Key', key)
      .send({ code, storeId, currency: 'EUR', lines, ...extra });
  const redeem = (code: string, rewardId: string, key = randomUUID()) =>
    t.http
      .post('/api/checkout/redemptions')
      .set(cashier)
      .set('Idempotency-Key', key)
      .send({ code, rewardId });
  const reward = async (body: Record<string, unknown>) => {
    const res = await t.http
      .post('/api/rewards')
      .set(marketing)
      .send({ nameEs: 'Premio', nameEn: 'Reward', ...body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('POST /api/checkout/redemptions {rewardId}: issues the coupon, once per key; too few points is a 409', async () => {
    const ana = await enrol();
    await buy(cashier, ana.number, [{ sku: 'TV', quantity: 1, unitPriceCents: 30000 }]).expect(201);
    expect(await balance(ana.id)).toBe(300);
    const fiveOff = await reward({ kind: 'discount', discountCents: 500, costPoints: 200 });

    const key = randomUUID();
    const first = await redeem(ana.number, fiveOff, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      memberId: ana.id,
      rewardId: fiveOff,
      pointsRedeemed: 200,
      discountCents: 0,
      balance: 100,
      coupon: { status: 'issued', kind: 'discount', discountCents: 500, memberId: ana.id },
    });
    expect(first.body.coupon.code).toMatch(/^FDC-/);
    const replay = await redeem(ana.number, fiveOff, key);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(await balance(ana.id)).toBe(100);
    const coupons = await t.http.get(`/api/members/${ana.id}/coupons`).set(cashier);
    expect(coupons.body.items.map((c: { code: string }) => c.code)).toEqual([
      first.body.coupon.code,
    ]);

    const poor = await redeem(ana.number, fiveOff);
    expect(poor.status).toBe(409);
    expect(poor.body.code).toBe('ledger.insufficient_points');
    expect(await balance(ana.id)).toBe(100);
    expect(
      (await t.http.get(`/api/members/${ana.id}/coupons`).set(cashier)).body.items,
    ).toHaveLength(1);
    const unknown = await redeem(ana.number, randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('promotions.reward_not_found');
  });

  it('a purchase uses coupons: money off the basket or one free unit, never on points, once even from two tills', async () => {
    const ana = await enrol();
    await buy(cashier, ana.number, [{ sku: 'TV', quantity: 1, unitPriceCents: 50000 }]).expect(201);
    const fiveOff = await reward({ kind: 'discount', discountCents: 500, costPoints: 100 });
    const coffee = await reward({ kind: 'free_product', sku: 'COFFEE', costPoints: 50 });
    const discount = (await redeem(ana.number, fiveOff).expect(201)).body.coupon.code as string;
    const free = (await redeem(ana.number, coffee).expect(201)).body.coupon.code as string;
    const start = await balance(ana.id);

    const lines = [
      { sku: 'COFFEE', quantity: 2, unitPriceCents: 150 },
      { sku: 'CAKE', quantity: 1, unitPriceCents: 1700 },
    ];
    // A free-product coupon needs its product in the basket: refused, and not used up.
    const wrong = await buy(cashier, ana.number, [lines[1]], { coupons: [free] });
    expect(wrong.status).toBe(409);
    expect(wrong.body.details).toEqual([
      { field: 'coupons[0]', reason: 'product COFFEE is not in the basket' },
    ]);

    const key = randomUUID();
    const res = await buy(
      cashier,
      ana.number,
      lines,
      { coupons: [free, discount.toLowerCase()] },
      key,
    );
    expect(res.status).toBe(201);
    // 20.00 − 1.50 (one coffee) − 5.00 = 13.50; points only on the money paid.
    expect(res.body).toMatchObject({ subtotalCents: 2000, discountCents: 650, totalCents: 1350 });
    expect(res.body.pointsEarned).toBe(13);
    expect(res.body.coupons).toEqual([
      expect.objectContaining({ code: free, kind: 'free_product', discountCents: 150, lineNo: 1 }),
      expect.objectContaining({
        code: discount,
        kind: 'discount',
        discountCents: 500,
        lineNo: null,
      }),
    ]);
    const [coffeeOff, cakeOff] = res.body.lines.map(
      (l: { discountCents: number }) => l.discountCents,
    );
    expect(coffeeOff).toBeGreaterThan(150);
    expect(coffeeOff + cakeOff).toBe(650);
    expect(await balance(ana.id)).toBe(start + 13);
    // The same key replays the receipt; a new purchase with a used coupon is refused.
    const replay = await buy(
      cashier,
      ana.number,
      lines,
      { coupons: [free, discount.toLowerCase()] },
      key,
    );
    expect(replay.body).toEqual(res.body);
    const used = await buy(cashier, ana.number, lines, { coupons: [discount] });
    expect(used.status).toBe(409);
    expect(used.body).toMatchObject({
      code: 'promotions.coupon_not_usable',
      details: [{ field: 'coupons[0]', reason: 'already used' }],
    });
    const coupon = await t.http.get(`/api/coupons/${discount}`).set(cashier);
    expect(coupon.body).toMatchObject({ status: 'used' });

    // Two tills at once with the same coupon (different baskets, different keys): one wins.
    const again = (await redeem(ana.number, fiveOff).expect(201)).body.coupon.code as string;
    const before = await balance(ana.id);
    const race = await Promise.all(
      [cashier, otherTill].map((till) =>
        buy(till, ana.number, [{ sku: 'HAT', quantity: 1, unitPriceCents: 2000 }], {
          coupons: [again],
        }),
      ),
    );
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    const won = race.find((r) => r.status === 201)!;
    expect(won.body).toMatchObject({ totalCents: 1500, pointsEarned: 15 });
    expect(await balance(ana.id)).toBe(before + 15);

    // Coupons and points together: points pay only what the coupons left.
    const last = (await redeem(ana.number, fiveOff).expect(201)).body.coupon.code as string;
    const tooMuch = await buy(
      cashier,
      ana.number,
      [{ sku: 'PEN', quantity: 1, unitPriceCents: 600 }],
      {
        coupons: [last],
        redeemPoints: 101,
      },
    );
    expect(tooMuch.status).toBe(422);
    const both = await buy(
      cashier,
      ana.number,
      [{ sku: 'PEN', quantity: 1, unitPriceCents: 600 }],
      {
        coupons: [last],
        redeemPoints: 100,
      },
    );
    expect(both.status).toBe(201);
    expect(both.body).toMatchObject({ discountCents: 600, totalCents: 0, pointsEarned: 0 });
    // Someone else's coupon is not usable.
    const bea = await enrol();
    const mine = (await redeem(ana.number, coffee).expect(201)).body.coupon.code as string;
    const theirs = await buy(cashier, bea.number, lines, { coupons: [mine] });
    expect(theirs.status).toBe(409);
    expect(theirs.body.details).toEqual([
      { field: 'coupons[0]', reason: 'belongs to another member' },
    ]);
  });
});
