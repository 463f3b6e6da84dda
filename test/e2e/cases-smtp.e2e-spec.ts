import { simpleParser, ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/modules/messaging/outbox-dispatcher.service';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startTestApp, TestApp } from '../utils/test-app';

jest.setTimeout(60_000);

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
  return { server, port: (server.server.address() as AddressInfo).port, received };
}

describe('case emails reach an SMTP server', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Fidelia <no-reply@fidelia.test>',
      PUBLIC_URL: 'http://fidelia.test',
    });
    t.clock.set('2026-03-31T10:00:00Z');
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  });

  it.each([
    ['es', 'Justificante de su Reclamación', '22 de abril de 2026'],
    ['en', 'Receipt for your Complaint', '22 April 2026'],
  ])(
    'sends the complaint receipt in the customer’s language (%s) with number, deadline and link',
    async (locale, subject, deadline) => {
      const email = `receipt-${locale}@example.com`;
      const res = await t.http
        .post('/api/public/complaints')
        .send({ name: 'Ana', email, locale, subject: 'Suela', description: 'Se despegó.' })
        .expect(201);
      const before = smtp.received.length;
      await t.app.get(OutboxDispatcher).runOnce();
      const mail = smtp.received
        .slice(before)
        .find((m) => m.to && JSON.stringify(m.to).includes(email));
      expect(mail).toBeDefined();
      expect(mail!.subject).toBe(`${subject} ${res.body.registryNumber}`);
      expect(mail!.text).toContain(deadline);
      expect(mail!.text).toContain(`http://fidelia.test${res.body.receiptUrl}`);
    },
  );

  it('sends a supervisor’s reply to the customer', async () => {
    const res = await t.http
      .post('/api/public/complaints')
      .send({ name: 'Luis', email: 'reply@example.com', subject: 'Cobro doble', description: 'x' })
      .expect(201);
    await t.http
      .post(`/api/cases/${res.body.id}/resolve`)
      .set(await t.auth('supervisor'))
      .send({ resolution: 'Refunded', reply: 'Le hemos devuelto el cargo duplicado.' })
      .expect(200);
    const before = smtp.received.length;
    await t.app.get(OutboxDispatcher).runOnce();
    const mail = smtp.received
      .slice(before)
      .find((m) => m.subject?.startsWith(`Resuelto: ${res.body.registryNumber}`));
    expect(mail?.text).toContain('Le hemos devuelto el cargo duplicado.');
  });
});
