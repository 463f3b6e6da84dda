import { SlaService } from '../../src/modules/cases';
import { startTestApp, TestApp } from '../utils/test-app';

jest.setTimeout(90_000);

type Headers = Record<string, string>;
const fields = (res: { body: { details?: { field: string }[] } }) =>
  (res.body.details ?? []).map((d) => d.field);

let t: TestApp;
let agent: Headers;
let admin: Headers;

const newCase = (over: Record<string, unknown> = {}) => ({
  kind: 'incident',
  channel: 'phone',
  contact: { name: 'Luis Pérez', email: 'luis@example.com' },
  subject: 'Broken zip',
  description: 'The zip of the jacket broke after two days.',
  ...over,
});

beforeAll(async () => {
  t = await startTestApp({ SUPERVISOR_NOTIFY_EMAIL: 'desk@example.com' });
  agent = await t.auth('agent');
  admin = await t.auth('admin');
});
afterAll(() => t.close());
afterEach(() => t.clock.reset());

describe('departments', () => {
  it('are seeded, kept by admins and read by staff; a used one is deactivated, not deleted', async () => {
    const seeded = (await t.http.get('/api/departments').set(agent).expect(200)).body.items;
    expect(seeded.map((d: { code: string }) => d.code)).toEqual(
      expect.arrayContaining(['customer_care', 'after_sales', 'online_store']),
    );
    expect(seeded.find((d: { code: string }) => d.code === 'after_sales').names).toEqual({
      es: 'Postventa y garantías',
      en: 'After-sales and warranties',
    });
    await t.http
      .post('/api/departments')
      .set(agent)
      .send({ code: 'returns', nameEs: 'Devoluciones', nameEn: 'Returns' })
      .expect(403);
    await t.http.post('/api/departments').send({ code: 'returns' }).expect(401);
    const bad = await t.http
      .post('/api/departments')
      .set(admin)
      .send({ code: 'Returns!', nameEs: 'Devoluciones', nameEn: 'Returns' })
      .expect(400);
    expect(fields(bad)).toContain('code');
    const created = await t.http
      .post('/api/departments')
      .set(admin)
      .send({ code: 'returns', nameEs: 'Devoluciones', nameEn: 'Returns' })
      .expect(201);
    expect(created.body).toMatchObject({ code: 'returns', active: true });
    const dup = await t.http
      .post('/api/departments')
      .set(admin)
      .send({ code: 'returns', nameEs: 'D', nameEn: 'R' })
      .expect(409);
    expect(fields(dup)).toEqual(['code']);
    await t.http
      .post('/api/departments')
      .set(admin)
      .send({ code: 'mine', nameEs: 'M', nameEn: 'M' })
      .expect(400);

    await t.http
      .post('/api/cases')
      .set(agent)
      .send(newCase({ department: 'returns' }))
      .expect(201);
    await t.http.delete('/api/departments/returns').set(admin).expect(409);
    await t.http
      .patch('/api/departments/returns')
      .set(admin)
      .send({ active: false, nameEn: 'Returns desk' })
      .expect(200);
    const inactive = await t.http
      .post('/api/cases')
      .set(agent)
      .send(newCase({ department: 'returns' }))
      .expect(400);
    expect(fields(inactive)).toEqual(['department']);
    expect((await t.http.get('/api/departments').set(agent)).body.items).not.toContainEqual(
      expect.objectContaining({ code: 'returns' }),
    );
    expect((await t.http.get('/api/departments?all=true').set(agent)).body.items).toContainEqual(
      expect.objectContaining({ code: 'returns', active: false }),
    );

    await t.http
      .post('/api/departments')
      .set(admin)
      .send({ code: 'spare', nameEs: 'Sobrante', nameEn: 'Spare' })
      .expect(201);
    await t.http.delete('/api/departments/spare').set(admin).expect(204);
    await t.http.get('/api/departments/spare').set(agent).expect(404);
    await t.http.get('/api/departments/NOPE!').set(agent).expect(404);
  });

  it('refuses a case or a queue filter naming an unknown department with a 400 naming it', async () => {
    const res = await t.http
      .post('/api/cases')
      .set(agent)
      .send(newCase({ department: 'nowhere' }))
      .expect(400);
    expect(fields(res)).toEqual(['department']);
    expect(res.body.message).toMatch(/nowhere/);
    const list = await t.http.get('/api/cases?department=nowhere').set(agent).expect(400);
    expect(fields(list)).toEqual(['department']);
  });

  it('answers each department’s queue, and an agent’s own with department=mine', async () => {
    const online = await t.http
      .post('/api/cases')
      .set(agent)
      .send(newCase({ department: 'online_store', subject: 'Parcel lost' }))
      .expect(201);
    const care = await t.http
      .post('/api/cases')
      .set(agent)
      .send(newCase({ department: 'customer_care', subject: 'Rude clerk' }))
      .expect(201);
    const queue = (await t.http.get('/api/cases?department=online_store').set(agent).expect(200))
      .body.items;
    expect(queue.map((c: { id: string }) => c.id)).toContain(online.body.id);
    expect(queue.map((c: { id: string }) => c.id)).not.toContain(care.body.id);
    expect(queue.every((c: { department: string }) => c.department === 'online_store')).toBe(true);

    const onlineAgent = await t.staff('agent');
    const headers = { Authorization: `Bearer ${onlineAgent.token}` };
    const none = await t.http.get('/api/cases?department=mine').set(headers).expect(400);
    expect(fields(none)).toEqual(['department']);
    expect((await t.http.get('/api/departments/mine').set(headers)).body).toEqual({
      department: null,
    });
    await t.http
      .put(`/api/departments/staff/${onlineAgent.id}`)
      .set(agent)
      .send({ department: 'online_store' })
      .expect(403);
    const bad = await t.http
      .put(`/api/departments/staff/${onlineAgent.id}`)
      .set(admin)
      .send({ department: 'nowhere' })
      .expect(400);
    expect(fields(bad)).toEqual(['department']);
    await t.http
      .put('/api/departments/staff/00000000-0000-4000-8000-000000000000')
      .set(admin)
      .send({ department: 'online_store' })
      .expect(404);
    await t.http
      .put(`/api/departments/staff/${onlineAgent.id}`)
      .set(admin)
      .send({ department: 'online_store' })
      .expect(200);
    expect((await t.http.get('/api/departments/mine').set(headers)).body).toEqual({
      department: 'online_store',
    });
    const mine = (await t.http.get('/api/cases?department=mine').set(headers).expect(200)).body
      .items;
    expect(mine.map((c: { id: string }) => c.id)).toContain(online.body.id);
    expect(mine.map((c: { id: string }) => c.id)).not.toContain(care.body.id);

    // A store's supervisor places only that store's staff.
    const storeA = await t.store();
    const storeSupervisor = await t.auth('supervisor', { storeId: storeA.id });
    await t.http
      .put(`/api/departments/staff/${onlineAgent.id}`)
      .set(storeSupervisor)
      .send({ department: null })
      .expect(404);
    const storeAgent = await t.staff('agent', { storeId: storeA.id });
    await t.http
      .put(`/api/departments/staff/${storeAgent.id}`)
      .set(storeSupervisor)
      .send({ department: 'after_sales' })
      .expect(200);
  });
});

