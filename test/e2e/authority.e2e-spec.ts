import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 13, defects 1 and 3, and the authority test: a change to who a caller is (role, store,
 * deactivation, password, key revocation or expiry, store deactivation, member erasure) takes
 * effect on the caller's very next request, for every kind of credential.
 */
describe('authority follows the account, not the token', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let madrid: string;
  let barcelona: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.auth('admin');
    const mk = async (code: string) =>
      (
        await t.http
          .post('/api/stores')
          .set(admin)
          .send({ code, name: code, timeZone: 'Europe/Madrid' })
          .expect(201)
      ).body.id as string;
    madrid = await mk('MAD-1');
    barcelona = await mk('BCN-1');
  });
  afterAll(() => t.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const patchStaff = (id: string, body: Record<string, unknown>) =>
    t.http.patch(`/api/staff/${id}`).set(admin).send(body).expect(200);
  const newStaffBody = () => ({
    email: `new-${randomUUID()}@example.com`,
    name: 'New',
    password: 'another-long-password',
    roles: ['admin'],
  });
  const purchase = (who: Record<string, string>, storeId: string, memberId: string) =>
    t.http
      .post('/api/checkout/purchases')
      .set(who)
      .set('Idempotency-Key', randomUUID())
      .send({
        memberId,
        storeId,
        currency: 'EUR',
        lines: [{ sku: 'SKU-1', category: 'shoes', quantity: 1, unitPriceCents: 1000 }],
      });

  describe('staff JWT', () => {
    it('a demoted admin can no longer create staff or keys with the old token', async () => {
      const user = await t.staff('admin');
      await t.http.get('/api/staff').set(bearer(user.token)).expect(200);
      await patchStaff(user.id, { roles: ['cashier'] });
      const res = await t.http.post('/api/staff').set(bearer(user.token)).send(newStaffBody());
      expect(res.status).toBe(403);
      const key = await t.http
        .post('/api/api-keys')
        .set(bearer(user.token))
        .send({ name: 'Till', storeId: madrid });
      expect(key.status).toBe(403);
    });

    it('a promoted cashier gets the new role on the next request', async () => {
      const user = await t.staff('cashier');
      await t.http.get('/api/staff').set(bearer(user.token)).expect(403);
      await patchStaff(user.id, { roles: ['cashier', 'admin'] });
      await t.http.get('/api/staff').set(bearer(user.token)).expect(200);
    });

    it('a deactivated user is refused at once', async () => {
      const user = await t.staff('admin');
      await patchStaff(user.id, { active: false });
      const res = await t.http.get('/api/staff').set(bearer(user.token));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.session_revoked');
    });

    it('a password change ends the sessions issued before it', async () => {
      const user = await t.staff('admin');
      await patchStaff(user.id, { password: 'a-brand-new-password' });
      expect((await t.http.get('/api/staff').set(bearer(user.token))).status).toBe(401);
      const again = await t.http
        .post('/api/auth/login')
        .send({ email: user.email, password: 'a-brand-new-password' })
        .expect(200);
      await t.http.get('/api/staff').set(bearer(again.body.accessToken)).expect(200);
    });

    it('a store change moves where the user may sell, on the next request', async () => {
      const m = await t.member({ consents: { terms: true } });
      const user = await t.staff('cashier', { storeId: madrid });
      await purchase(bearer(user.token), madrid, m.id).expect(201);
      await patchStaff(user.id, { storeId: barcelona });
      expect((await purchase(bearer(user.token), madrid, m.id)).status).toBe(403);
      await purchase(bearer(user.token), barcelona, m.id).expect(201);
    });

    it("a deactivated store's staff are refused", async () => {
      const store = (
        await t.http
          .post('/api/stores')
          .set(admin)
          .send({
            code: `OFF-${randomUUID().slice(0, 6)}`,
            name: 'Closing',
            timeZone: 'Europe/Madrid',
          })
          .expect(201)
      ).body.id as string;
      const user = await t.staff('cashier', { storeId: store });
      await t.http.get('/api/stores').set(bearer(user.token)).expect(200);
      await t.http.patch(`/api/stores/${store}`).set(admin).send({ active: false }).expect(200);
      expect((await t.http.get('/api/stores').set(bearer(user.token))).status).toBe(401);
      const login = await t.http
        .post('/api/auth/login')
        .send({ email: user.email, password: user.password });
      expect(login.status).toBe(401);
    });
  });

  describe('store binding (defect 3)', () => {
    it('a cashier of Madrid cannot book a purchase or a redemption in Barcelona', async () => {
      const m = await t.member({ consents: { terms: true } });
      const cashier = await t.auth('cashier', { storeId: madrid });
      const res = await purchase(cashier, barcelona, m.id);
      expect(res.status).toBe(403);
      expect(res.body.details).toEqual([{ field: 'storeId', reason: expect.any(String) }]);
      const redeem = await t.http
        .post('/api/checkout/redemptions')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ memberId: m.id, storeId: barcelona, points: 1 });
      expect(redeem.status).toBe(403);
      await purchase(cashier, madrid, m.id).expect(201);
    });

    it('a deactivated store takes no purchases, from anyone', async () => {
      const m = await t.member({ consents: { terms: true } });
      const store = (
        await t.http
          .post('/api/stores')
          .set(admin)
          .send({
            code: `GONE-${randomUUID().slice(0, 6)}`,
            name: 'Gone',
            timeZone: 'Europe/Madrid',
          })
          .expect(201)
      ).body.id as string;
      await t.http.patch(`/api/stores/${store}`).set(admin).send({ active: false }).expect(200);
      const unbound = await t.auth('cashier');
      const res = await purchase(unbound, store, m.id);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('checkout.store_inactive');
    });
  });

  describe('POS API key', () => {
    const newKey = async (storeId: string, extra: Record<string, unknown> = {}) =>
      (
        await t.http
          .post('/api/api-keys')
          .set(admin)
          .send({ name: 'Till', storeId, ...extra })
          .expect(201)
      ).body as { id: string; key: string };

    it('a revoked key is refused on the next request', async () => {
      const key = await newKey(madrid);
      await t.http.get('/api/stores').set('X-Api-Key', key.key).expect(200);
      await t.http.patch(`/api/api-keys/${key.id}`).set(admin).send({ revoked: true }).expect(200);
      expect((await t.http.get('/api/stores').set('X-Api-Key', key.key)).status).toBe(401);
    });

    it('an expired key is refused', async () => {
      const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
      const key = await newKey(madrid, { expiresAt });
      await t.http.get('/api/stores').set('X-Api-Key', key.key).expect(200);
      t.clock.advance(2 * 3_600_000);
      try {
        expect((await t.http.get('/api/stores').set('X-Api-Key', key.key)).status).toBe(401);
      } finally {
        t.clock.reset();
      }
    });

    it('an expiry in the past is refused when the key is made', async () => {
      const res = await t.http
        .post('/api/api-keys')
        .set(admin)
        .send({ name: 'Till', storeId: madrid, expiresAt: '2000-01-01T00:00:00Z' });
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('expiresAt');
    });

    it("a deactivated store's keys are refused", async () => {
      const store = (
        await t.http
          .post('/api/stores')
          .set(admin)
          .send({
            code: `KEY-${randomUUID().slice(0, 6)}`,
            name: 'Keys',
            timeZone: 'Europe/Madrid',
          })
          .expect(201)
      ).body.id as string;
      const key = await newKey(store);
      await t.http.get('/api/stores').set('X-Api-Key', key.key).expect(200);
      await t.http.patch(`/api/stores/${store}`).set(admin).send({ active: false }).expect(200);
      expect((await t.http.get('/api/stores').set('X-Api-Key', key.key)).status).toBe(401);
    });
  });

  describe('member session', () => {
    it('an erased member is refused on the next request', async () => {
      const m = await t.member({ consents: { terms: true } });
      await t.http.get('/api/me').set(m.auth).expect(200);
      const supervisor = await t.auth('supervisor');
      await t.http.post(`/api/members/${m.id}/erase`).set(supervisor).expect(200);
      // Erased members answer 404 everywhere (docs/design.md), their own session included.
      expect((await t.http.get('/api/me').set(m.auth)).status).toBe(404);
      expect((await t.http.get(`/api/members/${m.id}/points`).set(m.auth)).status).toBe(404);
    });
  });
});
