import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../../src/modules/auth';
import { CardsService } from '../../src/modules/cards';
import { startTestApp, TestApp } from '../utils/test-app';
import { TransactionRunner } from '../../src/database';

describe('checkout: scan, purchase, redeem, return, batch', () => {
  let t: TestApp;
  let cashier: Record<string, string>;
  let storeId: string;
  let pos: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    storeId = (await t.store()).id;
    const user = await t.staff('cashier', { storeId });
    cashier = { Authorization: `Bearer ${user.token}` };
    const key = await t.app.get(ApiKeysService).create({ name: 'Till 1', storeId });
    pos = { 'X-Api-Key': key.key };
  });
  afterAll(async () => {
    await t.expectLedgerClean();
    await t.close();
  });

  const enrol = () => t.member({ consents: { terms: true } });

  const line = (unitPriceCents: number, quantity = 1, sku = 'SKU-1') => ({
    sku,
    category: 'shoes',
    quantity,
    unitPriceCents,
  });

  const buy = (
    code: string,
    body: Record<string, unknown>,
    key: string = randomUUID(),
    who = cashier,
  ) =>
    t.http
      .post('/api/checkout/purchases')
      .set(who)
      .set('Idempotency-Key', key)
      .send({ code, storeId, currency: 'EUR', lines: [line(5999)], ...body });

  const points = async (memberId: string) =>
    (await t.http.get(`/api/members/${memberId}/points`).set(cashier)).body;

  describe('scan', () => {
    it('answers the member summary for a typed card number', async () => {
      const ana = await enrol();
      await buy(ana.number, {}).expect(201);
      const res = await t.http.post('/api/checkout/scan').set(pos).send({ code: ana.number });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        memberId: ana.id,
        codeKind: 'number',
        name: 'Ana García',
        balance: 59,
        available: 59,
        pending: 0,
        rewards: [],
        warnings: [],
      });
      expect(res.body.expiring).toEqual([{ points: 59, expiresAt: expect.any(String) }]);
    });

    it('refuses an unknown number and a replaced card with a clear reason', async () => {
      const unknown = await t.http
        .post('/api/checkout/scan')
        .set(cashier)
        .send({ code: '4000000000000000' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('cards.unknown');
      const ana = await enrol();
      await t.app.get(CardsService).replace(ana.id);
      const replaced = await t.http
        .post('/api/checkout/scan')
        .set(cashier)
        .send({ code: ana.number });
      expect(replaced.status).toBe(422);
      expect(replaced.body.code).toBe('cards.replaced');
    });

    it('refuses a tampered static code and a blocked card', async () => {
      const ana = await enrol();
      const tampered = await t.http
        .post('/api/checkout/scan')
        .set(cashier)
        .send({ code: `FDL1.${ana.number}.AAAAAAAAAAAAAAAA` });
      expect(tampered.status).toBe(422);
      expect(tampered.body.code).toBe('cards.tampered');
      await t.app
        .get(TransactionRunner)
        .run((em) => t.app.get(CardsService).blockAllForMember(em, ana.id));
      const blocked = await t.http
        .post('/api/checkout/scan')
        .set(cashier)
        .send({ code: ana.number });
      expect(blocked.status).toBe(422);
      expect(blocked.body.code).toBe('cards.blocked');
      const purchase = await buy(ana.number, {});
      expect(purchase.status).toBe(422);
      expect(purchase.body.code).toBe('cards.blocked');
    });

    it('answers 400 for a missing code', async () => {
      const res = await t.http.post('/api/checkout/scan').set(cashier).send({});
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'code', reason: expect.any(String), constraint: 'isDefined' },
      ]);
    });
  });

  describe('purchases', () => {
    it('records a purchase and answers the receipt of DESIGN §6', async () => {
      const ana = await enrol();
      const res = await buy(ana.number, { externalId: 'T1-000123', redeemPoints: 0 });
      expect(res.status).toBe(201);
      expect(res.headers['idempotent-replayed']).toBe('false');
      expect(res.body).toMatchObject({
        purchaseId: expect.any(String),
        memberId: ana.id,
        storeId,
        externalId: 'T1-000123',
        totalCents: 5999,
        discountCents: 0,
        pointsEarned: 59,
        pointsRedeemed: 0,
        balance: 59,
        breakdown: [{ promotionId: null, version: null, name: 'Base rate', points: 59 }],
        lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 1, amountCents: 5999, pointsEarned: 59 }],
      });
      const [row] = await t.dataSource.query(
        `SELECT p.actor_type, p.actor_id, e.store_id, e.actor_id AS entry_actor, e.reason
           FROM purchases p JOIN ledger_entries e ON e.purchase_id = p.id WHERE p.id = $1`,
        [res.body.purchaseId],
      );
      expect(row).toMatchObject({ actor_type: 'staff', store_id: storeId });
      expect(row.entry_actor).toBe(row.actor_id);
      expect(row.reason).toBe('Points for purchase T1-000123');
    });

    it('requires the Idempotency-Key header', async () => {
      const ana = await enrol();
      const res = await t.http
        .post('/api/checkout/purchases')
        .set(cashier)
        .send({ code: ana.number, storeId, currency: 'EUR', lines: [line(100)] });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('idempotency.key_required');
      expect(res.body.details).toEqual([{ field: 'Idempotency-Key', reason: expect.any(String) }]);
    });

    it('replays the original receipt byte for byte; another body with the key is a 422', async () => {
      const ana = await enrol();
      const key = randomUUID();
      const first = await buy(ana.number, { externalId: 'R-1' }, key);
      expect(first.status).toBe(201);
      const replay = await buy(ana.number, { externalId: 'R-1' }, key);
      expect(replay.status).toBe(201);
      expect(replay.text).toBe(first.text);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const other = await buy(ana.number, { externalId: 'R-1', lines: [line(100)] }, key);
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency.key_reused');
      expect((await points(ana.id)).balance).toBe(59);
    });

    it('refuses an unknown store with a 404 naming storeId, and writes nothing', async () => {
      const ana = await enrol();
      // A cashier bound to no store: one bound to a store may not name another (a 403).
      const unbound = await t.auth('cashier');
      const res = await buy(
        ana.number,
        { storeId: randomUUID(), externalId: 'NOSTORE-1' },
        randomUUID(),
        unbound,
      );
      expect(res.status).toBe(404);
      expect(res.body.details).toEqual([{ field: 'storeId', reason: 'no such store' }]);
      const [row] = await t.dataSource.query(
        `SELECT (SELECT count(*) FROM purchases WHERE member_id = $1)::int AS purchases,
                (SELECT count(*) FROM ledger_entries WHERE member_id = $1)::int AS entries`,
        [ana.id],
      );
      expect(row).toEqual({ purchases: 0, entries: 0 });
      // The check behind it holds because stores are kept: the database refuses to delete one.
      await expect(
        t.dataSource.query(`DELETE FROM stores WHERE id = $1`, [storeId]),
      ).rejects.toThrow(/stores are never deleted/);
    });

    it('refuses a second purchase with the same store and externalId under another key', async () => {
      const ana = await enrol();
      await buy(ana.number, { externalId: 'DUP-1' }).expect(201);
      const res = await buy(ana.number, { externalId: 'DUP-1' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('checkout.duplicate_external_id');
      expect((await points(ana.id)).balance).toBe(59);
    });

    it('50 concurrent requests with one key post once and all answer the same receipt', async () => {
      const ana = await enrol();
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => buy(ana.number, { externalId: 'C-50' }, key)),
      );
      // The later ones wait on the first one's key row, then answer its stored receipt.
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
      expect(new Set(responses.map((r) => r.text)).size).toBe(1);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM purchases WHERE member_id = $1`,
        [ana.id],
      );
      expect(count).toBe(1);
      expect((await points(ana.id)).balance).toBe(59);
    });

    it('spends points as a discount in the same purchase and earns only on the money paid', async () => {
      const ana = await enrol();
      await buy(ana.number, { lines: [line(10000)] }).expect(201); // 100 points
      const res = await buy(ana.number, {
        redeemPoints: 80,
        lines: [line(2000, 1, 'A'), line(1000, 2, 'B')],
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        subtotalCents: 4000,
        discountCents: 80,
        totalCents: 3920,
        pointsRedeemed: 80,
        pointsEarned: 39,
        balance: 100 - 80 + 39,
      });
      expect(res.body.lines.map((l: { pointsRedeemed: number }) => l.pointsRedeemed)).toEqual([
        40, 40,
      ]);
      const entries = (await t.http.get(`/api/members/${ana.id}/points/entries`).set(cashier)).body
        .items;
      expect(
        entries.slice(0, 2).map((e: { kind: string; points: number }) => [e.kind, e.points]),
      ).toEqual([
        ['earn', 39],
        ['redeem', -80],
      ]);
    });

    it('refuses to spend more than the balance (409, nothing recorded) or worth more than the basket', async () => {
      const ana = await enrol();
      const res = await buy(ana.number, { redeemPoints: 10 });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ledger.insufficient_points');
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM purchases WHERE member_id = $1`,
        [ana.id],
      );
      expect(count).toBe(0);
      await buy(ana.number, { lines: [line(100000)] }).expect(201);
      const tooMuch = await buy(ana.number, { redeemPoints: 200, lines: [line(100)] });
      expect(tooMuch.status).toBe(422);
      expect(tooMuch.body.code).toBe('checkout.discount_exceeds_total');
    });

    it('names every bad field (400)', async () => {
      const res = await t.http
        .post('/api/checkout/purchases')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({
          storeId,
          currency: 'euro',
          lines: [{ sku: '', quantity: 0, unitPriceCents: 1.5 }],
          extra: 1,
        });
      expect(res.status).toBe(400);
      const fields = res.body.details.map((d: { field: string }) => d.field).sort();
      expect(fields).toEqual(
        [
          'code',
          'currency',
          'extra',
          'lines.0.quantity',
          'lines.0.sku',
          'lines.0.unitPriceCents',
        ].sort(),
      );
    });

    it('a POS key records at its own store and may not name another', async () => {
      const ana = await enrol();
      const mine = await t.http
        .post('/api/checkout/purchases')
        .set(pos)
        .set('Idempotency-Key', randomUUID())
        .send({ code: ana.number, currency: 'EUR', lines: [line(1000)] });
      expect(mine.status).toBe(201);
      expect(mine.body.storeId).toBe(storeId);
      const other = await t.http
        .post('/api/checkout/purchases')
        .set(pos)
        .set('Idempotency-Key', randomUUID())
        .send({ code: ana.number, storeId: randomUUID(), currency: 'EUR', lines: [line(1000)] });
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('checkout.wrong_store');
    });

    it('needs a store that exists', async () => {
      const ana = await enrol();
      const cashierWithoutStore = await t.auth('cashier');
      const unknown = await buy(
        ana.number,
        { storeId: randomUUID() },
        randomUUID(),
        cashierWithoutStore,
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toMatch(/^(checkout.store|stores)\.not_found$/);
      const none = await buy(ana.number, { storeId: undefined }, randomUUID(), cashierWithoutStore);
      expect(none.status).toBe(400);
      expect(none.body.code).toBe('checkout.store_required');
      expect((await points(ana.id)).balance).toBe(0);
    });

    it('only cashiers and POS keys may use the till API', async () => {
      const ana = await enrol();
      const agent = await t.auth('agent');
      expect(
        (await t.http.post('/api/checkout/scan').set(agent).send({ code: ana.number })).status,
      ).toBe(403);
      expect((await t.http.post('/api/checkout/scan').send({ code: ana.number })).status).toBe(401);
      expect(
        (await t.http.post('/api/checkout/scan').set(ana.auth).send({ code: ana.number })).status,
      ).toBe(403);
      const res = await buy(ana.number, {}, randomUUID(), agent);
      expect(res.status).toBe(403);
    });
  });

  describe('redemptions', () => {
    it('points for a discount; not enough is a 409 with nothing written; replays once', async () => {
      const ana = await enrol();
      await buy(ana.number, { lines: [line(15900)] }).expect(201); // 159 points
      const key = randomUUID();
      const send = (points: number, k = key) =>
        t.http
          .post('/api/checkout/redemptions')
          .set(cashier)
          .set('Idempotency-Key', k)
          .send({ code: ana.number, points });
      const res = await send(100);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ pointsRedeemed: 100, discountCents: 100, balance: 59 });
      expect((await send(100)).text).toBe(res.text);
      const refused = await send(60, randomUUID());
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ error: 'Conflict', message: 'insufficient points' });
      expect((await points(ana.id)).balance).toBe(59);
      const neither = await t.http
        .post('/api/checkout/redemptions')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ code: ana.number });
      expect(neither.status).toBe(400);
      expect(neither.body.details.map((d: { field: string }) => d.field)).toEqual(['points']);
      const reward = await t.http
        .post('/api/checkout/redemptions')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ code: ana.number, rewardId: randomUUID() });
      // Rewards are redeemed through the promotions module's catalogue (an unknown one: 404).
      expect(reward.status).toBe(404);
      expect(reward.body.code).toBe('promotions.reward_not_found');
    });
  });

  describe('programme setting: spending needs the rotating code', () => {
    afterEach(() => {
      t.config.REDEMPTION_REQUIRES_ROTATING_CODE = false;
    });

    it('refuses the number and a bare member id, accepts the rotating code once', async () => {
      const ana = await enrol();
      await buy(ana.number, { lines: [line(10000)] }).expect(201);
      t.config.REDEMPTION_REQUIRES_ROTATING_CODE = true;
      const redeem = (ref: object) =>
        t.http
          .post('/api/checkout/redemptions')
          .set(cashier)
          .set('Idempotency-Key', randomUUID())
          .send({ ...ref, points: 10 });
      const byNumber = await redeem({ code: ana.number });
      expect(byNumber.status).toBe(422);
      expect(byNumber.body.code).toBe('cards.rotating_required');
      const byId = await redeem({ memberId: ana.id });
      expect(byId.status).toBe(422);
      expect(byId.body.code).toBe('checkout.rotating_code_required');
      const cards = t.app.get(CardsService);
      const card = (await cards.activeCardOf(t.dataSource.manager, ana.id))!;
      const { code } = await cards.rotatingCodeOf(t.dataSource.manager, card);
      const ok = await redeem({ code });
      expect(ok.status).toBe(201);
      expect(ok.body.balance).toBe(90);
      expect((await redeem({ code })).body.code).toBe('cards.reused');
      // Earning alone still takes the number.
      await buy(ana.number, { lines: [line(1000)] }).expect(201);
    });
  });

  describe('returns', () => {
    it('reverses earned and re-credits redeemed points line by line; idempotent; no more than bought', async () => {
      const ana = await enrol();
      await buy(ana.number, { lines: [line(5000)] }).expect(201); // 50
      const sale = await buy(ana.number, {
        externalId: 'RET-1',
        redeemPoints: 30,
        lines: [line(3000, 3, 'A'), line(1000, 1, 'B')],
      });
      expect(sale.status).toBe(201);
      // 10000 cents, 30 points off → 99 earned (A 74, B 25); spent A 23, B 7
      expect(sale.body.pointsEarned).toBe(99);
      expect(sale.body.balance).toBe(50 - 30 + 99);
      const id = sale.body.purchaseId as string;
      const key = randomUUID();
      const ret = (body: object, k = key) =>
        t.http
          .post(`/api/checkout/purchases/${id}/returns`)
          .set(cashier)
          .set('Idempotency-Key', k)
          .send(body);
      const first = await ret({ lines: [{ sku: 'A', quantity: 1 }] });
      expect(first.status).toBe(201);
      const a = sale.body.lines[0];
      expect(first.body).toMatchObject({
        pointsReversed: Math.floor(a.pointsEarned / 3),
        pointsRecredited: Math.floor(a.pointsRedeemed / 3),
        refundCents: Math.floor((9000 - a.discountCents) / 3),
      });
      expect((await ret({ lines: [{ sku: 'A', quantity: 1 }] })).text).toBe(first.text);
      const tooMany = await ret({ lines: [{ sku: 'A', quantity: 3 }] }, randomUUID());
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.code).toBe('checkout.return_exceeds_purchase');
      expect(tooMany.body.details).toEqual([
        { field: 'lines.0.quantity', reason: 'at most 2 can still be returned' },
      ]);
      const rest = await ret(
        {
          lines: [
            { sku: 'A', quantity: 2 },
            { lineNo: 2, quantity: 1 },
          ],
        },
        randomUUID(),
      );
      expect(rest.status).toBe(201);
      // Everything back: the purchase's points are gone, its spent points returned.
      expect(first.body.pointsReversed + rest.body.pointsReversed).toBe(99);
      expect(first.body.pointsRecredited + rest.body.pointsRecredited).toBe(30);
      expect((await points(ana.id)).balance).toBe(50);
      const unknownLine = await ret({ lines: [{ sku: 'Z', quantity: 1 }] }, randomUUID());
      expect(unknownLine.status).toBe(422);
      const missing = await t.http
        .post(`/api/checkout/purchases/${randomUUID()}/returns`)
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ lines: [{ sku: 'A', quantity: 1 }] });
      expect(missing.status).toBe(404);
      const empty = await ret({ lines: [] }, randomUUID());
      expect(empty.status).toBe(400);
      expect(empty.body.details[0].field).toBe('lines');
      const badId = await t.http
        .post('/api/checkout/purchases/not-a-uuid/returns')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ lines: [{ sku: 'A', quantity: 1 }] });
      expect(badId.status).toBe(400);
    });

    it('a return of points already spent leaves a negative balance that blocks redemptions', async () => {
      const ana = await enrol();
      const sale = await buy(ana.number, { lines: [line(10000)] }); // 100
      await t.http
        .post('/api/checkout/redemptions')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ code: ana.number, points: 90 })
        .expect(201);
      const ret = await t.http
        .post(`/api/checkout/purchases/${sale.body.purchaseId}/returns`)
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ lines: [{ lineNo: 1, quantity: 1 }] });
      expect(ret.status).toBe(201);
      expect(ret.body.balance).toBe(-90);
      const blocked = await t.http
        .post('/api/checkout/redemptions')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ code: ana.number, points: 1 });
      expect(blocked.status).toBe(409);
      expect(blocked.body.code).toBe('ledger.negative_balance');
      const scan = await t.http.post('/api/checkout/scan').set(cashier).send({ code: ana.number });
      expect(scan.body).toMatchObject({ balance: -90, available: 0 });
      expect(scan.body.warnings[0].code).toBe('negative_balance');
    });
  });

  describe('batch (offline till)', () => {
    it('posts each queued purchase once; duplicates replay; a bad one sinks none', async () => {
      const ana = await enrol();
      const k1 = randomUUID();
      const purchase = (externalId: string, cents = 1000) => ({
        code: ana.number,
        storeId,
        externalId,
        currency: 'EUR',
        lines: [line(cents)],
      });
      await buy(ana.number, { externalId: 'B-1', lines: [line(1000)] }, k1).expect(201);
      const res = await t.http
        .post('/api/checkout/purchases/batch')
        .set(pos)
        .send({
          items: [
            { idempotencyKey: k1, purchase: purchase('B-1') },
            { idempotencyKey: randomUUID(), purchase: purchase('B-2', 2000) },
            { idempotencyKey: randomUUID(), purchase: { ...purchase('B-3'), lines: [] } },
            { idempotencyKey: randomUUID(), purchase: purchase('B-4', 3000) },
          ],
        });
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([
        201, 201, 400, 201,
      ]);
      expect(res.body.results[0].replayed).toBe(true);
      expect(res.body.results[1].body.pointsEarned).toBe(20);
      expect(res.body.results[2].body.details[0].field).toBe('purchase.lines');
      expect((await points(ana.id)).balance).toBe(10 + 20 + 30);
    });
  });

  describe('data protection', () => {
    it('exports points and purchases; erasure keeps ledger sums and purchase totals', async () => {
      const ana = await enrol();
      const sale = await buy(ana.number, { externalId: 'GDPR-1', lines: [line(12345)] });
      expect(sale.status).toBe(201);
      const supervisor = await t.auth('supervisor');
      const exported = await t.http.get(`/api/members/${ana.id}/export`).set(supervisor);
      expect(exported.status).toBe(200);
      expect(exported.body.points).toMatchObject({
        account: { balance: 123, pending: 0, lifetimeEarned: 123 },
        entries: [expect.objectContaining({ kind: 'earn', points: 123 })],
      });
      expect(exported.body.purchases).toEqual([
        expect.objectContaining({
          id: sale.body.purchaseId,
          externalId: 'GDPR-1',
          totalCents: 12345,
          lines: [expect.objectContaining({ sku: 'SKU-1', quantity: 1 })],
        }),
      ]);
      const sums = () =>
        t.dataSource.query(
          `SELECT (SELECT balance FROM point_accounts WHERE member_id = $1) AS balance,
                  (SELECT sum(points)::int FROM ledger_entries WHERE member_id = $1) AS entries,
                  (SELECT sum(total_cents)::int FROM purchases WHERE member_id = $1) AS total`,
          [ana.id],
        );
      const before = await sums();
      expect(before).toEqual([{ balance: 123, entries: 123, total: 12345 }]);
      await t.http.post(`/api/members/${ana.id}/erase`).set(supervisor).expect(200);
      expect(await sums()).toEqual(before);
    });
  });

  describe('member points API', () => {
    it('staff and the member read balance and history with reasons; others get 404', async () => {
      const ana = await enrol();
      const bob = await enrol();
      await buy(ana.number, { externalId: 'H-1' }).expect(201);
      const own = await t.http.get(`/api/members/${ana.id}/points`).set(ana.auth);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ balance: 59, pending: 0, lifetimeEarned: 59 });
      const entries = await t.http
        .get(`/api/members/${ana.id}/points/entries?limit=1`)
        .set(ana.auth);
      expect(entries.body.items).toEqual([
        expect.objectContaining({ kind: 'earn', points: 59, reason: 'Points for purchase H-1' }),
      ]);
      expect(entries.body.nextCursor).toBeNull();
      expect((await t.http.get(`/api/members/${ana.id}/points`).set(bob.auth)).status).toBe(404);
      expect((await t.http.get(`/api/members/${randomUUID()}/points`).set(cashier)).status).toBe(
        404,
      );
    });

    it('supervisors adjust with a reason, idempotently and audited; others may not', async () => {
      const ana = await enrol();
      const supervisor = await t.auth('supervisor');
      const key = randomUUID();
      const adjust = (body: object, who = supervisor, k = key) =>
        t.http
          .post(`/api/members/${ana.id}/points/adjustments`)
          .set(who)
          .set('Idempotency-Key', k)
          .send(body);
      const body = { points: 100, reason: 'goodwill after complaint REC-2026-000012' };
      const res = await adjust(body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ points: 100, balance: 100 });
      expect((await adjust(body)).text).toBe(res.text);
      expect((await adjust(body, cashier, randomUUID())).status).toBe(403);
      const noReason = await adjust({ points: 5 }, supervisor, randomUUID());
      expect(noReason.status).toBe(400);
      expect(noReason.body.details[0].field).toBe('reason');
      expect((await adjust({ points: 0, reason: 'x' }, supervisor, randomUUID())).status).toBe(400);
      const down = await adjust(
        { points: -30, reason: 'points given by mistake' },
        supervisor,
        randomUUID(),
      );
      expect(down.body.balance).toBe(70);
      const audit = await t.dataSource.query(
        `SELECT action, details FROM audit_log WHERE member_id = $1 AND action = 'points.adjust'`,
        [ana.id],
      );
      expect(audit).toHaveLength(2);
      const history = (await t.http.get(`/api/members/${ana.id}/points/entries`).set(cashier)).body
        .items;
      expect(history[0]).toMatchObject({
        kind: 'adjust',
        points: -30,
        reason: 'points given by mistake',
      });
    });
  });
});
