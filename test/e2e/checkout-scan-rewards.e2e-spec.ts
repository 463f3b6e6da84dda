import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../utils/test-app';

/** DESIGN §6: the scan answers the member summary with the rewards usable now. */
describe('scan: usable rewards', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("lists the member's unused coupons, then the catalogue rewards the balance covers", async () => {
    const storeId = (await t.store()).id;
    const marketing = await t.auth('marketing');
    const cashier = await t.auth('cashier', { storeId });
    const reward = (body: object) =>
      t.http.post('/api/rewards').set(marketing).send(body).expect(201);
    const coffee = await reward({
      nameEs: 'Café',
      nameEn: 'Coffee',
      kind: 'coupon',
      costPoints: 30,
    });
    await reward({
      nameEs: 'Descuento 5 €',
      nameEn: '€5 off',
      kind: 'discount',
      costPoints: 500,
      discountCents: 500,
    });
    await reward({
      nameEs: 'Agotado',
      nameEn: 'Sold out',
      kind: 'coupon',
      costPoints: 10,
      stock: 0,
    });
    const ana = await t.member();

    // 69.99 € earns 69 points at the base rate
    await t.http
      .post('/api/checkout/purchases')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({
        code: ana.number,
        storeId,
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 1, unitPriceCents: 6999 }],
      })
      .expect(201);
    const before = await t.http
      .post('/api/checkout/scan')
      .set(cashier)
      .send({ code: ana.number })
      .expect(200);
    expect(before.body.balance).toBe(69);
    expect(before.body.rewards).toEqual([
      expect.objectContaining({
        source: 'catalogue',
        code: null,
        rewardId: coffee.body.id,
        costPoints: 30,
        name: { es: 'Café', en: 'Coffee' },
      }),
    ]);

    const redeemed = await t.http
      .post('/api/checkout/redemptions')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({ memberId: ana.id, storeId, rewardId: coffee.body.id })
      .expect(201);
    const after = await t.http
      .post('/api/checkout/scan')
      .set(cashier)
      .send({ code: ana.number })
      .expect(200);
    expect(after.body.balance).toBe(39);
    expect(
      after.body.rewards.map((r: { source: string; code: string | null }) => [r.source, r.code]),
    ).toEqual([
      ['coupon', redeemed.body.coupon.code],
      ['catalogue', null],
    ]);
  });
});
