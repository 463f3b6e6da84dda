import { randomUUID } from 'node:crypto';
import { SatisfactionService } from '../../src/modules/satisfaction';
import { StoresService } from '../../src/modules/stores';
import { startTestApp, TestApp } from '../utils/test-app';

/** Survey facts written straight into the satisfaction tables (the fixture of a report). */
async function answer(
  t: TestApp,
  r: { storeId: string; kind: 'nps' | 'csat'; score: number; at: string; channel?: string },
) {
  await t.dataSource.query(
    `INSERT INTO survey_responses (id, kind, score, channel, store_id, categories, answered_at)
     VALUES ($1, $2, $3, $4, $5, '{shoes}', $6)`,
    [randomUUID(), r.kind, r.score, r.channel ?? 'email', r.storeId, r.at],
  );
  // Written around the service: the report's roll-up is recomputed from the raw rows.
  await t.app.get(SatisfactionService).rebuildDaily();
}

async function invite(t: TestApp, storeId: string, at: string, n: number) {
  for (let i = 0; i < n; i++) {
    await t.dataSource.query(
      `INSERT INTO survey_invitations (id, token_hash, kind, store_id, channel, created_at, expires_at)
       VALUES ($1, $2, 'nps', $3, 'email', $4, $4::timestamptz + interval '14 days')`,
      [randomUUID(), Buffer.from(randomUUID()), storeId, at],
    );
  }
  await t.app.get(SatisfactionService).rebuildDaily();
}

