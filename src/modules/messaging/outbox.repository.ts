import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ContactKey } from '../../common';
import type { Tx } from '../../database';
import type { MessagePurpose, OutboxChannel, OutboxStatus } from './outbox-message.entity';

/** A message to queue, as `insertMany` writes it. */
export interface NewOutboxRow {
  channel: OutboxChannel;
  recipient: string;
  template: string;
  locale: string;
  payload: Record<string, unknown>;
  memberId: string | null;
  purpose: MessagePurpose;
}

/** A claimed message, as the dispatcher sends it. */
export interface ClaimedMessage {
  id: string;
  channel: OutboxChannel;
  recipient: string;
  template: string;
  locale: string;
  payload: Record<string, unknown>;
  memberId: string | null;
  purpose: MessagePurpose;
  /** Attempts including this one: the fence for the result written back. */
  attempts: number;
}

export interface OutboxListRow {
  id: string;
  channel: OutboxChannel;
  recipient: string;
  template: string;
  locale: string;
  purpose: MessagePurpose;
  memberId: string | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  segments: number | null;
}

export interface MemberMessageRow extends OutboxListRow {
  payload: Record<string, unknown>;
  providerRef: string | null;
}

const LIST_COLUMNS = `id::text AS "id", channel, recipient, template, locale, purpose,
  member_id AS "memberId", status, attempts, next_attempt_at AS "nextAttemptAt",
  last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt", segments`;

/** The outbox's SQL. Writes take the transaction first; the claim is the only locking read. */
@Injectable()
export class OutboxRepository {
  /**
   * Queues many messages with one statement (a scheduler's batch): the rows as `enqueue` writes
   * them, ids answered in the given order.
   */
  async insertMany(tx: Tx, rows: NewOutboxRow[], now: Date): Promise<string[]> {
    if (!rows.length) return [];
    const inserted: { id: string }[] = await tx.query(
      `INSERT INTO outbox (channel, recipient, template, locale, payload, member_id, purpose,
                           next_attempt_at)
       SELECT m.channel, m.recipient, m.template, m.locale, m.payload, m.member_id, m.purpose, $8
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::uuid[],
                     $7::text[]) WITH ORDINALITY
           AS m(channel, recipient, template, locale, payload, member_id, purpose, n)
        ORDER BY m.n
       RETURNING id::text AS id`,
      [
        rows.map((r) => r.channel),
        rows.map((r) => r.recipient),
        rows.map((r) => r.template),
        rows.map((r) => r.locale),
        rows.map((r) => JSON.stringify(r.payload)),
        rows.map((r) => r.memberId),
        rows.map((r) => r.purpose),
        now,
      ],
    );
    // Ids come from the sequence in the rows' order (ORDER BY n); sorted, they match the input.
    return inserted
      .map((r) => BigInt(r.id))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map(String);
  }

  /**
   * Claims up to `limit` due messages — pending ones whose time has come, and 'sending' ones
   * whose claimant's lease lapsed (it crashed mid-send) — and leases them until `leaseUntil`.
   * SKIP LOCKED lets any number of dispatchers claim side by side, each row by one of them.
   */
  async claim(tx: Tx, now: Date, limit: number, leaseUntil: Date): Promise<ClaimedMessage[]> {
    const [rows]: [ClaimedMessage[], number] = await tx.query(
      `WITH due AS (
         SELECT id FROM outbox
          WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1
          ORDER BY next_attempt_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED)
       UPDATE outbox o
          SET status = 'sending', attempts = o.attempts + 1, next_attempt_at = $3
         FROM due WHERE o.id = due.id
       RETURNING o.id::text AS "id", o.channel, o.recipient, o.template, o.locale, o.payload,
                 o.member_id AS "memberId", o.purpose, o.attempts`,
      [now, limit, leaseUntil],
    );
    return rows;
  }

  /** The result of a send, written only while this claim still holds the row. */
  async markSent(
    tx: Tx,
    m: ClaimedMessage,
    at: Date,
    providerRef: string | null,
    segments: number | null,
  ): Promise<boolean> {
    const [rows]: [unknown[], number] = await tx.query(
      `UPDATE outbox SET status = 'sent', sent_at = $3, provider_ref = $4, segments = $5, last_error = NULL
        WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id`,
      [m.id, m.attempts, at, providerRef, segments],
    );
    return rows.length === 1;
  }

  async markRetry(tx: Tx, m: ClaimedMessage, nextAttemptAt: Date, error: string): Promise<void> {
    await tx.query(
      `UPDATE outbox SET status = 'pending', next_attempt_at = $3, last_error = $4
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [m.id, m.attempts, nextAttemptAt, error],
    );
  }

  async markEnded(
    tx: Tx,
    m: ClaimedMessage,
    status: 'failed' | 'cancelled',
    error: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE outbox SET status = $3, last_error = $4
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [m.id, m.attempts, status, error],
    );
  }

  /** A failed message back in the queue, due now, with its attempts counted afresh. */
  async requeueFailed(tx: Tx, id: string, now: Date): Promise<OutboxListRow | null> {
    const [rows]: [OutboxListRow[], number] = await tx.query(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2
        WHERE id = $1 AND status = 'failed'
        RETURNING ${LIST_COLUMNS}`,
      [id, now],
    );
    return rows[0] ?? null;
  }

