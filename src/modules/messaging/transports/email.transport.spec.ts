import { simpleParser } from 'mailparser';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../config';
import { EmailTransport } from './email.transport';
import { SendError } from './send-error';

const mail = {
  id: '42',
  to: 'ana@example.com',
  subject: 'Hola',
  html: '<p>Hola</p>',
  text: 'Hola\n',
};

describe('EmailTransport without SMTP_URL', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fidelia-mail-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the message as an .eml file under DATA_DIR/outbox in development', async () => {
    const transport = new EmailTransport(
      loadConfig({ NODE_ENV: 'development', DATA_DIR: dir }, {}),
    );
    const result = await transport.send(mail);
    expect(result.file).toBe(join(dir, 'outbox', '42.eml'));
    const parsed = await simpleParser(readFileSync(result.file!));
    expect(parsed.subject).toBe('Hola');
    expect(parsed.text).toBe('Hola\n');
    expect(parsed.to).toMatchObject({ text: 'ana@example.com' });
    expect(parsed.headers.get('x-fidelia-message')).toBe('42');
  });

  it('refuses in production, so the message fails visibly until SMTP is set', async () => {
    const transport = new EmailTransport(loadConfig({ NODE_ENV: 'production', DATA_DIR: dir }, {}));
    await expect(transport.send(mail)).rejects.toThrow(new SendError('SMTP_URL is not set', false));
  });
});
