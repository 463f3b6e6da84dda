import { TransactionRunner } from '../../src/database';
import { randomUUID } from 'node:crypto';
import { LedgerService } from '../../src/modules/ledger';
import { startTestApp, TestApp } from '../utils/test-app';

/** Issue 13, defect 12: nonsense is refused with a 4xx naming the field and the limit. */
describe('nonsense accepted no more', () => {
  let t: TestApp;
  let staff: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp();
    staff = await t.auth(['supervisor', 'marketing']);
  });
  afterAll(() => t.close());

  const adjust = (memberId: string, body: Record<string, unknown>) =>
    t.http
      .post(`/api/members/${memberId}/points/adjustments`)
      .set(staff)
      .set('Idempotency-Key', randomUUID())
      .send(body);

  it('a reward valid from 2030 until 2020 is refused', async () => {
    const res = await t.http.post('/api/rewards').set(staff).send({
      nameEs: 'Café',
      nameEn: 'Coffee',
      kind: 'discount',
      discountCents: 100,
      costPoints: 100,
      validFrom: '2030-01-01T00:00:00Z',
      validUntil: '2020-01-01T00:00:00Z',
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      expect.objectContaining({ field: 'validUntil', reason: expect.any(String) }),
    ]);
  });

  it('an adjustment does not take a balance below zero', async () => {
    const m = await t.member({ consents: { terms: true } });
    await adjust(m.id, { points: 25, reason: 'start' }).expect(201);
    const res = await adjust(m.id, { points: -1000, reason: 'oops' });
    expect(res.status).toBe(409);
    expect(res.body.details).toEqual([{ field: 'points', reason: expect.any(String) }]);
    const points = await t.http.get(`/api/members/${m.id}/points`).set(staff).expect(200);
    expect(points.body.balance).toBe(25);
  });

  it('unless it is a correction of debt', async () => {
    const m = await t.member({ consents: { terms: true } });
    await adjust(m.id, { points: 25, reason: 'start' }).expect(201);
    await adjust(m.id, {
      points: -1000,
      reason: 'points given by mistake',
      reasonType: 'debt_correction',
    }).expect(201);
    const points = await t.http.get(`/api/members/${m.id}/points`).set(staff).expect(200);
    expect(points.body.balance).toBe(-975);
    await t.expectLedgerClean();
  });

  it('a balance pushed past 2^31 names the limit', async () => {
    const m = await t.member({ consents: { terms: true } });
    await t.app
      .get(TransactionRunner)
      .run((em) =>
        t.app
          .get(LedgerService)
          .adjust(
            em,
            { memberId: m.id, points: 2_147_000_000 },
            { actor: { actorType: 'system', actorId: null }, reason: 'setup' },
          ),
      );
    const res = await adjust(m.id, { points: 1_000_000, reason: 'one more' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'points', reason: expect.stringContaining('2147483647') },
    ]);
  });
});