  async find(reader: EntityManager, id: string): Promise<OutboxListRow | null> {
    const rows: OutboxListRow[] = await reader.query(
      `SELECT ${LIST_COLUMNS} FROM outbox WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Newest first, keyset on id. */
  async list(
    reader: EntityManager,
    q: { status?: OutboxStatus; memberId?: string; beforeId?: string; limit: number },
  ): Promise<OutboxListRow[]> {
    return reader.query(
      `SELECT ${LIST_COLUMNS} FROM outbox
        WHERE ($1::text IS NULL OR status = $1)
          AND ($2::uuid IS NULL OR member_id = $2)
          AND ($3::bigint IS NULL OR outbox.id < $3)
        -- The column, not a text alias of it (which would sort 9 before 77).
        ORDER BY outbox.id DESC LIMIT $4`,
      [q.status ?? null, q.memberId ?? null, q.beforeId ?? null, q.limit],
    );
  }

  /**
   * The member's messages for the timeline, in its order (created_at DESC, entry id DESC, the
   * entry id being 'message:<id>' compared byte-wise) and older than `before`.
   */
  async forTimeline(
    reader: EntityManager,
    q: {
      memberId: string;
      from?: Date;
      to?: Date;
      before?: { at: Date; id: string };
      limit: number;
    },
  ): Promise<OutboxListRow[]> {
    return reader.query(
      `SELECT ${LIST_COLUMNS} FROM outbox
        WHERE member_id = $1
          AND ($2::timestamptz IS NULL OR created_at >= $2)
          AND ($3::timestamptz IS NULL OR created_at < $3)
          AND ($4::timestamptz IS NULL
               OR date_trunc('milliseconds', created_at) < $4
               OR (date_trunc('milliseconds', created_at) = $4
                   AND ('message:' || id::text) COLLATE "C" < $5::text))
        ORDER BY date_trunc('milliseconds', created_at) DESC, ('message:' || id::text) COLLATE "C" DESC
        LIMIT $6`,
      [
        q.memberId,
        q.from ?? null,
        q.to ?? null,
        q.before?.at ?? null,
        q.before?.id ?? null,
        q.limit,
      ],
    );
  }

  async forMember(reader: EntityManager, memberId: string): Promise<MemberMessageRow[]> {
    return reader.query(
      `SELECT ${LIST_COLUMNS}, payload, provider_ref AS "providerRef"
         FROM outbox WHERE member_id = $1 ORDER BY id`,
      [memberId],
    );
  }

  /**
   * Erasure: the member's messages, and those sent to the member's addresses before they were
   * linked to the member, lose their recipient and content; unsent ones are cancelled.
   */
  async eraseMember(
    tx: Tx,
    memberId: string,
    addresses: { email: string | null; phone: string | null },
  ): Promise<void> {
    await tx.query(
      `UPDATE outbox
          SET recipient = 'erased:' || $1::text, payload = '{}'::jsonb, last_error = NULL,
              status = CASE WHEN status IN ('pending', 'sending') THEN 'cancelled' ELSE status END
        WHERE member_id = $1 OR lower(recipient) = lower($2) OR recipient = $3`,
      [memberId, addresses.email, addresses.phone],
    );
  }

  /** Messages to an address (a contact's erasure and export): email any case, phone exact. */
  async forRecipient(reader: EntityManager, key: ContactKey): Promise<MemberMessageRow[]> {
    return reader.query(
      `SELECT ${LIST_COLUMNS}, payload, provider_ref AS "providerRef" FROM outbox
        WHERE ($1::text IS NOT NULL AND lower(recipient) = lower($1))
           OR ($2::text IS NOT NULL AND recipient = $2)
        ORDER BY id`,
      [key.email, key.phone],
    );
  }

  /** Erasure by address: recipient and content go, what was not sent yet is cancelled. */
  async eraseRecipient(tx: Tx, key: ContactKey): Promise<number> {
    const [, count]: [unknown, number] = await tx.query(
      `UPDATE outbox
          SET recipient = 'erased', payload = '{}'::jsonb, last_error = NULL,
              status = CASE WHEN status IN ('pending', 'sending') THEN 'cancelled' ELSE status END
        WHERE ($1::text IS NOT NULL AND lower(recipient) = lower($1))
           OR ($2::text IS NOT NULL AND recipient = $2)`,
      [key.email, key.phone],
    );
    return count;
  }

  /** The member behind the latest message sent to a phone number (for an SMS opt-out reply). */
  async memberByRecipient(reader: EntityManager, recipient: string): Promise<string | null> {
    const rows: { memberId: string }[] = await reader.query(
      `SELECT member_id AS "memberId" FROM outbox
        WHERE recipient = $1 AND member_id IS NOT NULL AND channel = 'sms'
        ORDER BY id DESC LIMIT 1`,
      [recipient],
    );
    return rows[0]?.memberId ?? null;
  }
}
