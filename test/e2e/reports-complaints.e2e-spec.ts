import type { StaffPrincipal } from '../../src/common';
import { CasesService } from '../../src/modules/cases';
import { StoresService } from '../../src/modules/stores';
import { startTestApp, TestApp } from '../utils/test-app';

/** The satisfaction report's complaint figures, from cases filed and resolved through `cases`. */
describe('satisfaction report: complaint figures', () => {
  let t: TestApp;
  let centro: string;
  let norte: string;
  let supervisor: Record<string, string>;
  let norteSupervisor: Record<string, string>;
  const agent: StaffPrincipal = { kind: 'staff', userId: 'agent-1', roles: ['admin'] };

  /** A case filed at `at`, resolved `hours` later (or left open). */
  const file = async (
    at: string,
    c: { storeId: string; kind?: 'complaint' | 'incident' | 'query'; category: string | null },
    hours: number | null,
  ) => {
    t.clock.set(at);
    const cases = t.app.get(CasesService);
    const created = await cases.create(
      {
        kind: c.kind ?? 'complaint',
        channel: 'phone',
        storeId: c.storeId,
        category: c.category,
        contact: { name: 'Cliente', email: 'cliente@example.com' },
        subject: 'Queja',
        description: 'No me atendieron bien',
      },
      agent,
      { sendReceipt: false },
    );
    if (hours !== null) {
      t.clock.set(new Date(Date.parse(at) + hours * 3_600_000));
      await cases.resolve(created.id, { resolution: 'Resuelto' }, agent);
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    const stores = t.app.get(StoresService);
    centro = (await stores.create({ code: 'CEN', name: 'Centro', timeZone: 'Europe/Madrid' })).id;
    norte = (await stores.create({ code: 'NOR', name: 'Norte', timeZone: 'Atlantic/Canary' })).id;
    supervisor = await t.auth('supervisor');
    norteSupervisor = await t.auth('supervisor', { storeId: norte });
    // March in Madrid: 23:30Z on Feb 28 is already March 1st there.
    await file('2026-02-28T23:30:00Z', { storeId: centro, category: 'product' }, 20);
    await file('2026-03-02T10:00:00Z', { storeId: centro, category: 'product' }, 10);
    await file('2026-03-03T10:00:00Z', { storeId: centro, category: 'product' }, 30);
    await file(
      '2026-03-04T10:00:00Z',
      { storeId: centro, kind: 'incident', category: 'delivery' },
      50,
    );
    // Never resolved: past its deadline by the time the report is read.
    await file('2026-03-05T10:00:00Z', { storeId: norte, category: 'staff' }, null);
    // A query is not a complaint.
    await file('2026-03-06T10:00:00Z', { storeId: centro, kind: 'query', category: 'product' }, 1);
    // The previous period (29 Jan – 28 Feb).
    await file('2026-02-10T10:00:00Z', { storeId: centro, category: 'staff' }, 5);
    t.clock.set('2026-09-01T10:00:00Z');
  }, 60000);
  afterAll(() => t?.close());

  const march = { from: '2026-03-01', to: '2026-03-31' };

  it('counts the typology, resolution hours (mean, p90) and breaches, per store', async () => {
    const res = await t.http
      .get('/api/reports/satisfaction')
      .query({ ...march, groupBy: 'store', lang: 'en' })
      .set(supervisor)
      .expect(200);
    // Resolved in 20, 10, 30 and 50 hours: mean 27.5; p90 interpolated 30 + 0.7 × 20 = 44.
    expect(res.body.complaints).toMatchObject({
      total: 5,
      resolved: 4,
      slaBreaches: 1,
      meanResolutionHours: 27.5,
      p90ResolutionHours: 44,
      byCategory: [
        { category: 'product', label: 'product', count: 3, slaBreaches: 0 },
        { category: 'delivery', count: 1, meanResolutionHours: 50 },
        { category: 'staff', count: 1, slaBreaches: 1, resolved: 0, meanResolutionHours: null },
      ],
    });
    expect(res.body.complaints.byGroup).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: centro, label: 'Centro', cases: 4, slaBreaches: 0 }),
        expect.objectContaining({ key: norte, label: 'Norte', cases: 1, slaBreaches: 1 }),
      ]),
    );
    expect(res.body.previous.complaints).toMatchObject({ total: 1, slaBreaches: 0 });
    expect(res.body.conclusions).toEqual(
      expect.arrayContaining([
        'Top complaint category: product (3 of 5).',
        'SLA breaches rose from 0 to 1.',
      ]),
    );
  });

  it('groups by local month, and by case category in a Canary store of its own', async () => {
    const months = await t.http
      .get('/api/reports/satisfaction')
      .query({ from: '2026-02-01', to: '2026-03-31', groupBy: 'month', lang: 'es' })
      .set(supervisor)
      .expect(200);
    expect(months.body.complaints.byGroup).toEqual([
      expect.objectContaining({ key: '2026-02', cases: 1 }),
      expect.objectContaining({ key: '2026-03', cases: 5, slaBreaches: 1 }),
    ]);
    const own = await t.http
      .get('/api/reports/satisfaction')
      .query({ ...march, groupBy: 'category', lang: 'es' })
      .set(norteSupervisor)
      .expect(200);
    expect(own.body.complaints).toMatchObject({
      total: 1,
      slaBreaches: 1,
      byGroup: [expect.objectContaining({ key: 'staff', cases: 1, slaBreaches: 1 })],
    });
    expect(own.body.conclusions).toContain('Categoría con más reclamaciones: staff (1 de 1).');
    const channels = await t.http
      .get('/api/reports/satisfaction')
      .query({ ...march, groupBy: 'channel' })
      .set(supervisor)
      .expect(200);
    expect(channels.body.complaints).toMatchObject({ total: 5, byGroup: null });
  });

  it('writes the complaint figures in the CSV', async () => {
    const csv = await t.http
      .get('/api/reports/satisfaction')
      .query({ ...march, groupBy: 'store', format: 'csv' })
      .set(supervisor)
      .expect(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/,complaints,slaBreaches,meanResolutionHours,p90ResolutionHours$/);
    expect(lines).toContain(',total,0,0,,0,0,0,,0,0,,5,1,27.5,44');
    expect(lines).toContain('complaint-category,product,,,,,,,,,,,3,0,20,28');
    expect(lines).toContain('complaint-category,staff,,,,,,,,,,,1,1,,');
  });
});
