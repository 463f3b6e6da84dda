import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Escalations,
  PersonalDataRegistry,
  SearchRegistry,
  TimelineRegistry,
} from '../../src/common';
import { TransactionRunner } from '../../src/database';
import { DocumentsService, SlaService } from '../../src/modules/cases';
import { MessagingService } from '../../src/modules/messaging';
import { binary, pdfText } from '../utils/pdf-text';
import { startTestApp, TestApp } from '../utils/test-app';

jest.setTimeout(90_000);

type Headers = Record<string, string>;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]);
const fields = (res: { body: { details?: { field: string }[] } }) =>
  (res.body.details ?? []).map((d) => d.field);

let t: TestApp;
let agent: Headers;
let supervisor: Headers;
let admin: Headers;

const newCase = (over: Record<string, unknown> = {}) => ({
  kind: 'incident',
  channel: 'phone',
  contact: { name: 'Luis Pérez', email: 'luis@example.com' },
  category: 'product',
  department: 'customer_care',
  subject: 'Broken zip',
  description: 'The zip of the jacket broke after two days.',
  ...over,
});

beforeAll(async () => {
  t = await startTestApp({ DOCUMENT_MAX_BYTES: '4096', COMPLAINT_RATE_LIMIT_PER_HOUR: '3' });
  agent = await t.auth('agent');
  supervisor = await t.auth('supervisor');
  admin = await t.auth('admin');
});
afterAll(() => t.close());
afterEach(() => t.clock.reset());

describe('creating cases', () => {
  it('answers a registry number, the deadline and a receipt link', async () => {
    const store = await t.store();
    const res = await t.http
      .post('/api/cases')
      .set(agent)
      .send(newCase({ storeId: store.id }))
      .expect(201);
    expect(res.body.registryNumber).toMatch(/^REC-\d{4}-\d{6}$/);
    expect(res.body).toMatchObject({ kind: 'incident', status: 'open', sla: '3wd' });
    expect(new Date(res.body.dueAt).getTime()).toBeGreaterThan(Date.now());
    expect(res.body.receiptUrl).toBe(`/api/cases/${res.body.id}/receipt.pdf`);
    const full = await t.http.get(`/api/cases/${res.body.id}`).set(agent).expect(200);
    expect(full.body.events.map((e: { type: string }) => e.type)).toEqual(['created']);
  });

  it.each([
    [{ kind: 'rant' }, 'kind'],
    [{ channel: 'pigeon' }, 'channel'],
    [{ contact: undefined }, 'contact'],
    [{ subject: '' }, 'subject'],
    [{ storeId: '00000000-0000-4000-8000-000000000000' }, 'storeId'],
    [{ memberId: '00000000-0000-4000-8000-000000000000' }, 'memberId'],
  ])('refuses %j naming %s', async (over, field) => {
    const res = await t.http.post('/api/cases').set(agent).send(newCase(over)).expect(400);
    expect(fields(res)).toContain(field);
  });

  it('needs an agent or supervisor', async () => {
    await t.http.post('/api/cases').send(newCase()).expect(401);
    await t.http
      .post('/api/cases')
      .set(await t.auth('cashier'))
      .send(newCase())
      .expect(403);
  });

  it('gives 50 concurrent creations 50 distinct consecutive numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http
          .post('/api/cases')
          .set(agent)
          .send(newCase({ subject: `Concurrent ${i}` })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const numbers = results.map((r) => r.body.registryNumber as string);
    expect(new Set(numbers).size).toBe(50);
    const values = numbers.map((n) => Number(n.split('-')[2])).sort((a, b) => a - b);
    expect(values[49] - values[0]).toBe(49);
  });
});

