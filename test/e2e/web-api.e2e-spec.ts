import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../../src/modules/auth';
import { startTestApp, TestApp } from '../utils/test-app';

describe('the web pages’ API: settings, categories, checkout preview, returns by ticket', () => {
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

  const line = (unitPriceCents: number, quantity = 1, sku = 'SKU-1') => ({
    sku,
    category: 'shoes',
    quantity,
    unitPriceCents,
  });
  const buy = (body: Record<string, unknown>, who = cashier) =>
    t.http
      .post('/api/checkout/purchases')
      .set(who)
      .set('Idempotency-Key', randomUUID())
      .send({ storeId, currency: 'EUR', lines: [line(5999)], ...body });
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  describe('programme settings', () => {
    it('answers the defaults, lets an admin change them, and refuses bad values naming the field', async () => {
      const first = await t.http.get('/api/settings').set(cashier).expect(200);
      expect(first.body).toEqual({
        pointValueCents: 1,
        pointsExpiryMonths: 24,
        complaintDeadline: 'earliest',
      });
      await t.http.patch('/api/settings').set(cashier).send({ pointValueCents: 2 }).expect(403);
      const bad = await t.http.patch('/api/settings').set(admin).send({ pointValueCents: 0 });
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].field).toBe('pointValueCents');
      const deadline = await t.http
        .patch('/api/settings')
        .set(admin)
        .send({ complaintDeadline: 'tomorrow' });
      expect(deadline.status).toBe(400);
      const ok = await t.http
        .patch('/api/settings')
        .set(admin)
        .send({ pointsExpiryMonths: 12, complaintDeadline: 'fifteen_working_days' })
        .expect(200);
      expect(ok.body).toEqual({
        pointValueCents: 1,
        pointsExpiryMonths: 12,
        complaintDeadline: 'fifteen_working_days',
      });
      expect((await t.http.get('/api/settings').set(cashier)).body.pointsExpiryMonths).toBe(12);
    });
  });

  describe('product categories', () => {
    it('keeps a managed list: created by admins, read by staff, deactivated not deleted', async () => {
      const created = await t.http
        .post('/api/product-categories')
        .set(admin)
        .send({ code: 'coffee', nameEs: 'Café', nameEn: 'Coffee' })
        .expect(201);
      await t.http
        .post('/api/product-categories')
        .set(admin)
        .send({ code: 'coffee', nameEs: 'Café', nameEn: 'Coffee' })
        .expect(409);
      const typo = await t.http
        .post('/api/product-categories')
        .set(admin)
        .send({ code: 'Café', nameEs: 'Café', nameEn: 'Coffee' });
      expect(typo.status).toBe(400);
      expect(typo.body.details[0].field).toBe('code');
      await t.http
        .post('/api/product-categories')
        .set(cashier)
        .send({ code: 'tea', nameEs: 'Té', nameEn: 'Tea' })
        .expect(403);
      const list = await t.http.get('/api/product-categories').set(cashier).expect(200);
      expect(list.body.items).toEqual([
        { id: created.body.id, code: 'coffee', nameEs: 'Café', nameEn: 'Coffee', active: true },
      ]);
      await t.http
        .patch(`/api/product-categories/${created.body.id}`)
        .set(admin)
        .send({ active: false })
        .expect(200);
      expect((await t.http.get('/api/product-categories').set(cashier)).body.items).toEqual([]);
      const all = await t.http.get('/api/product-categories?all=true').set(admin);
      expect(all.body.items).toHaveLength(1);
      await t.http
        .patch(`/api/product-categories/${randomUUID()}`)
        .set(admin)
        .send({ active: true })
        .expect(404);
    });
  });

  describe('POST /api/checkout/preview', () => {
    it('gives the receipt the purchase then gives, points spent included, and writes nothing', async () => {
      const ana = await t.member({ consents: { terms: true } });
      await buy({ code: ana.number, lines: [line(20000)] }).expect(201);
      const basket = {
        memberId: ana.id,
        storeId,
        currency: 'EUR',
        redeemPoints: 50,
        lines: [line(1250, 2), line(499, 1, 'SKU-2')],
      };
      const before = await Promise.all(
        ['purchases', 'ledger_entries', 'point_lots', 'idempotency_keys'].map(count),
      );
      const preview = await t.http.post('/api/checkout/preview').set(cashier).send(basket);
      expect(preview.status).toBe(200);
      expect(
        await Promise.all(
          ['purchases', 'ledger_entries', 'point_lots', 'idempotency_keys'].map(count),
        ),
      ).toEqual(before);
      expect(preview.body).toMatchObject({
        preview: true,
        subtotalCents: 2999,
        discountCents: 50,
        totalCents: 2949,
        pointsRedeemed: 50,
      });
      const sale = await buy(basket).expect(201);
      for (const field of [
        'subtotalCents',
        'discountCents',
        'totalCents',
        'pointsEarned',
        'pointsRedeemed',
        'balance',
        'pending',
        'breakdown',
        'lines',
      ]) {
        expect({ [field]: preview.body[field] }).toEqual({ [field]: sale.body[field] });
      }
      expect(preview.body.purchaseId).toBeUndefined();
    });

    it('is allowed to POS keys, refused without a session, and names a bad field', async () => {
      const ana = await t.member({ consents: { terms: true } });
      const key = await t.app.get(ApiKeysService).create({ name: 'Till 9', storeId });
      const pos = { 'X-Api-Key': key.key };
      const ok = await t.http
        .post('/api/checkout/preview')
        .set(pos)
        .send({ code: ana.number, currency: 'EUR', lines: [line(1000)] });
      expect(ok.status).toBe(200);
      expect(ok.body.pointsEarned).toBe(10);
      await t.http
        .post('/api/checkout/preview')
        .send({ code: ana.number, currency: 'EUR', lines: [line(1000)] })
        .expect(401);
      const bad = await t.http
        .post('/api/checkout/preview')
        .set(cashier)
        .send({ code: ana.number, storeId, currency: 'EUR', lines: [line(-1)] });
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].field).toBe('lines.0.unitPriceCents');
      const tooMuch = await t.http
        .post('/api/checkout/preview')
        .set(cashier)
        .send({
          memberId: ana.id,
          storeId,
          currency: 'EUR',
          redeemPoints: 5000,
          lines: [line(100)],
        });
      expect(tooMuch.status).toBeGreaterThanOrEqual(400);
      expect(tooMuch.status).toBeLessThan(500);
    });
  });

  describe('returns by ticket number', () => {
    it('finds the purchase by the shop’s ticket in the store and reverses its points', async () => {
      const ana = await t.member({ consents: { terms: true } });
      await buy({ code: ana.number, externalId: 'T-1001', lines: [line(2000, 2)] }).expect(201);
      const res = await t.http
        .post('/api/checkout/returns')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ externalId: 'T-1001', storeId, lines: [{ lineNo: 1, quantity: 1 }] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ memberId: ana.id, pointsReversed: 20, balance: 20 });

      const unknown = await t.http
        .post('/api/checkout/returns')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ externalId: 'T-9999', storeId, lines: [{ lineNo: 1, quantity: 1 }] });
      expect(unknown.status).toBe(404);
      expect(unknown.body.details).toEqual([
        { field: 'externalId', reason: 'no such ticket in this store' },
      ]);
      const neither = await t.http
        .post('/api/checkout/returns')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ storeId, lines: [{ lineNo: 1, quantity: 1 }] });
      expect(neither.status).toBe(400);
      expect(neither.body.details[0].field).toBe('purchaseId');
    });

    it('accepts the purchase id, and lists the member’s latest purchases newest first', async () => {
      const ana = await t.member({ consents: { terms: true } });
      const first = await buy({ code: ana.number, externalId: 'T-2001' }).expect(201);
      t.clock.advance(60_000);
      await buy({ code: ana.number, externalId: 'T-2002' }).expect(201);
      const recent = await t.http
        .get(`/api/checkout/members/${ana.id}/purchases?limit=5`)
        .set(cashier)
        .expect(200);
      expect(recent.body.items.map((p: { externalId: string }) => p.externalId)).toEqual([
        'T-2002',
        'T-2001',
      ]);
      expect(recent.body.items[0].lines[0]).toMatchObject({ sku: 'SKU-1', returnedQuantity: 0 });
      const res = await t.http
        .post('/api/checkout/returns')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ purchaseId: first.body.purchaseId, lines: [{ sku: 'SKU-1', quantity: 1 }] });
      expect(res.status).toBe(201);
      await t.http
        .get(`/api/checkout/members/${ana.id}/purchases?limit=50`)
        .set(cashier)
        .expect(400);
    });
  });

  describe('till figures, tier progress, session renewal', () => {
    it('answers the member’s figures to a cashier after each operation', async () => {
      const ana = await t.member({ consents: { terms: true } });
      await buy({ code: ana.number, lines: [line(4200)] }).expect(201);
      const res = await t.http
        .get(`/api/checkout/members/${ana.id}/figures`)
        .set(cashier)
        .expect(200);
      expect(res.body).toMatchObject({ memberId: ana.id, balance: 42, available: 42, pending: 0 });
      expect(res.body.rewards).toEqual([]);
      await t.http.get(`/api/checkout/members/${ana.id}/figures`).set(ana.auth).expect(403);
    });

    it('tells a member their tier and what is missing for the next, and no one else’s', async () => {
      await t.http
        .post('/api/tiers')
        .set(await t.auth('marketing'))
        .send({ code: 'gold', nameEs: 'Oro', nameEn: 'Gold', thresholdPoints: 500 })
        .expect(201);
      const ana = await t.member({ consents: { terms: true } });
      const other = await t.member({ consents: { terms: true } });
      await buy({ code: ana.number, lines: [line(10000)] }).expect(201);
      const res = await t.http.get(`/api/members/${ana.id}/tier`).set(ana.auth).expect(200);
      expect(res.body).toMatchObject({
        current: null,
        next: { code: 'gold', nameEs: 'Oro' },
        earned: 100,
        missing: 400,
        percent: 20,
      });
      await t.http.get(`/api/members/${ana.id}/tier`).set(other.auth).expect(404);
    });

    it('renews a staff session with the user’s current roles, and refuses POS keys', async () => {
      const user = await t.staff('cashier');
      const res = await t.http
        .post('/api/auth/refresh')
        .set({ Authorization: `Bearer ${user.token}` })
        .expect(200);
      expect(res.body).toMatchObject({ roles: ['cashier'], tokenType: 'Bearer' });
      expect(typeof res.body.accessToken).toBe('string');
      await t.http.post('/api/auth/refresh').expect(401);
      const key = await t.app.get(ApiKeysService).create({ name: 'Till R', storeId });
      await t.http.post('/api/auth/refresh').set('X-Api-Key', key.key).expect(403);
    });
  });

  describe('the simulator with the promotion being edited', () => {
    it('includes the draft as its form stands, replacing the saved version it edits', async () => {
      const marketing = await t.auth('marketing');
      const basket = {
        storeId,
        member: { firstPurchase: false },
        lines: [{ sku: 'A', category: 'coffee', quantity: 1, unitPriceCents: 1000 }],
      };
      const plain = await t.http.post('/api/promotions/simulate').set(marketing).send(basket);
      expect(plain.status).toBe(200);
      const draft = {
        nameEs: 'Bono café',
        nameEn: 'Coffee bonus',
        conditions: { type: 'line_category', op: 'in', value: ['coffee'] },
        effects: [{ type: 'fixed_bonus', points: 25 }],
      };
      const withDraft = await t.http
        .post('/api/promotions/simulate')
        .set(marketing)
        .send({ ...basket, draft });
      expect(withDraft.status).toBe(200);
      expect(withDraft.body.pointsEarned).toBe(plain.body.pointsEarned + 25);
      expect(withDraft.body.breakdown.map((b: { name: string }) => b.name)).toContain('Bono café');

      // Editing a saved promotion: the draft replaces it (not counted twice).
      const saved = await t.http.post('/api/promotions').set(marketing).send(draft).expect(201);
      const edited = await t.http
        .post('/api/promotions/simulate')
        .set(marketing)
        .send({
          ...basket,
          includePromotionIds: [saved.body.id],
          draftOf: saved.body.id,
          draft: { ...draft, effects: [{ type: 'fixed_bonus', points: 40 }] },
        });
      expect(edited.status).toBe(200);
      expect(edited.body.pointsEarned).toBe(plain.body.pointsEarned + 40);
      const bad = await t.http
        .post('/api/promotions/simulate')
        .set(marketing)
        .send({ ...basket, draft: { ...draft, effects: [] } });
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].field).toBe('draft.effects');
    });
  });
});
