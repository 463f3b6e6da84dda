import { simpleParser, ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/modules/messaging/outbox-dispatcher.service';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { TimelineRegistry } from '../../src/common';
import { TransactionRunner } from '../../src/database';
import { MessagingService, OutgoingMessage } from '../../src/modules/messaging';
import { startTestApp, TestApp } from '../utils/test-app';

const SMS_TOKEN = 'sms-token-for-tests-0123456789';

/** A real SMTP server on 127.0.0.1 that keeps every message it receives, parsed. */
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
  const port = (server.server.address() as AddressInfo).port;
  return { server, port, received };
}

/** A stand-in SMS provider on 127.0.0.1: records each POST, answers with `status`. */
async function startSmsProvider() {
  const state = {
    status: 200,
    received: [] as { auth?: string; body: Record<string, unknown> }[],
  };
  const server: Server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      state.received.push({
        auth: req.headers.authorization,
        body: JSON.parse(data) as Record<string, unknown>,
      });
      res.writeHead(state.status, { 'content-type': 'application/json' });
      res.end(
        state.status < 300
          ? JSON.stringify({ id: `prov-${state.received.length}` })
          : '{"error":"x"}',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, port, state };
}

describe('messaging: outbox dispatch, SMTP, SMS provider, consent and opt-out', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let sms: Awaited<ReturnType<typeof startSmsProvider>>;
  let dispatcher: OutboxDispatcher;
  let messaging: MessagingService;
  let phoneCounter = 100000;
  const phone = () => `+34600${++phoneCounter}`;

  const enqueue = (message: OutgoingMessage) =>
    t.app.get(TransactionRunner).run((tx) => messaging.enqueue(tx, message));
  const row = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT status, attempts, next_attempt_at, last_error, provider_ref, segments
           FROM outbox WHERE id = $1`,
        [id],
      )
    )[0] as {
      status: string;
      attempts: number;
      next_attempt_at: Date;
      last_error: string | null;
      provider_ref: string | null;
      segments: number | null;
    };
  const consentsOf = async (memberId: string) =>
    (
      await t.http
        .get(`/api/members/${memberId}/consents`)
        .set(await t.auth('supervisor'))
        .expect(200)
    ).body.items as { purpose: string; granted: boolean; channel: string }[];

  beforeAll(async () => {
    smtp = await startSmtp();
    sms = await startSmsProvider();
    t = await startTestApp({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Fidelia <no-reply@fidelia.test>',
      SMS_URL: `http://127.0.0.1:${sms.port}/messages`,
      SMS_TOKEN,
      MESSAGING_SECRET: 'messaging-secret-for-tests-0123456789abcdef',
      OUTBOX_MAX_ATTEMPTS: '3',
      PUBLIC_URL: 'http://fidelia.test',
    });
    dispatcher = t.app.get(OutboxDispatcher);
    messaging = t.app.get(MessagingService);
    t.clock.set('2026-03-02T10:00:00Z');
  });

  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
    await new Promise<void>((resolve) => sms.server.close(() => resolve()));
  });

  beforeEach(() => {
    sms.state.status = 200;
  });

  it('sends the sign-in code through SMTP after commit, from the templates, with the footer', async () => {
    const member = await t.member({ locale: 'es' });
    await t.http.post('/api/auth/member/code').send({ email: member.email }).expect(202);
    const [queued] = await messaging.pendingFor(member.email, 'member-login-code');
    expect(queued.status).toBe('pending');
    const before = smtp.received.length;

    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, sent: 1 });

    const mail = smtp.received[before];
    const code = String(queued.payload.code);
    expect(mail.to).toMatchObject({ text: member.email });
    expect(mail.from?.text).toContain('no-reply@fidelia.test');
    expect(mail.subject).toBe(`Tu código de acceso a Fidelia: ${code}`);
    expect(mail.text).toContain(`Tu código para entrar en tu cuenta de Fidelia es: ${code}`);
    expect(mail.text).toContain('Recibes este mensaje porque se ha pedido un código de acceso');
    expect(mail.html).toContain(code);
    expect(mail.html).toContain('<html lang="es">');
    expect(mail.headerLines.some((h) => h.key === 'list-unsubscribe')).toBe(false);
    const sent = await row(queued.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(sent.provider_ref).toMatch(/@/);
    // Sent once: a second run finds nothing.
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
  });

  it('sends an SMS to the provider as JSON with its token, folded to one GSM-7 segment', async () => {
    const id = await enqueue({
      channel: 'sms',
      recipient: '+34600000001',
      template: 'member-login-code',
      locale: 'es',
      payload: { code: '123456' },
    });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    const last = sms.state.received.at(-1)!;
    expect(last.auth).toBe(`Bearer ${SMS_TOKEN}`);
    expect(last.body).toEqual({
      reference: id,
      to: '+34600000001',
      text: 'Fidelia: tu codigo de acceso es 123456. Caduca en 10 minutos. No lo compartas.',
      encoding: 'GSM-7',
      segments: 1,
    });
    expect(await row(id)).toMatchObject({
      status: 'sent',
      segments: 1,
      provider_ref: expect.stringMatching(/^prov-/),
    });
  });

  it('retries with backoff on the injected clock, then shows the failure and retries on demand', async () => {
    sms.state.status = 503;
    const id = await enqueue({
      channel: 'sms',
      recipient: '+34600000002',
      template: 'member-login-code',
      payload: { code: '654321' },
    });
    const start = t.clock.now().getTime();
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    let r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 1 });
    expect(r.last_error).toContain('SMS provider 503');
    expect(new Date(r.next_attempt_at).getTime()).toBe(start + 60_000);

    // Not due yet: nothing claimed.
    t.clock.advance(59_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
    t.clock.advance(1_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    r = await row(id);
    expect(new Date(r.next_attempt_at).getTime()).toBe(t.clock.now().getTime() + 120_000);

    // The third attempt is the last (OUTBOX_MAX_ATTEMPTS=3): failed, and listed as such.
    t.clock.advance(120_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 3 });

    const supervisor = await t.auth('supervisor');
    const list = await t.http.get('/api/messages?status=failed').set(supervisor).expect(200);
    expect(list.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id,
          status: 'failed',
          attempts: 3,
          recipient: '*********002',
          lastError: expect.stringContaining('503'),
        }),
      ]),
    );
    expect(list.body.items[0]).not.toHaveProperty('payload');
    await t.http
      .get('/api/messages?status=failed')
      .set(await t.auth('cashier'))
      .expect(403);
    await t.http.get('/api/messages?status=failed').expect(401);
    const bad = await t.http.get('/api/messages?status=lost').set(supervisor).expect(400);
    expect(bad.body.details[0].field).toBe('status');

    // The provider is back: a supervisor retries, and it goes.
    sms.state.status = 200;
    const retried = await t.http.post(`/api/messages/${id}/retry`).set(supervisor).expect(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
    const again = await t.http.post(`/api/messages/${id}/retry`).set(supervisor).expect(409);
    expect(again.body.code).toBe('messaging.not_retryable');
    await t.http.post(`/api/messages/999999999/retry`).set(supervisor).expect(404);
    const badId = await t.http.post(`/api/messages/abc/retry`).set(supervisor).expect(400);
    expect(badId.body.details[0].field).toBe('id');
  });

  it('fails at once when the provider refuses the message (4xx)', async () => {
    sms.state.status = 400;
    const id = await enqueue({
      channel: 'sms',
      recipient: '+34600000003',
      template: 'member-login-code',
      payload: { code: '111111' },
    });
    expect(await dispatcher.runOnce()).toMatchObject({ failed: 1 });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('fails at once for a template that does not exist', async () => {
    const id = await enqueue({ channel: 'email', recipient: 'x@example.com', template: 'no-such' });
    expect(await dispatcher.runOnce()).toMatchObject({ failed: 1 });
    expect((await row(id)).last_error).toContain('no-such');
  });

  it('never sends marketing without the consent for its channel', async () => {
    const member = await t.member();
    const before = smtp.received.length;
    const id = await enqueue({
      channel: 'email',
      recipient: member.email,
      template: 'marketing-offer',
      memberId: member.id,
      purpose: 'marketing',
      payload: { headline: '2x1 en zapatillas', body: 'Solo este fin de semana.' },
    });
    expect(await dispatcher.runOnce()).toMatchObject({ cancelled: 1, sent: 0 });
    expect(await row(id)).toMatchObject({
      status: 'cancelled',
      last_error: 'no marketing_email consent',
    });
    expect(smtp.received.length).toBe(before);
  });

  it('carries an opt-out link that withdraws the email consent and lands on the history', async () => {
    const member = await t.member({
      consents: { terms: true, followup: true, marketing_email: true },
    });
    const offer: OutgoingMessage = {
      channel: 'email',
      recipient: member.email,
      template: 'marketing-offer',
      memberId: member.id,
      purpose: 'marketing',
      locale: 'en',
      payload: {
        headline: 'Two for one',
        body: 'This weekend only.',
        url: 'http://fidelia.test/o',
      },
    };
    const before = smtp.received.length;
    await enqueue(offer);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    const mail = smtp.received[before];
    expect(mail.subject).toBe('Two for one');
    expect(mail.text).toContain('because you agreed to receive offers from Fidelia');
    const link = /http:\/\/fidelia\.test(\/unsubscribe\/[^\s>"]+)/.exec(mail.text ?? '')![1];
    expect(mail.html).toContain(link);
    // Long header lines are folded: unfold before comparing.
    const header = (name: string) =>
      mail.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <http://fidelia.test${link}>`);
    expect(header('list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );

    // Opening the link only asks; the button withdraws.
    const page = await t.http.get(link).set('Accept-Language', 'en').expect(200);
    expect(page.text).toContain('data-state="ask"');
    expect((await consentsOf(member.id))[0]).toMatchObject({
      purpose: 'marketing_email',
      granted: true,
    });
    const done = await t.http
      .post(link)
      .type('form')
      .send({ 'List-Unsubscribe': 'One-Click' })
      .expect(200);
    expect(done.text).toContain('data-state="done"');
    expect((await consentsOf(member.id))[0]).toMatchObject({
      purpose: 'marketing_email',
      granted: false,
      channel: 'email_link',
    });
    // Twice changes nothing more.
    await t.http
      .post('/api/public/messages/opt-out')
      .send({ token: link.split('/')[2] })
      .expect(200);
    expect(
      (await consentsOf(member.id)).filter((c) => c.purpose === 'marketing_email'),
    ).toHaveLength(2);

    // The next offer is not sent.
    const next = await enqueue(offer);
    expect(await dispatcher.runOnce()).toMatchObject({ cancelled: 1 });
    expect((await row(next)).status).toBe('cancelled');

    // A forged link is refused.
    const forged = link.slice(0, -2) + (link.endsWith('AA') ? 'BB' : 'AA');
    expect((await t.http.get(forged).expect(200)).text).toContain('data-state="invalid"');
    await t.http.post(forged).type('form').send({}).expect(404);
    const api = await t.http
      .post('/api/public/messages/opt-out')
      .send({ token: 'x.email.abcdefgh' });
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('messaging.bad_opt_out_token');
  });

  it('ends a marketing SMS with the keyword; BAJA from the provider withdraws the SMS consent', async () => {
    const number = phone();
    const member = await t.member({
      phone: number,
      consents: { terms: true, followup: true, marketing_sms: true },
    });
    await enqueue({
      channel: 'sms',
      recipient: number,
      template: 'marketing-offer',
      memberId: member.id,
      purpose: 'marketing',
      payload: { headline: '2x1 en zapatillas este sábado' },
    });
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect(sms.state.received.at(-1)!.body.text).toBe(
      'Fidelia: 2x1 en zapatillas este sabado Baja: responde BAJA',
    );

    await t.http.post('/api/public/sms/inbound').send({ from: number, text: 'BAJA' }).expect(401);
    await t.http
      .post('/api/public/sms/inbound')
      .set('Authorization', 'Bearer wrong-token-wrong-token-xx')
      .send({ from: number, text: 'BAJA' })
      .expect(401);
    const auth = { Authorization: `Bearer ${SMS_TOKEN}` };
    const chat = await t.http
      .post('/api/public/sms/inbound')
      .set(auth)
      .send({ from: number, text: 'gracias' })
      .expect(200);
    expect(chat.body).toEqual({ optedOut: false });
    const stop = await t.http
      .post('/api/public/sms/inbound')
      .set(auth)
      .send({ from: number, text: 'Baja' })
      .expect(200);
    expect(stop.body).toEqual({ optedOut: true });
    expect((await consentsOf(member.id))[0]).toMatchObject({
      purpose: 'marketing_sms',
      granted: false,
      channel: 'sms_keyword',
    });
    const bad = await t.http
      .post('/api/public/sms/inbound')
      .set(auth)
      .send({ text: 'BAJA' })
      .expect(400);
    expect(bad.body.details[0].field).toBe('from');
  });

  it('four dispatchers running at once send each message exactly once', async () => {
    const ids: string[] = [];
    await t.app.get(TransactionRunner).run(async (tx) => {
      for (let i = 0; i < 120; i++) {
        ids.push(
          await messaging.enqueue(tx, {
            channel: 'sms',
            recipient: `+3461${String(i).padStart(7, '0')}`,
            template: 'member-login-code',
            payload: { code: String(100000 + i) },
          }),
        );
      }
    });
    const before = sms.state.received.length;
    const runs = await Promise.all(
      Array.from({ length: 4 }, async () => {
        let claimed = 0;
        for (;;) {
          const r = await dispatcher.runOnce(10);
          if (r.claimed === 0) return claimed;
          claimed += r.claimed;
        }
      }),
    );
    expect(runs.reduce((a, b) => a + b, 0)).toBe(120);
    const refs = sms.state.received.slice(before).map((r) => String(r.body.reference));
    expect(refs.length).toBe(120);
    expect(new Set(refs)).toEqual(new Set(ids));
  });

  it('queues a batch with one statement (enqueueMany), in order, sent like any message', async () => {
    const batch: OutgoingMessage[] = Array.from({ length: 30 }, (_, i) => ({
      channel: 'sms',
      recipient: `+3462${String(i).padStart(7, '0')}`,
      template: 'member-login-code',
      locale: i % 2 ? 'en' : 'es',
      payload: { code: String(200000 + i) },
    }));
    const ids = await t.app.get(TransactionRunner).run((tx) => messaging.enqueueMany(tx, batch));
    expect(ids).toHaveLength(30);
    const rows: { id: string; recipient: string; locale: string; payload: { code: string } }[] =
      await t.dataSource.query(
        `SELECT id::text AS id, recipient, locale, payload FROM outbox WHERE id = ANY($1::bigint[])`,
        [ids],
      );
    const byId = new Map(rows.map((r) => [r.id, r]));
    ids.forEach((id, i) => {
      expect(byId.get(id)).toMatchObject({
        recipient: batch[i].recipient,
        locale: batch[i].locale,
        payload: { code: String(200000 + i) },
      });
    });
    const before = sms.state.received.length;
    while ((await dispatcher.runOnce(50)).claimed > 0);
    const refs = sms.state.received.slice(before).map((r) => String(r.body.reference));
    expect(new Set(refs)).toEqual(new Set(ids));
    // A message without a recipient refuses the whole batch.
    await expect(
      t.app
        .get(TransactionRunner)
        .run((tx) =>
          messaging.enqueueMany(tx, [{ channel: 'email', recipient: '', template: 'x' }]),
        ),
    ).rejects.toMatchObject({ code: expect.stringContaining('recipient') });
  });

  it('shows messages on the member timeline and in the export; erasure blanks them', async () => {
    const member = await t.member();
    await t.http.post('/api/auth/member/code').send({ email: member.email }).expect(202);
    await dispatcher.runOnce();
    const contributor = t.app
      .get(TimelineRegistry)
      .all()
      .find((c) => c.name === 'messaging')!;
    const entries = await contributor.entries(t.dataSource.manager, {
      memberId: member.id,
      limit: 10,
    });
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'message',
        ref: { messageId: expect.any(String) },
        data: expect.objectContaining({ template: 'member-login-code', status: 'sent' }),
      }),
    ]);
    expect(
      await contributor.entries(t.dataSource.manager, {
        memberId: member.id,
        limit: 10,
        before: { at: entries[0].at, id: entries[0].id },
      }),
    ).toEqual([]);

    const exported = await t.http
      .get(`/api/members/${member.id}/export`)
      .set(member.auth)
      .expect(200);
    const mine = (exported.body.messages_ ?? exported.body.messages) as Record<string, unknown>[];
    expect(mine).toEqual([expect.objectContaining({ template: 'member-login-code', payload: {} })]);

    await t.http.post(`/api/members/${member.id}/erase`).set(member.auth).expect(200);
    const [erased] = await t.dataSource.query(`SELECT recipient FROM outbox WHERE member_id = $1`, [
      member.id,
    ]);
    expect(erased.recipient).toBe(`erased:${member.id}`);
  });
});
