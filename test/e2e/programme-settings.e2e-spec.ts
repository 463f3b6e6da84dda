import { randomUUID } from 'node:crypto';
import { SETTINGS_CACHE_MS } from '../../src/modules/settings/settings.service';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 14: the point value and the points expiry an admin sets at /admin are what checkout, the
 * preview, the ledger, the till's figures and the member area use (the environment is only the
 * default), and a change applies to new postings only.
 */
describe('programme settings take effect', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let cashier: Record<string, string>;
  let storeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    storeId = (await t.store()).id;
    admin = await t.auth('admin');
    cashier = await t.auth('cashier', { storeId });
  });
  afterAll(async () => {
    await t.expectLedgerClean();
    await t.close();
  });

  const line = (unitPriceCents: number) => ({
    sku: 'SKU-1',
    category: 'shoes',
    quantity: 1,
    unitPriceCents,
  });
  const basket = (memberId: string, body: Record<string, unknown> = {}) => ({
    memberId,
    storeId,
    currency: 'EUR',
    lines: [line(20000)],
    ...body,
  });
  const buy = (body: Record<string, unknown>) =>
    t.http
      .post('/api/checkout/purchases')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send(body);
  const lotExpiry = async (purchaseId: string): Promise<Date> => {
    const [row] = await t.dataSource.query(
      `SELECT expires_at AS "expiresAt" FROM point_lots WHERE purchase_id = $1 AND kind = 'earn'`,
      [purchaseId],
    );
    return new Date(row.expiresAt);
  };
  const monthsAfter = (from: Date, months: number) => {
    const d = new Date(from);
    d.setUTCMonth(d.getUTCMonth() + months);
    return d;
  };

  it('redemptions, the preview, new lots, the till and /me follow a change at once', async () => {
    const ana = await t.member({ consents: { terms: true } });
    const first = await buy(basket(ana.id)).expect(201);
    const firstExpiry = await lotExpiry(first.body.purchaseId);
    expect(firstExpiry.getTime()).toBeGreaterThan(monthsAfter(t.clock.now(), 23).getTime());

    await t.http
      .patch('/api/settings')
      .set(admin)
      .send({ pointValueCents: 5, pointsExpiryMonths: 6 })
      .expect(200);

    // A discount in points: 40 points at 5 cents.
    const redeemed = await t.http
      .post('/api/checkout/redemptions')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({ code: ana.number, points: 40 })
      .expect(201);
    expect(redeemed.body).toMatchObject({ pointsRedeemed: 40, discountCents: 200 });

    // The preview and the purchase spend 50 points as 2.50 €.
    const spend = basket(ana.id, { redeemPoints: 50 });
    const preview = await t.http.post('/api/checkout/preview').set(cashier).send(spend).expect(200);
    expect(preview.body).toMatchObject({ discountCents: 250, totalCents: 19750 });
    const sale = await buy(spend).expect(201);
    expect(sale.body).toMatchObject({ discountCents: 250, totalCents: 19750 });

    // The new earning's lot expires in 6 months; the first lot keeps its 24.
    const now = t.clock.now();
    const newExpiry = await lotExpiry(sale.body.purchaseId);
    expect(newExpiry.getTime()).toBeGreaterThanOrEqual(monthsAfter(now, 6).getTime() - 86_400_000);
    expect(newExpiry.getTime()).toBeLessThanOrEqual(monthsAfter(now, 7).getTime());
    expect(await lotExpiry(first.body.purchaseId)).toEqual(firstExpiry);

    // The till's figures and the member area say what the points are worth.
    const figures = await t.http
      .get(`/api/checkout/members/${ana.id}/figures`)
      .set(cashier)
      .expect(200);
    expect(figures.body.pointValueCents).toBe(5);
    expect(figures.body.availableCents).toBe(figures.body.available * 5);
    const mine = await t.http.get(`/api/members/${ana.id}/points`).set(ana.auth).expect(200);
    expect(mine.body).toMatchObject({ pointValueCents: 5, valueCents: mine.body.available * 5 });
  });

  it('reads the table at most once per cache period: another instance’s change shows after it', async () => {
    await t.http.patch('/api/settings').set(admin).send({ pointValueCents: 2 }).expect(200);
    const ana = await t.member({ consents: { terms: true } });
    await buy(basket(ana.id)).expect(201);
    // Another instance writes the table: this one keeps its cached value until the period ends.
    await t.dataSource.query(
      `UPDATE programme_settings SET value = '7'::jsonb WHERE key = 'pointValueCents'`,
    );
    const spend = basket(ana.id, { redeemPoints: 10 });
    const cached = await t.http.post('/api/checkout/preview').set(cashier).send(spend).expect(200);
    expect(cached.body.discountCents).toBe(20);
    t.clock.advance(SETTINGS_CACHE_MS + 1);
    const fresh = await t.http.post('/api/checkout/preview').set(cashier).send(spend).expect(200);
    expect(fresh.body.discountCents).toBe(70);
  });
});
