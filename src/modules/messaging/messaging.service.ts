import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, decodeCursor, DEFAULT_LIMIT, encodeCursor, invalid, Principal } from '../../common';
import { AppConfig } from '../../config';
import { TransactionRunner, Tx } from '../../database';
import { AuditService } from '../audit';
import { messageNotFound, notRetryable, recipientMissing } from './messaging.errors';
import {
  MessagePurpose,
  OutboxChannel,
  OutboxMessage,
  OutboxStatus,
} from './outbox-message.entity';
import { OutboxDispatcher } from './outbox-dispatcher.service';
import { OutboxListRow, OutboxRepository } from './outbox.repository';

export interface OutgoingMessage {
  channel: OutboxChannel;
  recipient: string;
  /** Folder under templates/messages/ (e.g. 'survey-invitation'). */
  template: string;
  locale?: string;
  /** The templates' context. Keep it to what the message shows: it is exported and erased with the member. */
  payload?: Record<string, unknown>;
  memberId?: string | null;
  /**
   * `service` (a receipt, a survey, a sign-in code: says why the customer receives it) or
   * `marketing` (needs the channel's marketing consent and carries an opt-out). Default service.
   */
  purpose?: MessagePurpose;
}

/** A message as the failure list shows it: the recipient masked, no payload (it may hold codes). */
export type MessageView = OutboxListRow;

@Injectable()
export class MessagingService {
  private readonly logger = new Logger('Messaging');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly db: TransactionRunner,
    private readonly outbox: OutboxRepository,
    private readonly dispatcher: OutboxDispatcher,
    private readonly audit: AuditService,
  ) {}

  /** Queues a message in the caller's transaction; the dispatcher sends it after commit. */
  async enqueue(tx: Tx, message: OutgoingMessage): Promise<string> {
    if (!message.recipient) throw recipientMissing();
    const result = await tx.insert(OutboxMessage, {
      channel: message.channel,
      recipient: message.recipient,
      template: message.template,
      locale: message.locale ?? 'es',
      payload: (message.payload ?? {}) as object,
      memberId: message.memberId ?? null,
      purpose: message.purpose ?? 'service',
      nextAttemptAt: this.clock.now(),
    });
    const id = String(result.identifiers[0].id);
    this.dispatcher.queued(tx);
    if (!this.config.isProduction && message.template === 'member-login-code') {
      // Development convenience, as the issue asks: the one-time code shows in the server log.
      this.logger.log(
        `sign-in code for ${maskEmail(message.recipient)}: ${String(message.payload?.code)}`,
      );
    }
    return id;
  }

  /**
   * Queues many messages in the caller's transaction with one statement (a scheduler's batch);
   * the same rules as `enqueue`. Answers the ids in the given order.
   */
  async enqueueMany(tx: Tx, messages: OutgoingMessage[]): Promise<string[]> {
    if (!messages.length) return [];
    if (messages.some((m) => !m.recipient)) throw recipientMissing();
    const ids = await this.outbox.insertMany(
      tx,
      messages.map((m) => ({
        channel: m.channel,
        recipient: m.recipient,
        template: m.template,
        locale: m.locale ?? 'es',
        payload: m.payload ?? {},
        memberId: m.memberId ?? null,
        purpose: m.purpose ?? 'service',
      })),
      this.clock.now(),
    );
    this.dispatcher.queued(tx);
    return ids;
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

  /** Messages newest first, by status (e.g. the failed ones) and member. */
  async list(q: {
    status?: OutboxStatus;
    memberId?: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ items: MessageView[]; nextCursor: string | null }> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const before = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (q.cursor && !/^\d+$/.test(String(before?.[0])))
      throw invalid('cursor', 'not a cursor from this list');
    const rows = await this.outbox.list(this.db.reader, {
      status: q.status,
      memberId: q.memberId,
      beforeId: before ? String(before[0]) : undefined,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    return {
      items: items.map(present),
      nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].id]) : null,
    };
  }

  /** A failed message back in the queue (after fixing SMTP, the provider or the template). */
  async retry(id: string, principal: Principal): Promise<MessageView> {
    const row = await this.db.run(async (tx) => {
      const requeued = await this.outbox.requeueFailed(tx, id, this.clock.now());
      if (!requeued) {
        const existing = await this.outbox.find(tx, id);
        if (!existing) throw messageNotFound();
        throw notRetryable(existing.status);
      }
      await this.audit.log(tx, {
        principal,
        action: 'message.retry',
        entity: 'outbox',
        entityId: id,
        memberId: requeued.memberId,
      });
      this.dispatcher.queued(tx);
      return requeued;
    });
    return present(row);
  }

  /** Reads for other modules' tests and tools (the message's current state). */
  async find(reader: EntityManager, id: string): Promise<MessageView | null> {
    const row = await this.outbox.find(reader, id);
    return row ? present(row) : null;
  }
}

function present(row: OutboxListRow): MessageView {
  return {
    ...row,
    recipient: row.channel === 'email' ? maskEmail(row.recipient) : maskPhone(row.recipient),
    attempts: Number(row.attempts),
  };
}

export function maskEmail(email: string): string {
  const [user, domain] = email.split('@');
  return `${user.slice(0, 1)}***@${domain ?? ''}`;
}

export function maskPhone(phone: string): string {
  return phone.length > 4 ? `${'*'.repeat(phone.length - 3)}${phone.slice(-3)}` : '***';
}
