import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import { AppConfig } from '../../../config';
import type { RenderedEmail } from '../message-renderer';
import { SendError, SendResult } from './send-error';

export interface EmailToSend extends RenderedEmail {
  /** Outbox id: names the .eml file and goes in a header, so a bounce can be traced back. */
  id: string;
  to: string;
  /** Marketing: the opt-out link, also as List-Unsubscribe (RFC 8058 one-click). */
  unsubscribeUrl?: string;
  unsubscribePostUrl?: string;
}

/**
 * Email over SMTP (nodemailer, SMTP_URL). Without SMTP_URL, development and tests write each
 * message as an .eml file under DATA_DIR/outbox/ and log where; production refuses (the
 * message fails visibly and is retried once SMTP_URL is set).
 */
@Injectable()
export class EmailTransport implements OnModuleDestroy {
  private readonly logger = new Logger('Messaging');
  private smtp?: Transporter;
  private readonly files = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });

  constructor(private readonly config: AppConfig) {
    if (config.SMTP_URL) this.smtp = nodemailer.createTransport(config.SMTP_URL);
  }

  async send(mail: EmailToSend): Promise<SendResult> {
    const message = {
      from: this.config.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: {
        'X-Fidelia-Message': mail.id,
        ...(mail.unsubscribeUrl
          ? {
              'List-Unsubscribe': `<${mail.unsubscribePostUrl ?? mail.unsubscribeUrl}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            }
          : {}),
      },
    };
    if (this.smtp) {
      try {
        const info = (await this.smtp.sendMail(message)) as { messageId?: string };
        return { ref: info.messageId ?? null };
      } catch (err) {
        throw smtpError(err);
      }
    }
    if (this.config.isProduction) throw new SendError('SMTP_URL is not set', false);
    const info = (await this.files.sendMail(message)) as { message: Buffer; messageId?: string };
    const dir = join(this.config.dataDir, 'outbox');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${mail.id}.eml`);
    writeFileSync(file, info.message);
    this.logger.log(`email ${mail.id} written to ${file} (no SMTP_URL set)`);
    return { ref: info.messageId ?? null, file };
  }

  onModuleDestroy() {
    this.smtp?.close();
  }
}

/** An SMTP 5xx is the server's final no (bad address, refused content); 4xx and network errors pass. */
function smtpError(err: unknown): SendError {
  const e = err as { responseCode?: number; message?: string; code?: string };
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
  const text = e.responseCode
    ? `SMTP ${e.responseCode}: ${e.message}`
    : `${e.code ?? 'SMTP'}: ${e.message}`;
  return new SendError(text.slice(0, 500), permanent);
}
