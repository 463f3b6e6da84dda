import { Injectable, Logger } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../../common';
import { AppConfig } from '../../config';
import { TransactionRunner } from '../../database';
import { ConsentsService } from '../members';
import { badOptOutToken, badWebhookToken } from './messaging.errors';
import { isOptOutKeyword, OptOutChannel, signOptOut, verifyOptOut } from './opt-out-token';
import { OutboxRepository } from './outbox.repository';

const PURPOSE: Record<OptOutChannel, 'marketing_email' | 'marketing_sms'> = {
  email: 'marketing_email',
  sms: 'marketing_sms',
};

export interface OptOutRequest {
  ip?: string;
  requestId?: string;
}

/**
 * Withdrawing marketing consent from a message: the signed link in a marketing email, or an
 * opt-out keyword (BAJA, STOP) replied to a marketing SMS. Both go through the members module,
 * so the withdrawal lands on the member's consent history like any other.
 */
@Injectable()
export class OptOutService {
  private readonly logger = new Logger('Messaging');
  private readonly secret: Buffer;

  constructor(
    private readonly config: AppConfig,
    private readonly consents: ConsentsService,
    private readonly outbox: OutboxRepository,
    private readonly db: TransactionRunner,
  ) {
    this.secret = messagingSecret(config.MESSAGING_SECRET, config.dataDir);
  }

  /** The page a marketing email links to (GET shows a confirmation; POST withdraws). */
  url(memberId: string, channel: OptOutChannel): string {
    return `${this.config.publicUrl}/unsubscribe/${signOptOut(this.secret, memberId, channel)}`;
  }

  check(token: string): { memberId: string; channel: OptOutChannel } {
    const valid = verifyOptOut(this.secret, token);
    if (!valid) throw badOptOutToken();
    return valid;
  }

  /** Withdraws the channel's marketing consent; using a link twice changes nothing more. */
  async withdrawByToken(token: string, req: OptOutRequest): Promise<{ channel: OptOutChannel }> {
    const { memberId, channel } = this.check(token);
    await this.withdraw(memberId, channel, channel === 'email' ? 'email_link' : 'sms_keyword', req);
    return { channel };
  }

  /** An inbound SMS from the provider: a keyword withdraws the sender's SMS marketing consent. */
  async inboundSms(
    authorization: string | undefined,
    from: string,
    text: string,
    req: OptOutRequest,
  ): Promise<{ optedOut: boolean }> {
    this.checkWebhookToken(authorization);
    if (!isOptOutKeyword(text)) return { optedOut: false };
    const memberId = await this.outbox.memberByRecipient(
      this.db.reader,
      from.replace(/[\s()-]/g, ''),
    );
    if (!memberId) return { optedOut: false };
    await this.withdraw(memberId, 'sms', 'sms_keyword', req);
    return { optedOut: true };
  }

  private async withdraw(
    memberId: string,
    channel: OptOutChannel,
    via: string,
    req: OptOutRequest,
  ): Promise<void> {
    const principal: Principal = { kind: 'member', memberId, roles: [] };
    await this.consents.change(memberId, { [PURPOSE[channel]]: false }, via, {
      principal,
      ip: req.ip,
      requestId: req.requestId,
    });
    this.logger.log(`marketing ${channel} consent withdrawn by ${via}`);
  }

  private checkWebhookToken(authorization: string | undefined): void {
    const expected = this.config.SMS_TOKEN;
    const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
    const wanted = Buffer.from(expected ?? '');
    if (!expected || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw badWebhookToken();
    }
  }
}

/** MESSAGING_SECRET from config, else one generated once and kept in the data folder. */
function messagingSecret(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = join(dataDir, 'messaging-secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return Buffer.from(secret, 'utf8');
}
