import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 13, defect 6: every cursor-paged list answers newest first and, paged with any limit,
 * returns every row exactly once. The first test finds the cursor-paged routes in the OpenAPI
 * document, so a new one without a case here fails.
 */
describe('cursor paging: newest first, every row once', () => {
  let t: TestApp;
  let staff: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await t.auth(['supervisor', 'cashier', 'admin', 'marketing']);
  });
  afterAll(() => t.close());

  /** Every page of a list, following nextCursor. */
  async function pageAll(
    path: string,
    limit: number,
    query: Record<string, string> = {},
    who = staff,
  ) {
    const ids: string[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const res = await t.http
        .get(path)
        .query({ ...query, limit, ...(cursor ? { cursor } : {}) })
        .set(who);
      expect(res.status).toBe(200);
      const items = res.body.items as { id: string }[];
      expect(items.length).toBeLessThanOrEqual(limit);
      for (const item of items) {
        expect(seen.has(String(item.id))).toBe(false);
        seen.add(String(item.id));
        ids.push(String(item.id));
      }
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) return ids;
    }
    throw new Error('paging never ended');
  }

  /** Pages with small and large limits agree, and the order is the creation order reversed. */
  async function expectNewestFirst(
    path: string,
    createdOldestFirst: string[],
    query = {},
    who = staff,
  ) {
    const expected = [...createdOldestFirst].reverse();
    for (const limit of [1, 2, 7, 200]) {
      const ids = await pageAll(path, limit, query, who);
      expect(ids.filter((id) => expected.includes(id))).toEqual(expected);
    }
  }

  const CASES = [
    'get /api/me/consents',
    'get /api/members',
    'get /api/members/{id}/consents',
    'get /api/members/{id}/points/entries',
  ];

  it('covers every cursor-paged route of the OpenAPI document', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const paged: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        if (op.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
          paged.push(`${method} ${path}`);
    expect(paged.sort()).toEqual([...CASES].sort());
  });

  it('points entries, across ids of two and three digits', async () => {
    const m = await t.member({ consents: { terms: true } });
    const created: string[] = [];
    for (let i = 0; i < 110; i++) {
      await t.http
        .post(`/api/members/${m.id}/points/adjustments`)
        .set(staff)
        .set('Idempotency-Key', randomUUID())
        .send({ points: 1, reason: `step ${i}` })
        .expect(201);
    }
    const rows: { id: string }[] = await t.dataSource.query(
      `SELECT id::text AS id FROM ledger_entries WHERE member_id = $1 ORDER BY ledger_entries.id`,
      [m.id],
    );
    created.push(...rows.map((r) => r.id));
    expect(created.some((id) => id.length === 2) && created.some((id) => id.length === 3)).toBe(
      true,
    );
    await expectNewestFirst(`/api/members/${m.id}/points/entries`, created);
  });

  it('consent history', async () => {
    const m = await t.member({ consents: { terms: true } });
    for (let i = 0; i < 25; i++) {
      await t.http
        .post(`/api/members/${m.id}/consents`)
        .set(staff)
        .send({ consents: { marketing_email: i % 2 === 0 } })
        .expect(200);
    }
    const rows: { id: string }[] = await t.dataSource.query(
      `SELECT id::text AS id FROM consents WHERE member_id = $1 ORDER BY consents.id`,
      [m.id],
    );
    const ids = rows.map((r) => r.id);
    await expectNewestFirst(`/api/members/${m.id}/consents`, ids);
    await expectNewestFirst('/api/me/consents', ids, {}, m.auth);
  });

  it('member search', async () => {
    const tag = `pager${Date.now()}`;
    const created: string[] = [];
    for (let i = 0; i < 12; i++) {
      created.push((await t.member({ consents: { terms: true }, lastName: `${tag}` })).id);
      t.clock.advance(1000);
    }
    await expectNewestFirst('/api/members', created, { q: tag });
  });

  it('a cursor that is not from the list is a 400 naming it', async () => {
    const m = await t.member({ consents: { terms: true } });
    for (const cursor of ['garbage', Buffer.from('["x"]').toString('base64url')]) {
      const res = await t.http
        .get(`/api/members/${m.id}/points/entries`)
        .query({ cursor })
        .set(staff);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'cursor', reason: expect.any(String) }]);
    }
  });
});