describe('working a case', () => {
  it('notes, replies (email to the customer), resolves and closes; closing an open case is a 400', async () => {
    const c = (await t.http.post('/api/cases').set(agent).send(newCase()).expect(201)).body;
    const refused = await t.http
      .post(`/api/cases/${c.id}/close`)
      .set(supervisor)
      .send({})
      .expect(400);
    expect(refused.body.message).toMatch(/needs a resolution/);
    expect(fields(refused)).toEqual(['status']);
    await t.http
      .post(`/api/cases/${c.id}/events`)
      .set(agent)
      .send({ type: 'shout', text: 'x' })
      .expect(400);
    await t.http.post(`/api/cases/${c.id}/events`).set(agent).send({ type: 'note' }).expect(400);
    await t.http
      .post(`/api/cases/${c.id}/events`)
      .set(agent)
      .send({ type: 'note', text: 'Customer sounded upset' })
      .expect(201);
    const replied = await t.http
      .post(`/api/cases/${c.id}/events`)
      .set(supervisor)
      .send({ type: 'reply', text: 'We are sending a new jacket.' })
      .expect(201);
    expect(replied.body.status).toBe('in_progress');
    const resolved = await t.http
      .post(`/api/cases/${c.id}/resolve`)
      .set(supervisor)
      .send({ resolution: 'Replaced', reply: 'Your new jacket is on its way.' })
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'Replaced' });
    await t.http
      .post(`/api/cases/${c.id}/close`)
      .set(supervisor)
      .send({ customerConfirmed: true })
      .expect(200);
    const closed = await t.http.get(`/api/cases/${c.id}`).set(agent).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', customerConfirmed: true });
    expect(closed.body.events.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'note',
      'reply',
      'resolve',
      'reply',
      'close',
    ]);
    const notes = closed.body.events.filter(
      (e: { visibility: string }) => e.visibility === 'internal',
    );
    expect(notes.map((e: { type: string }) => e.type)).toEqual(['note', 'close']);
    const mail = await t.app.get(MessagingService).pendingFor('luis@example.com', 'case-reply');
    expect(mail.map((m) => m.payload.text)).toEqual(
      expect.arrayContaining(['We are sending a new jacket.', 'Your new jacket is on its way.']),
    );
  });

  it('pauses the clock while waiting on the customer and moves the deadline by the pause', async () => {
    t.clock.set('2026-04-13T08:00:00Z'); // Monday
    const c = (await t.http.post('/api/cases').set(agent).send(newCase()).expect(201)).body;
    expect(c.dueAt).toBe('2026-04-16T21:59:59.000Z'); // 3 working days: Thursday
    t.clock.set('2026-04-14T08:00:00Z'); // Tuesday 10:00 local, the clock's first day
    await t.http
      .post(`/api/cases/${c.id}/events`)
      .set(agent)
      .send({ type: 'wait', text: 'asked for the receipt' })
      .expect(201);
    t.clock.set('2026-04-16T08:00:00Z'); // two working days later
    const resumed = await t.http
      .post(`/api/cases/${c.id}/events`)
      .set(agent)
      .send({ type: 'resume' })
      .expect(201);
    expect(resumed.body.status).toBe('in_progress');
    // The pause (Tue 10:00 → Thu 10:00 local) is exactly two working days: Thursday → Monday.
    expect(resumed.body.dueAt).toBe('2026-04-20T21:59:59.000Z');
  });
});

