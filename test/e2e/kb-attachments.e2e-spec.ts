import { simpleParser, ParsedMail } from 'mailparser';
import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { OutboxDispatcher } from '../../src/modules/messaging/outbox-dispatcher.service';
import { binary } from '../utils/pdf-text';
import { startTestApp, TestApp } from '../utils/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A real SMTP server on 127.0.0.1 keeping what it receives, parsed. */
async function startSmtp() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, received };
}

/** A stand-in SMS provider on 127.0.0.1 recording each message. */
async function startSms() {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(data) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `prov-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

describe('knowledge base: brochures as attached documents', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let sms: Awaited<ReturnType<typeof startSms>>;
  let supervisor: Record<string, string>;
  let marketing: Record<string, string>;
  let agent: Record<string, string>;
  let cashier: Record<string, string>;
  let category: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    sms = await startSms();
    t = await startTestApp({
      DOCUMENT_MAX_BYTES: '4096',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Fidelia <no-reply@fidelia.test>',
      SMS_URL: `http://127.0.0.1:${sms.port}/messages`,
      SMS_TOKEN: 'sms-token-for-tests-0123456789',
      MESSAGING_SECRET: 'messaging-secret-for-tests-0123456789abcdef',
      PUBLIC_URL: 'http://fidelia.test',
    });
    supervisor = await t.auth('supervisor');
    marketing = await t.auth('marketing');
    agent = await t.auth('agent');
    cashier = await t.auth('cashier', { storeId: (await t.store()).id });
    category = (
      await t.http
        .post('/api/kb/categories')
        .set(supervisor)
        .send({ slug: 'manuals', nameEs: 'Manuales', nameEn: 'Manuals' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
    await new Promise<void>((resolve) => sms.server.close(() => resolve()));
  });

  const article = async (slug: string, isPublic: boolean) =>
    (
      await t.http
        .post('/api/kb/articles')
        .set(supervisor)
        .send({
          slug,
          categoryId: category,
          public: isPublic,
          titleEs: 'Manual de las zapatillas Trail',
          bodyEs: 'Cómo cuidar tus zapatillas.',
          titleEn: 'Trail shoes manual',
          bodyEn: 'How to look after your shoes.',
        })
        .expect(201)
    ).body as { id: string; slug: string };
  const upload = (id: string, who: Record<string, string>, bytes: Buffer, name: string) =>
    t.http.post(`/api/kb/articles/${id}/attachments`).set(who).attach('file', bytes, name);
  const count = async () =>
    Number((await t.dataSource.query(`SELECT count(*) FROM kb_article_attachments`))[0].count);

  it('uploads a brochure (marketing, supervisor), lists it and serves it to staff and, when public, to anyone', async () => {
    const a = await article('trail-manual', true);
    const res = await upload(a.id, marketing, PDF, '../folleto Trail.exe');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      fileName: 'folleto Trail.pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: sha256(PDF),
      publicUrl: `http://fidelia.test/api/public/kb/trail-manual/attachments/${res.body.id}`,
    });
    await upload(a.id, supervisor, PDF, 'manual.pdf').expect(201);
    for (const who of [agent, cashier]) await upload(a.id, who, PDF, 'x.pdf').expect(403);

    const shown = await t.http.get(`/api/kb/articles/${a.id}`).set(agent).expect(200);
    expect(shown.body.attachments.map((f: { fileName: string }) => f.fileName)).toEqual([
      'folleto Trail.pdf',
      'manual.pdf',
    ]);
    const staff = await t.http
      .get(res.body.contentUrl)
      .set(cashier)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(staff.body as Buffer, PDF)).toBe(0);
    const pub = await t.http
      .get(`/api/public/kb/trail-manual/attachments/${res.body.id}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(pub.body as Buffer, PDF)).toBe(0);
    expect(pub.headers['content-type']).toBe('application/pdf');
    expect(pub.headers['x-content-type-options']).toBe('nosniff');
    expect(pub.headers['content-disposition']).toContain('filename="folleto Trail.pdf"');
    // The public page links it; the public API lists it.
    const page = await t.http.get('/kb/trail-manual').expect(200);
    expect(page.text).toContain(`href="/api/public/kb/trail-manual/attachments/${res.body.id}"`);
    expect(page.text).toContain('folleto Trail.pdf');
    const api = await t.http.get('/api/public/kb/trail-manual').expect(200);
    expect(api.body.attachments).toHaveLength(2);
    expect(
      await t.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1`, [a.id]),
    ).toEqual([{ action: 'kb.attachment.add' }, { action: 'kb.attachment.add' }]);
  });

  it('keeps an internal article’s files for staff only', async () => {
    const a = await article('internal-manual', false);
    const file = (await upload(a.id, supervisor, PDF, 'internal.pdf').expect(201)).body;
    expect(file.publicUrl).toBeNull();
    await t.http.get(`/api/public/kb/internal-manual/attachments/${file.id}`).expect(404);
    await t.http.get(file.contentUrl).set(agent).expect(200);
    // Another article's path does not reach it.
    const other = await article('other-manual', true);
    await t.http.get(`/api/public/kb/other-manual/attachments/${file.id}`).expect(404);
    await t.http.get(`/api/kb/articles/${other.id}/attachments/${file.id}`).set(agent).expect(404);
  });

  it('refuses a file over the limit (413), of a refused type (415) or missing (400), keeping nothing', async () => {
    const a = await article('limits', true);
    const before = await count();
    const big = await upload(a.id, supervisor, Buffer.concat([PDF, Buffer.alloc(5000)]), 'big.pdf');
    expect(big.status).toBe(413);
    expect(big.body.details.map((d: { field: string }) => d.field)).toEqual(['file']);
    const exe = await upload(a.id, supervisor, EXE, 'brochure.pdf');
    expect(exe.status).toBe(415);
    const none = await t.http
      .post(`/api/kb/articles/${a.id}/attachments`)
      .set(supervisor)
      .field('title', 'x');
    expect(none.status).toBe(400);
    expect(none.body.details.map((d: { field: string }) => d.field)).toEqual(['file']);
    const missing = await upload('00000000-0000-4000-8000-000000000000', supervisor, PDF, 'a.pdf');
    expect(missing.status).toBe(404);
    expect(await count()).toBe(before);
  });

  it('sends the article with its brochure’s link by email and by SMS', async () => {
    const a = await article('trail-brochure', true);
    const file = (await upload(a.id, supervisor, PDF, 'trail.pdf').expect(201)).body;
    const member = await t.member({ phone: '+34611222333' });
    const dispatcher = t.app.get(OutboxDispatcher);
    const mails = smtp.received.length;
    await t.http
      .post(`/api/kb/articles/${a.id}/send`)
      .set(agent)
      .send({ memberId: member.id, channel: 'email' })
      .expect(201);
    await t.http
      .post(`/api/kb/articles/${a.id}/send`)
      .set(agent)
      .send({ memberId: member.id, channel: 'sms' })
      .expect(201);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 2 });
    const mail = smtp.received[mails];
    expect(mail.html).toContain(`<a href="${file.publicUrl}">trail.pdf</a>`);
    expect(mail.text).toContain(`trail.pdf: ${file.publicUrl}`);
    expect(String(sms.received.at(-1)!.text)).toContain(file.publicUrl);
  });
});
