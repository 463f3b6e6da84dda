import { Injectable, Logger } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../../config';
import type { SmsLength } from '../sms-segments';
import { SendError, SendResult } from './send-error';

export interface SmsToSend {
  id: string;
  to: string;
  text: string;
  length: SmsLength;
}

const TIMEOUT_MS = 10_000;

/**
 * SMS through an HTTP provider adapter (SMS_URL, SMS_TOKEN). The contract, documented in
 * docs/messaging.md: `POST SMS_URL` with `Authorization: Bearer SMS_TOKEN` and JSON
 * `{ reference, to, text, encoding, segments }`; a 2xx answers `{ id }`. A 4xx (but 408 and 429)
 * is final; 5xx, 408, 429 and network errors are retried. Without SMS_URL, development writes
 * each SMS to DATA_DIR/outbox/<id>.sms.txt; production refuses.
 */
@Injectable()
export class SmsTransport {
  private readonly logger = new Logger('Messaging');

  constructor(private readonly config: AppConfig) {}

  async send(sms: SmsToSend): Promise<SendResult> {
    const url = this.config.SMS_URL;
    if (!url) {
      if (this.config.isProduction) throw new SendError('SMS_URL is not set', false);
      const dir = join(this.config.dataDir, 'outbox');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${sms.id}.sms.txt`);
      writeFileSync(
        file,
        `To: ${sms.to}\nSegments: ${sms.length.segments} (${sms.length.encoding})\n\n${sms.text}\n`,
      );
      this.logger.log(`SMS ${sms.id} written to ${file} (no SMS_URL set)`);
      return { ref: null, file };
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.config.SMS_TOKEN ? { authorization: `Bearer ${this.config.SMS_TOKEN}` } : {}),
        },
        body: JSON.stringify({
          reference: sms.id,
          to: sms.to,
          text: sms.text,
          encoding: sms.length.encoding,
          segments: sms.length.segments,
        }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new SendError(`SMS provider unreachable: ${(err as Error).message}`, false);
    }
    const body = await res.text();
    if (!res.ok) {
      const permanent = res.status >= 400 && res.status < 500 && ![408, 429].includes(res.status);
      throw new SendError(`SMS provider ${res.status}: ${body.slice(0, 300)}`, permanent);
    }
    let id: unknown = null;
    try {
      id = (JSON.parse(body) as { id?: unknown }).id;
    } catch {
      // A provider that answers 2xx without JSON still took the message.
    }
    return { ref: typeof id === 'string' || typeof id === 'number' ? String(id) : null };
  }
}
