import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 13, defect 2: after erasure, the member's name, email, phone and the keys written about
 * them appear in no column of any table. Text naming the member is first written into every
 * free-text field and caller-supplied key there is; then every text-like column of every table
 * (information_schema, so tables added later are scanned too) is searched.
 */
describe('erasure leaves no personal data in any column of any table', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Every text-like column of every table holding one of the markers: `table.column` list. */
  async function columnsContaining(markers: string[]): Promise<string[]> {
    const columns: { table_name: string; column_name: string }[] = await t.dataSource.query(
      `SELECT c.table_name, c.column_name
         FROM information_schema.columns c
         JOIN information_schema.tables tb
           ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
        WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
          AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED'))
        ORDER BY 1, 2`,
    );
    expect(columns.length).toBeGreaterThan(50);
    const hits: string[] = [];
    const patterns = markers.map((m) => `%${m.toLowerCase()}%`);
    for (const { table_name, column_name } of columns) {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE lower("${column_name}"::text) LIKE ANY($1)`,
        [patterns],
      );
      if (n > 0) hits.push(`${table_name}.${column_name}`);
    }
    return hits;
  }

  it('redacts staff free text, stored responses, tags and caller-supplied keys', async () => {
    const staff = await t.auth(['supervisor', 'marketing', 'cashier', 'admin']);
    const tag = randomUUID().slice(0, 8);
    const first = `Eulalia${tag}`;
    const last = `Quintanilla${tag}`;
    const email = `eulalia.${tag}@example.com`;
    const phone = '+34622333444';
    const m = await t.member({ firstName: first, lastName: last, email, phone });
    const about = `${first} ${last} <${email}> ${phone}`;
    const keyAbout = `key-${first}-${last}`;

    // A supervisor's adjustment naming the member, with a key naming them (stored response too).
    await t.http
      .post(`/api/members/${m.id}/points/adjustments`)
      .set(staff)
      .set('Idempotency-Key', `${keyAbout}-adjust`)
      .send({ points: 50, reason: `goodwill for ${about}` })
      .expect(201);
    // Marketing tags.
    await t.http
      .put(`/api/members/${m.id}/tags`)
      .set(staff)
      .send({ tags: [first.toLowerCase(), 'vip'] })
      .expect(200);
    // A till-supplied event key naming the member.
    await t.http
      .post('/api/earning-rules')
      .set(staff)
      .send({ code: 'app_review', nameEs: 'Reseña', nameEn: 'Review', points: 10 })
      .expect(201);
    await t.http
      .post('/api/events')
      .set(staff)
      .send({ memberId: m.id, type: 'app_review', eventId: `review-by-${first}-${last}` })
      .expect(200);
    // A purchase whose idempotency key names the member.
    await t.http
      .post('/api/checkout/purchases')
      .set(staff)
      .set('Idempotency-Key', `${keyAbout}-purchase`)
      .send({
        memberId: m.id,
        storeId: (await t.store()).id,
        currency: 'EUR',
        lines: [{ sku: 'SKU-1', category: 'shoes', quantity: 1, unitPriceCents: 1000 }],
      })
      .expect(201);

    const markers = [first, last, email, '622333444', keyAbout];
    expect((await columnsContaining(markers)).length).toBeGreaterThan(3);

    await t.http.post(`/api/members/${m.id}/erase`).set(staff).expect(200);

    expect(await columnsContaining(markers)).toEqual([]);
    // Amounts stay: the books are unchanged.
    const [account] = await t.dataSource.query(
      `SELECT balance FROM point_accounts WHERE member_id = $1`,
      [m.id],
    );
    expect(account.balance).toBeGreaterThanOrEqual(50);
    await t.expectLedgerClean();
  });

  it('the ledger stays append-only for everything but an erasure redaction', async () => {
    const m = await t.member({ consents: { terms: true } });
    const staff = await t.auth('supervisor');
    await t.http
      .post(`/api/members/${m.id}/points/adjustments`)
      .set(staff)
      .set('Idempotency-Key', randomUUID())
      .send({ points: 5, reason: 'plain' })
      .expect(201);
    await expect(
      t.dataSource.query(`UPDATE ledger_entries SET points = 500 WHERE member_id = $1`, [m.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.dataSource.query(`UPDATE ledger_entries SET reason = 'x' WHERE member_id = $1`, [m.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.dataSource.query(`DELETE FROM ledger_entries WHERE member_id = $1`, [m.id]),
    ).rejects.toThrow(/append-only/);
  });
});
