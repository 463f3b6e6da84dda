import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../../src/modules/auth';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * The till's hot path reads less than it used to (a purchase by member id reads the member once,
 * in the promotions engine; API keys and stores are cached): what it must still refuse.
 */
describe('checkout hot path: what the shortcuts must still refuse', () => {
  let t: TestApp;
  let pos: Record<string, string>;
  let admin: Record<string, string>;
  let keyId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const storeId = (await t.store()).id;
    const key = await t.app.get(ApiKeysService).create({ name: 'Till 1', storeId });
    pos = { 'X-Api-Key': key.key };
    keyId = key.id;
    admin = await t.auth('admin');
  });
  afterAll(async () => {
    await t.expectLedgerClean();
    await t.close();
  });

  const purchase = (memberId: string) =>
    t.http
      .post('/api/checkout/purchases')
      .set(pos)
      .set('Idempotency-Key', randomUUID())
      .send({
        memberId,
        externalId: `T-${randomUUID().slice(0, 8)}`,
        currency: 'EUR',
        lines: [{ sku: 'SKU-1', category: 'shoes', quantity: 1, unitPriceCents: 2500 }],
      });
  const written = async (memberId: string) =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM purchases WHERE member_id = $1) AS purchases,
                (SELECT count(*)::int FROM ledger_entries WHERE member_id = $1) AS entries`,
        [memberId],
      )
    )[0];

  it('a purchase by member id earns for an active member and is a 404 writing nothing for an unknown or erased one', async () => {
    const ana = await t.member();
    const ok = await purchase(ana.id);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ memberId: ana.id, pointsEarned: expect.any(Number) });
    expect(await written(ana.id)).toEqual({ purchases: 1, entries: 1 });

    const unknown = await purchase(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('members.not_found');

    const supervisor = await t.auth('supervisor');
    await t.http.post(`/api/members/${ana.id}/erase`).set(supervisor).expect(200);
    const erased = await purchase(ana.id);
    expect(erased.status).toBe(404);
    expect(erased.body.code).toBe('members.not_found');
    expect(await written(ana.id)).toEqual({ purchases: 1, entries: 1 });
  });

  it('a revoked API key is refused at once, though verified keys are cached', async () => {
    const member = await t.member();
    expect((await purchase(member.id)).status).toBe(201);
    await t.http.patch(`/api/api-keys/${keyId}`).set(admin).send({ revoked: true }).expect(200);
    const res = await purchase(member.id);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.bad_api_key');
  });
});
