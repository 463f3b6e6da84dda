import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config';
import { OutboxChannel, OutboxMessage } from './outbox-message.entity';

export interface OutgoingMessage {
  channel: OutboxChannel;
  recipient: string;
  template: string;
  locale?: string;
  payload?: Record<string, unknown>;
  memberId?: string | null;
  /**
   * `service` (a receipt, a survey, a sign-in code: says why the customer receives it) or
   * `marketing` (needs the channel's marketing consent and carries an opt-out). Default service.
   */
  purpose?: 'service' | 'marketing';
}

@Injectable()
export class MessagingService {
  private readonly logger = new Logger('Messaging');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Queues a message in the caller's transaction; a dispatcher sends it after commit. */
  async enqueue(tx: EntityManager, message: OutgoingMessage): Promise<string> {
    const result = await tx.insert(OutboxMessage, {
      channel: message.channel,
      recipient: message.recipient,
      template: message.template,
      locale: message.locale ?? 'es',
      payload: (message.payload ?? {}) as object,
      memberId: message.memberId ?? null,
      nextAttemptAt: new Date(),
    });
    const id = String(result.identifiers[0].id);
    if (!this.config.isProduction && message.template === 'member-login-code') {
      // Development convenience, as the issue asks: the one-time code shows in the server log.
      this.logger.log(
        `sign-in code for ${maskEmail(message.recipient)}: ${String(message.payload?.code)}`,
      );
    }
    return id;
  }

  /** Messages queued or sent to a member (the personal-data export); sign-in codes left out. */
  async exportFor(reader: EntityManager, memberId: string) {
    const rows = await reader.find(OutboxMessage, { where: { memberId }, order: { id: 'ASC' } });
    return rows.map((m) => ({
      id: m.id,
      channel: m.channel,
      recipient: m.recipient,
      template: m.template,
      locale: m.locale,
      status: m.status,
      // One-time sign-in codes are credentials, not data about the member.
      payload: m.template === 'member-login-code' ? {} : m.payload,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
    }));
  }

  /**
   * Erasure: the member's messages (by id, or sent to their email or phone) lose recipient and
   * content, and those not sent yet are cancelled.
   */
  async eraseFor(
    tx: EntityManager,
    member: { id: string; email: string | null; phone: string | null },
  ): Promise<void> {
    await tx.query(
      `UPDATE outbox
          SET recipient = $2, payload = '{}'::jsonb, last_error = NULL,
              status = CASE WHEN status IN ('pending', 'sending') THEN 'cancelled' ELSE status END
        WHERE member_id = $1 OR lower(recipient) = lower($3) OR recipient = $4`,
      [member.id, `erased:${member.id}`, member.email, member.phone],
    );
  }

  async pendingFor(recipient: string, template?: string): Promise<OutboxMessage[]> {
    return this.dataSource.manager.find(OutboxMessage, {
      where: { recipient, ...(template ? { template } : {}) },
      order: { id: 'DESC' },
    });
  }
}

export function maskEmail(email: string): string {
  const [user, domain] = email.split('@');
  return `${user.slice(0, 1)}***@${domain ?? ''}`;
}