describe('deadlines and escalation', () => {
  it('escalates at 80 % and again on breach, moving only the injected clock', async () => {
    t.clock.set('2026-03-31T10:00:00Z');
    const store = await t.store();
    const c = (
      await t.http
        .post('/api/cases')
        .set(agent)
        .send(newCase({ kind: 'complaint', storeId: store.id }))
        .expect(201)
    ).body;
    // The test store has no region: national holidays only → 22 April (research notes vectors).
    expect(c.dueAt).toBe('2026-04-22T21:59:59.000Z');
    expect(c.sla).toBe('15wd');
    const earliest = c.deadlineCandidates.find((x: { earliest: boolean }) => x.earliest);
    expect(earliest).toMatchObject({ sla: '15cd', dueAt: '2026-04-15T21:59:59.000Z' });

    const sla = t.app.get(SlaService);
    t.clock.set(new Date(new Date(c.escalateAt).getTime() - 1000));
    await sla.tick();
    expect((await t.http.get(`/api/cases/${c.id}`).set(agent)).body.escalationLevel).toBe(0);

    t.clock.set(c.escalateAt);
    await sla.tick();
    const warned = (await t.http.get(`/api/cases/${c.id}`).set(agent)).body;
    expect(warned).toMatchObject({ escalationLevel: 1, status: 'escalated', deadline: 'at_risk' });
    const desk = (await t.http.get('/api/cases/desk').set(supervisor).expect(200)).body.items;
    expect(desk[0].escalationLevel).toBeGreaterThan(0);

    t.clock.set('2026-04-22T22:00:00Z');
    const overdue = (await t.http.get('/api/cases?due=overdue').set(supervisor).expect(200)).body;
    expect(overdue.items.map((x: { id: string }) => x.id)).toContain(c.id);
    await sla.tick();
    const breached = (await t.http.get(`/api/cases/${c.id}`).set(agent)).body;
    expect(breached).toMatchObject({ escalationLevel: 2, deadline: 'breached' });
    expect(breached.events.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'sla_warning',
      'supervisors_notified',
      'sla_breach',
      'supervisors_notified',
    ]);
    // A second tick does nothing more.
    expect(await sla.tick()).toEqual({ warned: 0, breached: 0 });
    const list = await t.http
      .get('/api/cases/breaches?from=2026-04-22&to=2026-04-22')
      .set(supervisor)
      .expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(c.id);
    await t.http.get('/api/cases?due=late').set(supervisor).expect(400);
  });

  it('re-plans open cases when an admin adds a regional holiday', async () => {
    t.clock.set('2026-03-31T10:00:00Z');
    const store = await t.store();
    await t.http.patch(`/api/stores/${store.id}`).set(admin).send({ region: 'ES-MD' }).expect(200);
    const c = (
      await t.http
        .post('/api/cases')
        .set(agent)
        .send(newCase({ kind: 'complaint', storeId: store.id }))
        .expect(201)
    ).body;
    // Madrid keeps Jueves Santo (seeded): 23 April.
    expect(c.dueAt).toBe('2026-04-23T21:59:59.000Z');
    const h = await t.http
      .post('/api/holidays')
      .set(admin)
      .send({ date: '2026-04-14', scope: 'regional', region: 'ES-MD', name: 'Test day' })
      .expect(201);
    expect(h.body.replanned).toBeGreaterThanOrEqual(1);
    expect((await t.http.get(`/api/cases/${c.id}`).set(agent)).body.dueAt).toBe(
      '2026-04-24T21:59:59.000Z',
    );
    await t.http
      .post('/api/holidays')
      .set(admin)
      .send({ date: '2026-04-14', scope: 'regional', name: 'No region' })
      .expect(400);
    await t.http
      .post('/api/holidays')
      .set(supervisor)
      .send({ date: '2026-04-14', scope: 'national', name: 'x' })
      .expect(403);
    await t.http.delete(`/api/holidays/${h.body.id}`).set(admin).expect(200);
    expect((await t.http.get(`/api/cases/${c.id}`).set(agent)).body.dueAt).toBe(
      '2026-04-23T21:59:59.000Z',
    );
    await t.http.patch(`/api/stores/${store.id}`).set(admin).send({ region: null }).expect(200);
  });
});