describe('supervisors notified at 80 % and on breach', () => {
  it('emails the store’s supervisors and store-less ones once per case and level, even under two schedulers', async () => {
    t.clock.set('2026-03-31T10:00:00Z');
    const storeA = await t.store();
    const q = t.dataSource.manager;
    const [storeB] = await q.query(
      `INSERT INTO stores (code, name, time_zone) VALUES ('NOTIFY-B', 'Other store', 'Europe/Madrid')
       RETURNING id`,
    );
    // Only the staff made here may be told (earlier tests signed in supervisors and admins).
    await q.query(`UPDATE staff_users SET active = false WHERE roles && '{supervisor,admin}'`);
    const supA = await t.staff('supervisor', { storeId: storeA.id });
    const supB = await t.staff('supervisor', { storeId: storeB.id });
    const supAll = await t.staff('supervisor');
    const adminAll = await t.staff('admin');
    const inactive = await t.staff('supervisor', { storeId: storeA.id });
    await q.query(`UPDATE staff_users SET active = false WHERE id = $1`, [inactive.id]);
    const agentA = await t.staff('agent', { storeId: storeA.id });

    const c = (
      await t.http
        .post('/api/cases')
        .set(agent)
        .send(newCase({ kind: 'complaint', storeId: storeA.id, department: 'after_sales' }))
        .expect(201)
    ).body;
    const outbox = async (template: string): Promise<Array<{ recipient: string; payload: any }>> =>
      q.query(`SELECT recipient, payload FROM outbox WHERE template = $1 ORDER BY recipient`, [
        template,
      ]);

    const sla = t.app.get(SlaService);
    t.clock.set(c.escalateAt);
    // Two schedulers at once (two transactions racing for the same rows).
    const ticks = await Promise.all([sla.tick(), sla.tick()]);
    expect(ticks.reduce((n, r) => n + r.warned, 0)).toBe(1);
    await Promise.all([sla.tick(), sla.tick()]);
    const warned = await outbox('case-at-risk');
    const told = (rows: typeof warned) => rows.map((r) => r.recipient).sort();
    const expected = [supA.email, supAll.email, adminAll.email, 'desk@example.com'].sort();
    expect(told(warned)).toEqual(expected);
    for (const w of warned)
      expect(w.payload.cases).toEqual([{ registryNumber: c.registryNumber, dueAt: c.dueAt }]);
    expect(told(warned)).not.toContain(supB.email);
    expect(told(warned)).not.toContain(inactive.email);
    expect(told(warned)).not.toContain(agentA.email);

    t.clock.set(new Date(new Date(c.dueAt).getTime() + 1000));
    await Promise.all([sla.tick(), sla.tick()]);
    await Promise.all([sla.tick(), sla.tick()]);
    expect(told(await outbox('case-breached'))).toEqual(expected);

    const history = (await t.http.get(`/api/cases/${c.id}`).set(agent)).body.events;
    expect(history.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'sla_warning',
      'supervisors_notified',
      'sla_breach',
      'supervisors_notified',
    ]);
    expect(history[2].data).toEqual({ level: 1, recipients: 3 });
    expect(history[4].data).toEqual({ level: 2, recipients: 3 });
  });
});