describe('satisfaction report', () => {
  let t: TestApp;
  let centro: string;
  let norte: string;
  let empty: string;
  let supervisor: Record<string, string>;
  const march = { from: '2026-03-01', to: '2026-03-31', groupBy: 'store' };

  beforeAll(async () => {
    t = await startTestApp({ REPORTS_MIN_GROUP_RESPONSES: '1' });
    const stores = t.app.get(StoresService);
    centro = (await stores.create({ code: 'CEN', name: 'Centro', timeZone: 'Europe/Madrid' })).id;
    norte = (await stores.create({ code: 'NOR', name: 'Norte', timeZone: 'Atlantic/Canary' })).id;
    empty = (await stores.create({ code: 'VAC', name: 'Vacía', timeZone: 'Europe/Madrid' })).id;
    supervisor = await t.auth('supervisor');
    // March in Madrid starts 2026-02-28T23:00Z: the 10 at 23:30Z is a March answer.
    for (const [score, at] of [
      [10, '2026-02-28T23:30:00Z'],
      [9, '2026-03-05T10:00:00Z'],
      [8, '2026-03-10T10:00:00Z'],
      [3, '2026-03-31T21:59:00Z'],
    ] as const)
      await answer(t, { storeId: centro, kind: 'nps', score, at });
    // April 1st, 00:30 in Madrid: outside March.
    await answer(t, { storeId: centro, kind: 'nps', score: 0, at: '2026-03-31T22:30:00Z' });
    await answer(t, { storeId: centro, kind: 'csat', score: 5, at: '2026-03-12T10:00:00Z' });
    await answer(t, { storeId: centro, kind: 'csat', score: 2, at: '2026-03-13T10:00:00Z' });
    await answer(t, { storeId: norte, kind: 'nps', score: 10, at: '2026-03-20T10:00:00Z' });
    await invite(t, centro, '2026-03-02T10:00:00Z', 8);
    await invite(t, norte, '2026-03-02T10:00:00Z', 2);
    // The previous 31 days (29 Jan – 28 Feb): Centro all promoters.
    for (let i = 0; i < 5; i++)
      await answer(t, { storeId: centro, kind: 'nps', score: 10, at: `2026-02-1${i}T10:00:00Z` });
  }, 60000);
  afterAll(() => t.close());

  it('computes NPS, CSAT and response rate per store against hand-computed figures', async () => {
    const res = await t.http
      .get('/api/reports/satisfaction')
      .query({ ...march, lang: 'en' })
      .set(supervisor)
      .expect(200);
    expect(res.body).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-31',
      groupBy: 'store',
      timeZone: 'Europe/Madrid',
      // No case filed: the complaint figures are zero, and so are their conclusions.
      complaints: {
        total: 0,
        slaBreaches: 0,
        meanResolutionHours: null,
        byCategory: [],
        byGroup: [],
      },
      total: {
        responses: 7,
        invitations: 10,
        responseRate: 70,
        npsResponses: 5,
        promoters: 3,
        detractors: 1,
        nps: 40,
        csatResponses: 2,
        csatSatisfied: 1,
        csat: 50,
      },
      previous: { from: '2026-01-29', to: '2026-02-28', total: { responses: 5, nps: 100 } },
    });
    const byLabel = Object.fromEntries(
      (res.body.groups as { label: string }[]).map((g) => [g.label, g]),
    );
    expect(byLabel.Centro).toMatchObject({
      key: centro,
      responses: 6,
      invitations: 8,
      responseRate: 75,
      promoters: 2,
      detractors: 1,
      nps: 25,
      csat: 50,
    });
    // A single response: NPS 100, no CSAT answers → null.
    expect(byLabel.Norte).toMatchObject({ responses: 1, nps: 100, csat: null, responseRate: 50 });
    expect(res.body.conclusions).toEqual([
      'Largest change against the previous period: NPS for Centro fell 75 points, from 100 to 25.',
      'Weakest store: Centro (NPS 25); strongest: Norte (NPS 100).',
      'No complaints in this period.',
    ]);
  });

  it('speaks the caller’s language', async () => {
    const res = await t.http
      .get('/api/reports/satisfaction')
      .query(march)
      .set(supervisor)
      .set('Accept-Language', 'es-ES')
      .expect(200);
    expect(res.body.conclusions[0]).toBe(
      'Mayor cambio respecto al periodo anterior: NPS en Centro bajó 75 puntos, de 100 a 25.',
    );
  });

  it('cuts months in local time', async () => {
    const res = await t.http
      .get('/api/reports/satisfaction')
      .query({ from: '2026-02-01', to: '2026-03-31', groupBy: 'month', storeId: centro })
      .set(supervisor)
      .expect(200);
    expect(
      res.body.groups.map((g: { key: string; responses: number }) => [g.key, g.responses]),
    ).toEqual([
      ['2026-02', 5],
      ['2026-03', 6],
    ]);
  });

  it('an empty store has null scores and says so', async () => {
    const res = await t.http
      .get('/api/reports/satisfaction')
      .query({ ...march, storeId: empty, lang: 'en' })
      .set(supervisor)
      .expect(200);
    expect(res.body.groups).toEqual([]);
    expect(res.body.total).toMatchObject({
      responses: 0,
      nps: null,
      csat: null,
      responseRate: null,
    });
    expect(res.body.conclusions).toEqual([
      'There are no survey responses in this period.',
      'No complaints in this period.',
    ]);
  });

  it('answers CSV and a server-drawn SVG chart', async () => {
    const csv = await t.http
      .get('/api/reports/satisfaction')
      .query({ ...march, format: 'csv' })
      .set(supervisor)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(
      'satisfaction-store-2026-03-01-2026-03-31.csv',
    );
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'key,label,responses,invitations,responseRate,npsResponses,promoters,detractors,nps,csatResponses,csatSatisfied,csat,complaints,slaBreaches,meanResolutionHours,p90ResolutionHours',
    );
    expect(lines).toContain(`${centro},Centro,6,8,75,4,2,1,25,2,1,50,0,0,,`);
    expect(lines.at(-1)).toBe(',total,7,10,70,5,3,1,40,2,1,50,0,0,,');

    const svg = await t.http
      .get('/api/reports/satisfaction')
      .query({ ...march, format: 'svg' })
      .set(supervisor)
      .buffer(true)
      .parse((res, done) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => done(null, body));
      })
      .expect(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body as string).toContain('<rect class="nps"');
  });

  it('refuses bad input naming the field, other roles and other stores', async () => {
    const bad = async (query: Record<string, string>, field: string) => {
      const res = await t.http
        .get('/api/reports/satisfaction')
        .query(query)
        .set(supervisor)
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    };
    await bad({ ...march, from: '2026-02-30' }, 'from');
    await bad({ ...march, from: 'march' }, 'from');
    await bad({ ...march, to: '2026-02-01' }, 'to');
    await bad({ ...march, to: '2027-06-01' }, 'to');
    await bad({ ...march, groupBy: 'weather' }, 'groupBy');
    await bad({ ...march, storeId: 'x' }, 'storeId');
    await bad({ ...march, storeId: randomUUID() }, 'storeId');
    await bad({ ...march, format: 'pdf' }, 'format');
    await t.http.get('/api/reports/satisfaction').query(march).expect(401);
    await t.http
      .get('/api/reports/satisfaction')
      .query(march)
      .set(await t.auth('agent'))
      .expect(403);

    // A supervisor of Norte sees Norte, in Norte's time zone, and not Centro.
    const norteSupervisor = await t.auth('supervisor', { storeId: norte });
    const own = await t.http
      .get('/api/reports/satisfaction')
      .query(march)
      .set(norteSupervisor)
      .expect(200);
    expect(own.body).toMatchObject({
      storeId: norte,
      timeZone: 'Atlantic/Canary',
      total: { responses: 1 },
    });
    const other = await t.http
      .get('/api/reports/satisfaction')
      .query({ ...march, storeId: centro })
      .set(norteSupervisor)
      .expect(403);
    expect(other.body.code).toBe('reports.store_not_allowed');
  });

  it('saves a proposal with a snapshot of the report it answers, and lists them', async () => {
    const saved = await t.http
      .post('/api/reports/satisfaction/snapshots')
      .set(supervisor)
      .send({ query: march, proposal: 'Formar al equipo de Centro en devoluciones.', lang: 'es' })
      .expect(201);
    expect(saved.body).toMatchObject({
      proposal: 'Formar al equipo de Centro en devoluciones.',
      query: { from: '2026-03-01', to: '2026-03-31', groupBy: 'store', storeId: null },
      report: {
        total: { nps: 40 },
        conclusions: expect.arrayContaining([expect.stringContaining('bajó 75')]),
      },
    });
    // Later answers do not change the snapshot.
    await answer(t, { storeId: centro, kind: 'nps', score: 0, at: '2026-03-15T10:00:00Z' });
    const list = await t.http
      .get('/api/reports/satisfaction/snapshots')
      .set(supervisor)
      .expect(200);
    expect(list.body.items[0]).toMatchObject({ id: saved.body.id, report: { total: { nps: 40 } } });

    const missing = await t.http
      .post('/api/reports/satisfaction/snapshots')
      .set(supervisor)
      .send({ query: march })
      .expect(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toContain('proposal');
    const badQuery = await t.http
      .post('/api/reports/satisfaction/snapshots')
      .set(supervisor)
      .send({ query: { ...march, groupBy: 'x' }, proposal: 'p' })
      .expect(400);
    expect(badQuery.body.details.map((d: { field: string }) => d.field)).toContain('query.groupBy');
    await t.http
      .post('/api/reports/satisfaction/snapshots')
      .set(await t.auth('cashier'))
      .send({ query: march, proposal: 'p' })
      .expect(403);
    // A store's supervisor lists only their store's proposals.
    const norteList = await t.http
      .get('/api/reports/satisfaction/snapshots')
      .set(await t.auth('supervisor', { storeId: norte }))
      .expect(200);
    expect(norteList.body.items).toEqual([]);
  });
});