describe('public complaints', () => {
  it('answers the number and a receipt whose PDF carries the number and the deadline, and queues the email', async () => {
    t.clock.set('2026-03-31T10:00:00Z');
    const res = await t.http
      .post('/api/public/complaints')
      .set('X-Forwarded-For', '127.0.0.10')
      .send({
        name: 'Ana García',
        email: 'ana.public@example.com',
        locale: 'es',
        category: 'product',
        subject: 'Zapatos rotos',
        description: 'Se despegó la suela.',
      })
      .expect(201);
    expect(Object.keys(res.body).sort()).toEqual(
      ['createdAt', 'dueAt', 'id', 'kind', 'receiptUrl', 'registryNumber', 'status'].sort(),
    );
    expect(res.body.receiptUrl).toMatch(/^\/api\/public\/cases\/.+\/receipt\.pdf\?token=/);
    const pdf = await t.http.get(res.body.receiptUrl).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain(res.body.registryNumber);
    expect(text).toContain('22 de abril de 2026');
    // A wrong token is a 404.
    await t.http
      .get(`/api/public/cases/${res.body.id}/receipt.pdf?token=${'x'.repeat(32)}`)
      .expect(404);
    const [mail] = await t.app
      .get(MessagingService)
      .pendingFor('ana.public@example.com', 'case-receipt');
    expect(mail.locale).toBe('es');
    expect(mail.payload).toMatchObject({
      registryNumber: res.body.registryNumber,
      deadline: '22 de abril de 2026',
    });
  });

  it('refuses a flood per email with 429', async () => {
    const send = (ip: string) =>
      t.http.post('/api/public/complaints').set('X-Forwarded-For', ip).send({
        name: 'Flood',
        email: 'flood@example.com',
        subject: 's',
        description: 'd',
      });
    for (let i = 0; i < 3; i++) expect((await send(`127.0.1.${i}`)).status).toBe(201);
    const res = await send('127.0.1.9');
    expect(res.status).toBe(429);
  });

  it('links a signed-in member’s complaint and shows it on /api/me/cases, never another’s', async () => {
    const ana = await t.member();
    const bob = await t.member();
    const c = await t.http
      .post('/api/me/complaints')
      .set(ana.auth)
      .send({ subject: 'Late delivery', description: 'Two weeks late' })
      .expect(201);
    expect(c.body.receiptUrl).toBe(`/api/me/cases/${c.body.id}/receipt.pdf`);
    const mine = await t.http.get('/api/me/cases').set(ana.auth).expect(200);
    expect(mine.body.items.map((x: { registryNumber: string }) => x.registryNumber)).toEqual([
      c.body.registryNumber,
    ]);
    expect((await t.http.get('/api/me/cases').set(bob.auth).expect(200)).body.items).toEqual([]);
    await t.http.get(`/api/me/cases/${c.body.id}/receipt.pdf`).set(bob.auth).expect(404);
    await t.http
      .post(`/api/me/cases/${c.body.id}/confirm`)
      .set(bob.auth)
      .send({ confirmed: true })
      .expect(404);
    await t.http.get(`/api/me/cases/${c.body.id}/receipt.pdf`).set(ana.auth).expect(200);
    await t.http.get(`/api/cases/${c.body.id}`).set(ana.auth).expect(403);
  });
});