describe('periods in the store’s local time', () => {
  it('puts a case filed at 23:30 Madrid on 31 March in March, and one at 00:30 on 1 April in April', async () => {
    const q = t.dataSource.manager;
    const [store] = await q.query(
      `INSERT INTO stores (code, name, time_zone) VALUES ('LOCAL-T', 'Madrid store', 'Europe/Madrid')
       RETURNING id`,
    );
    const supervisor = await t.auth('supervisor');
    const file = async (at: string, subject: string) => {
      t.clock.set(at);
      return (
        await t.http
          .post('/api/cases')
          .set(agent)
          .send(newCase({ storeId: store.id, subject, department: 'billing' }))
          .expect(201)
      ).body as { id: string };
    };
    // 23:30 CEST on 31 March is 21:30 UTC; 00:30 CEST on 1 April is still 31 March in UTC.
    const late = await file('2026-03-31T21:30:00Z', 'Late on the last day');
    const early = await file('2026-03-31T22:30:00Z', 'Just after midnight');
    const ids = (res: { body: { items: Array<{ id: string }> } }) =>
      res.body.items.map((c) => c.id);

    const march = await t.http
      .get(`/api/cases?from=2026-03-01&to=2026-03-31&department=billing`)
      .set(supervisor)
      .expect(200);
    expect(ids(march)).toEqual([late.id]);
    const april = await t.http
      .get(`/api/cases?from=2026-04-01&to=2026-04-30&department=billing`)
      .set(supervisor)
      .expect(200);
    expect(ids(april)).toEqual([early.id]);

    const figures = async (from: string, to: string) =>
      (
        await t.http
          .get(`/api/cases/figures?from=${from}&to=${to}&storeId=${store.id}`)
          .set(supervisor)
          .expect(200)
      ).body;
    const m = await figures('2026-03-01', '2026-03-31');
    expect(m).toMatchObject({
      total: 1,
      byMonth: [{ month: '2026-03', count: 1 }],
      byDepartment: [{ department: 'billing', count: 1 }],
    });
    const both = await figures('2026-03-01', '2026-04-30');
    expect(both.byMonth).toEqual([
      { month: '2026-03', count: 1 },
      { month: '2026-04', count: 1 },
    ]);
    expect(both.byKind).toEqual([{ kind: 'incident', count: 2 }]);

    const refused = await t.http
      .get('/api/cases?from=2026-04-31&to=2026-05-01')
      .set(supervisor)
      .expect(400);
    expect(fields(refused)).toEqual(['from']);
    const reversed = await t.http
      .get(`/api/cases/figures?from=2026-04-02&to=2026-04-01`)
      .set(supervisor)
      .expect(400);
    expect(fields(reversed)).toEqual(['to']);
    await t.http.get('/api/cases/figures?from=2026-04-01&to=2026-04-30').set(agent).expect(403);
    const other = await t.store();
    const storeSupervisor = await t.auth('supervisor', { storeId: other.id });
    await t.http
      .get(`/api/cases/figures?from=2026-03-01&to=2026-03-31&storeId=${store.id}`)
      .set(storeSupervisor)
      .expect(403);
  });
});
