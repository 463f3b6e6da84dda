import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, DomainError } from '../../common';
import { AppConfig } from '../../config';
import { afterCommit, TransactionRunner } from '../../database';
import { ConsentsService } from '../members';
import { afterFailure, retryDelayMs } from './backoff';
import { MessageRenderer } from './message-renderer';
import { OptOutService } from './opt-out.service';
import { ClaimedMessage, OutboxRepository } from './outbox.repository';
import { EmailTransport } from './transports/email.transport';
import { SendError, SendResult } from './transports/send-error';
import { SmsTransport } from './transports/sms.transport';

/** How long a claim holds a message before another dispatcher may take it over. */
const LEASE_MS = 5 * 60_000;
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 4 * 3600_000;
const BATCH = 50;

export interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

type Outcome =
  | { status: 'sent'; result: SendResult; segments: number | null }
  | {
      status: 'cancelled';
      reason: string;
    };

/**
 * Sends what the outbox holds, after the business transaction committed: claims due messages
 * with FOR UPDATE SKIP LOCKED (so several app instances never take the same row), sends each,
 * and writes the result back under the claim. Failures wait 1, 2, 4 … minutes (capped at 4 h)
 * and end as 'failed' after OUTBOX_MAX_ATTEMPTS, visible at GET /api/messages?status=failed.
 * A marketing message without the channel's current consent is cancelled, never sent.
 *
 * Runs every OUTBOX_TICK_SECONDS and right after a transaction that queued a message commits
 * (not in tests: they call runOnce() and move the clock).
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Messaging');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private again = false;
  private readonly auto: boolean;

  constructor(
    private readonly db: TransactionRunner,
    private readonly outbox: OutboxRepository,
    private readonly renderer: MessageRenderer,
    private readonly email: EmailTransport,
    private readonly sms: SmsTransport,
    private readonly optOut: OptOutService,
    private readonly consents: ConsentsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.auto = config.NODE_ENV !== 'test' && config.OUTBOX_SEND;
  }

  onApplicationBootstrap() {
    if (!this.auto) return;
    this.timer = setInterval(() => this.nudge(), this.config.OUTBOX_TICK_SECONDS * 1000);
    this.timer.unref();
    this.nudge();
  }

  async onModuleDestroy() {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Called by enqueue: the message goes out once its transaction commits. */
  queued(tx: EntityManager): void {
    if (this.auto) afterCommit(tx, () => this.nudge());
  }

  /** Runs the dispatcher soon; calls while it runs make it go round once more. */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        let result: DispatchResult;
        do result = await this.runOnce();
        while (result.claimed === BATCH);
      } while (this.again);
    })()
      .catch((err: unknown) => this.logger.error(`outbox dispatch failed: ${String(err)}`))
      .finally(() => (this.running = undefined));
  }

  /** One batch: claim, send, record. */
  async runOnce(limit = BATCH): Promise<DispatchResult> {
    const now = this.clock.now();
    const claimed = await this.db.run((tx) =>
      this.outbox.claim(tx, now, limit, new Date(now.getTime() + LEASE_MS)),
    );
    const result: DispatchResult = {
      claimed: claimed.length,
      sent: 0,
      retried: 0,
      failed: 0,
      cancelled: 0,
    };
    for (const message of claimed) result[await this.deliver(message)]++;
    return result;
  }

  private async deliver(m: ClaimedMessage): Promise<'sent' | 'retried' | 'failed' | 'cancelled'> {
    let outcome: Outcome;
    try {
      outcome = await this.send(m);
    } catch (err) {
      const { text, permanent } = describe(err);
      const verdict = afterFailure(m.attempts, this.config.OUTBOX_MAX_ATTEMPTS, permanent);
      await this.db.run(async (tx) => {
        if (verdict === 'failed') await this.outbox.markEnded(tx, m, 'failed', text);
        else {
          const next =
            this.clock.now().getTime() + retryDelayMs(m.attempts, RETRY_BASE_MS, RETRY_MAX_MS);
          await this.outbox.markRetry(tx, m, new Date(next), text);
        }
      });
      this.logger.warn(`message ${m.id} (${m.template}, attempt ${m.attempts}): ${text}`);
      return verdict === 'failed' ? 'failed' : 'retried';
    }
    if (outcome.status === 'cancelled') {
      await this.db.run((tx) => this.outbox.markEnded(tx, m, 'cancelled', outcome.reason));
      return 'cancelled';
    }
    await this.db.run((tx) =>
      this.outbox.markSent(tx, m, this.clock.now(), outcome.result.ref, outcome.segments),
    );
    return 'sent';
  }

  private async send(m: ClaimedMessage): Promise<Outcome> {
    if (m.channel !== 'email' && m.channel !== 'sms') {
      throw new SendError(`channel ${m.channel} has no transport`, true);
    }
    let optOutUrl: string | undefined;
    if (m.purpose === 'marketing') {
      // Invariant 6: the consent as it stands when the message leaves, not when it was queued.
      if (!m.memberId) return { status: 'cancelled', reason: 'marketing message without a member' };
      const consents = await this.consents.current(this.db.reader, m.memberId);
      const purpose = m.channel === 'email' ? 'marketing_email' : 'marketing_sms';
      if (!consents[purpose]) return { status: 'cancelled', reason: `no ${purpose} consent` };
      optOutUrl = this.optOut.url(m.memberId, m.channel);
    }
    const input = {
      template: m.template,
      locale: m.locale,
      purpose: m.purpose,
      payload: m.payload,
      optOutUrl: m.channel === 'email' ? optOutUrl : undefined,
    };
    if (m.channel === 'email') {
      const mail = this.renderer.email(input);
      const result = await this.email.send({
        ...mail,
        id: m.id,
        to: m.recipient,
        unsubscribeUrl: optOutUrl,
      });
      return { status: 'sent', result, segments: null };
    }
    const sms = this.renderer.sms(input);
    if (sms.length.segments > 1) {
      this.logger.warn(
        `SMS ${m.id} (${m.template}) takes ${sms.length.segments} segments (${sms.length.encoding})`,
      );
    }
    const result = await this.sms.send({ id: m.id, to: m.recipient, ...sms });
    return { status: 'sent', result, segments: sms.length.segments };
  }
}

function describe(err: unknown): { text: string; permanent: boolean } {
  if (err instanceof SendError) return { text: err.message, permanent: err.permanent };
  // A missing template or a bad payload will not fix itself by waiting.
  if (err instanceof DomainError) return { text: err.message, permanent: true };
  return { text: String((err as Error)?.message ?? err).slice(0, 500), permanent: false };
}