describe('documents', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = (await t.http.post('/api/cases').set(agent).send(newCase()).expect(201)).body.id;
  });
  const stored = () => {
    const dir = join(t.dataDir, 'documents');
    if (!existsSync(dir)) return 0;
    return readdirSync(dir, { recursive: true }).filter((f) => String(f).includes('-v')).length;
  };
  const count = async () =>
    Number((await t.dataSource.query(`SELECT count(*) FROM documents`))[0].count);

  it('files a document with a registry number and its SHA-256, and versions it', async () => {
    const res = await t.http
      .post(`/api/cases/${caseId}/documents`)
      .set(agent)
      .field('kind', 'invoice')
      .attach('file', PDF, 'factura.exe')
      .expect(201);
    expect(res.body.registryNumber).toMatch(/^DOC-\d{4}-\d{6}$/);
    expect(res.body).toMatchObject({
      kind: 'invoice',
      contentType: 'application/pdf',
      version: 1,
      sizeBytes: PDF.length,
      fileName: 'factura.exe',
    });
    expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const content = await t.http
      .get(res.body.contentUrl)
      .set(agent)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(content.body as Buffer, PDF)).toBe(0);
    const v2 = await t.http
      .post(`/api/documents/${res.body.id}/versions`)
      .set(agent)
      .attach('file', PNG, 'photo.png')
      .expect(201);
    expect(v2.body).toMatchObject({
      version: 2,
      contentType: 'image/png',
      registryNumber: res.body.registryNumber,
    });
    const doc = await t.http.get(`/api/documents/${res.body.id}`).set(agent).expect(200);
    expect(doc.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const old = await t.http
      .get(`${res.body.contentUrl}?version=1`)
      .set(agent)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(old.headers['content-type']).toBe('application/pdf');
    const receipt = await t.http
      .get(res.body.receiptUrl)
      .set(agent)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(await pdfText(receipt.body as Buffer)).toContain(res.body.registryNumber);
    const list = await t.http.get(`/api/cases/${caseId}/documents`).set(agent).expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses a file over the limit (413) or of a refused type by its content (415), storing nothing', async () => {
    const before = { rows: await count(), files: stored() };
    const big = Buffer.concat([PDF, Buffer.alloc(5000)]);
    const tooBig = await t.http
      .post(`/api/cases/${caseId}/documents`)
      .set(agent)
      .field('kind', 'invoice')
      .attach('file', big, 'big.pdf');
    expect(tooBig.status).toBe(413);
    expect(fields(tooBig)).toEqual(['file']);
    const exe = await t.http
      .post(`/api/cases/${caseId}/documents`)
      .set(agent)
      .field('kind', 'invoice')
      .attach('file', EXE, 'invoice.pdf');
    expect(exe.status).toBe(415);
    const noKind = await t.http
      .post(`/api/cases/${caseId}/documents`)
      .set(agent)
      .attach('file', PDF, 'a.pdf');
    expect(noKind.status).toBe(400);
    expect(fields(noKind)).toEqual(['kind']);
    const json = await t.http
      .post(`/api/cases/${caseId}/documents`)
      .set(agent)
      .send({ kind: 'invoice' });
    expect(json.status).toBe(400);
    expect({ rows: await count(), files: stored() }).toEqual(before);
  });

  it('refuses a second file, a file under another field and a malformed or cut body (400), storing nothing', async () => {
    const before = { rows: await count(), files: stored() };
    const url = `/api/cases/${caseId}/documents`;
    const two = await t.http
      .post(url)
      .set(agent)
      .field('kind', 'invoice')
      .attach('file', PDF, 'a.pdf')
      .attach('file', PDF, 'b.pdf');
    expect([two.status, fields(two), two.body.details[0].reason]).toEqual([
      400,
      ['file'],
      'one file per request',
    ]);
    const other = await t.http
      .post(url)
      .set(agent)
      .field('kind', 'invoice')
      .attach('document', PDF, 'a.pdf');
    expect([other.status, fields(other)]).toEqual([400, ['document']]);
    const form = (boundary: string, body: string) =>
      t.http
        .post(url)
        .set(agent)
        .set('content-type', `multipart/form-data${boundary}`)
        .send(Buffer.from(body));
    const noBoundary = await form('', '--x\r\n');
    const cut = await form(
      '; boundary=x',
      '--x\r\ncontent-disposition: form-data; name="kind"\r\n\r\ninvoice\r\n' +
        '--x\r\ncontent-disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4',
    );
    for (const res of [noBoundary, cut]) {
      expect([res.status, fields(res), res.body.details[0].reason]).toEqual([
        400,
        ['file'],
        'malformed multipart body',
      ]);
    }
    expect({ rows: await count(), files: stored() }).toEqual(before);
  });
});

describe('registries', () => {
  it('opens one incident per low score through the Escalations port', async () => {
    const member = await t.member();
    const runner = t.app.get(TransactionRunner);
    const request = {
      memberId: member.id,
      source: { type: 'survey_response' as const, id: 'resp-1' },
      channel: 'email' as const,
      satisfaction: { kind: 'nps' as const, score: 2, comment: 'Terrible' },
      locale: 'en',
    };
    const first = await runner.run((tx) => t.app.get(Escalations).open(tx, request));
    const again = await runner.run((tx) => t.app.get(Escalations).open(tx, request));
    expect(first!.registryNumber).toMatch(/^REC-/);
    expect(again).toEqual(first);
    const c = (await t.http.get(`/api/cases/${first!.caseId}`).set(agent).expect(200)).body;
    expect(c).toMatchObject({
      kind: 'incident',
      memberId: member.id,
      source: { type: 'survey_response', id: 'resp-1' },
      subject: 'Low satisfaction score (NPS 2)',
      description: 'Terrible',
    });
  });

  it('answers search by registry number first and by text, and the member’s timeline', async () => {
    const member = await t.member();
    const c = (
      await t.http
        .post('/api/cases')
        .set(agent)
        .send(
          newCase({ memberId: member.id, contact: undefined, subject: 'Cremallera estropeada' }),
        )
        .expect(201)
    ).body;
    const providers = t.app.get(SearchRegistry).all();
    const cases = providers.find((p) => p.kind === 'case')!;
    const principal = { kind: 'staff' as const, userId: 'x', roles: ['agent' as const] };
    const byNumber = await cases.search(t.dataSource.manager, c.registryNumber, {
      limit: 5,
      principal,
    });
    expect(byNumber).toEqual([expect.objectContaining({ id: c.id, rank: 1000 })]);
    const byText = await cases.search(t.dataSource.manager, 'cremallera', { limit: 5, principal });
    expect(byText[0]).toMatchObject({ id: c.id, match: expect.stringContaining('«Cremallera»') });
    expect(providers.map((p) => p.kind).sort()).toEqual(
      expect.arrayContaining(['case', 'document']),
    );
    const contributor = t.app
      .get(TimelineRegistry)
      .all()
      .find((x) => x.name === 'cases')!;
    const entries = await contributor.entries(t.dataSource.manager, {
      memberId: member.id,
      limit: 10,
    });
    expect(entries.map((e) => e.id)).toContain(`case:${c.id}`);
  });

  it('erases a member’s case texts and documents, keeping a document under legal hold and naming it', async () => {
    const member = await t.member();
    const c = (
      await t.http
        .post('/api/cases')
        .set(agent)
        .send(
          newCase({
            memberId: member.id,
            contact: undefined,
            subject: 'Mi DNI',
            description: 'Texto personal',
          }),
        )
        .expect(201)
    ).body;
    const upload = (kind: string) =>
      t.http
        .post(`/api/cases/${c.id}/documents`)
        .set(agent)
        .field('kind', kind)
        .attach('file', PNG, 'dni.png');
    const id = (await upload('id').expect(201)).body;
    const invoice = (await upload('invoice').expect(201)).body;
    await t.http
      .patch(`/api/documents/${invoice.id}`)
      .set(supervisor)
      .send({ legalHold: true, legalHoldReason: 'court case 12/2026' })
      .expect(200);
    const exported = await t.app
      .get(PersonalDataRegistry)
      .all()
      .find((x) => x.category === 'cases')!
      .export(t.dataSource.manager, member.id);
    expect(JSON.stringify(exported)).toContain('Texto personal');
    const erased = await t.http.post(`/api/members/${member.id}/erase`).set(supervisor).expect(200);
    expect(erased.body.categories).toEqual(expect.arrayContaining(['cases', 'documents']));
    expect(erased.body.retained).toEqual([
      expect.objectContaining({
        category: 'documents',
        count: 1,
        what: expect.stringContaining(invoice.registryNumber),
        reason: expect.stringContaining('court case 12/2026'),
      }),
    ]);
    const after = (await t.http.get(`/api/cases/${c.id}`).set(agent).expect(200)).body;
    expect(after).toMatchObject({
      subject: '—',
      description: '—',
      registryNumber: c.registryNumber,
    });
    await t.http.get(`/api/documents/${id.id}/content`).set(agent).expect(404);
    const purge = await t.app.get(DocumentsService).purge();
    expect(purge.filesDeleted).toBeGreaterThanOrEqual(1);
    await t.http.get(`/api/documents/${invoice.id}/content`).set(agent).expect(200);
  });
});
