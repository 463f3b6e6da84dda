import { Injectable } from '@nestjs/common';
import { Clock } from '../../common';
import { AppConfig } from '../../config';
import { TransactionRunner, Tx } from '../../database';
import { MemberReachService } from '../members';
import { MessagingService } from '../messaging';
import { SatisfactionService } from '../satisfaction';
import { StoresService } from '../stores';
import { FollowupPlansService } from './followup-plans.service';
import { DispatchUpdate, FollowupRepository, TaskRow } from './followup.repository';
import { reachable } from './followup-rules';
import { quietUntil } from './quiet-hours';

export interface DispatchResult {
  claimed: number;
  /** Email/SMS tasks whose invitation and message were written. */
  sent: number;
  /** Call tasks that entered the agents' queue. */
  queued: number;
  /** Waiting for the end of the store's quiet hours. */
  deferred: number;
  /** The customer withdrew consent or contact data since the purchase. */
  cancelled: number;
}

interface Recipient {
  firstName: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  followup: boolean;
  calls: boolean;
}

const REASON: Record<string, string> = {
  es: 'Recibes este mensaje porque aceptaste que te contactáramos después de tus compras.',
  en: 'You receive this message because you agreed to be contacted after your purchases.',
};

/**
 * The scheduler's work: claims due tasks in batches (FOR UPDATE SKIP LOCKED, so any number of
 * instances run each task once), defers what falls in the store's quiet hours, writes a survey
 * invitation and an outbox message for email/SMS tasks, and puts call tasks in the queue.
 */
@Injectable()
export class FollowupDispatcher {
  constructor(
    private readonly repo: FollowupRepository,
    private readonly plans: FollowupPlansService,
    private readonly transactions: TransactionRunner,
    private readonly reach: MemberReachService,
    private readonly satisfaction: SatisfactionService,
    private readonly messaging: MessagingService,
    private readonly stores: StoresService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Every due task, batch after batch, until none is left for this instance. */
  async dispatchDue(batchSize = this.config.FOLLOWUP_BATCH_SIZE): Promise<DispatchResult> {
    const total: DispatchResult = { claimed: 0, sent: 0, queued: 0, deferred: 0, cancelled: 0 };
    // The usual tick finds nothing due: one indexed read, no transaction.
    if (!(await this.repo.anyDue(this.transactions.reader, this.clock.now()))) return total;
    for (;;) {
      const r = await this.transactions.run((tx) => this.dispatchBatch(tx, batchSize));
      for (const k of Object.keys(total) as (keyof DispatchResult)[]) total[k] += r[k];
      if (r.claimed < batchSize) return total;
    }
  }

  async dispatchBatch(tx: Tx, batchSize: number): Promise<DispatchResult> {
    const now = this.clock.now();
    const result: DispatchResult = { claimed: 0, sent: 0, queued: 0, deferred: 0, cancelled: 0 };
    const tasks = await this.repo.claimDue(tx, now, batchSize);
    result.claimed = tasks.length;
    if (!tasks.length) return result;
    const stores = new Map(
      await Promise.all(
        [...new Set(tasks.map((t) => t.store_id))].map(
          async (id) => [id, await this.stores.get(id).catch(() => null)] as const,
        ),
      ),
    );
    const updates: DispatchUpdate[] = [];
    const messages: TaskRow[] = [];
    for (const task of tasks) {
      const plan = await this.plans.compiled(task.plan_id);
      const store = stores.get(task.store_id);
      const until = quietUntil(now, plan?.quiet ?? null, store?.timeZone ?? 'Europe/Madrid');
      if (until) {
        updates.push({
          id: task.id,
          status: 'scheduled',
          dueAt: until,
          invitationId: null,
          lastOutcome: 'deferred_quiet_hours',
        });
        result.deferred++;
      } else if (task.channel === 'call') {
        updates.push({
          id: task.id,
          status: 'due',
          dueAt: task.due_at,
          invitationId: null,
          lastOutcome: null,
        });
        result.queued++;
      } else messages.push(task);
    }
    const recipients = await this.recipients(tx, messages);
    const sendable: { task: TaskRow; to: Recipient }[] = [];
    for (const task of messages) {
      const to = recipients.get(task.id);
      if (!to || !reachable(task.channel, { ...to, email: !!to.email, phone: !!to.phone })) {
        updates.push({
          id: task.id,
          status: 'cancelled',
          dueAt: task.due_at,
          invitationId: null,
          lastOutcome: 'no_consent',
        });
        result.cancelled++;
      } else sendable.push({ task, to });
    }
    const invitations = new Map(
      (
        await this.satisfaction.createInvitations(
          tx,
          sendable
            .filter(({ task }) => task.survey_kind)
            .map(({ task, to }) => ({
              kind: task.survey_kind!,
              channel: task.channel === 'sms' ? ('sms' as const) : ('email' as const),
              memberId: task.member_id,
              contactId: task.contact_id,
              storeId: task.store_id,
              purchaseId: task.purchase_id,
              taskId: task.id,
              categories: task.categories,
              locale: to.locale,
            })),
        )
      ).map((i) => [i.taskId!, i]),
    );
    // One statement for the batch's messages.
    await this.messaging.enqueueMany(
      tx,
      sendable.map(({ task, to }) => {
        const invitation = invitations.get(task.id);
        const locale = to.locale === 'en' ? 'en' : 'es';
        return {
          channel: task.channel === 'sms' ? ('sms' as const) : ('email' as const),
          recipient: (task.channel === 'sms' ? to.phone : to.email)!,
          template: invitation ? 'survey-invitation' : 'followup-checkin',
          locale,
          memberId: task.member_id,
          purpose: 'service' as const,
          payload: {
            firstName: to.firstName ?? '',
            storeName: stores.get(task.store_id)?.name ?? '',
            reason: REASON[locale],
            ...(invitation ? { surveyUrl: invitation.url } : {}),
          },
        };
      }),
    );
    for (const { task } of sendable) {
      updates.push({
        id: task.id,
        status: 'done',
        dueAt: task.due_at,
        invitationId: invitations.get(task.id)?.id ?? null,
        lastOutcome: 'sent',
      });
      result.sent++;
    }
    await this.repo.applyDispatch(tx, updates, now);
    return result;
  }

  /** Contact data and consents, read again at send time (a consent may have been withdrawn). */
  private async recipients(tx: Tx, tasks: TaskRow[]): Promise<Map<string, Recipient>> {
    const out = new Map<string, Recipient>();
    const memberIds = [...new Set(tasks.flatMap((t) => (t.member_id ? [t.member_id] : [])))];
    const contactIds = [
      ...new Set(tasks.flatMap((t) => (!t.member_id && t.contact_id ? [t.contact_id] : []))),
    ];
    const [members, contacts] = await Promise.all([
      this.reach.reach(tx, memberIds),
      this.repo.contacts(tx, contactIds),
    ]);
    for (const t of tasks) {
      const m = t.member_id ? members.get(t.member_id) : undefined;
      if (m) {
        out.set(t.id, m);
        continue;
      }
      const c = !t.member_id && t.contact_id ? contacts.get(t.contact_id) : undefined;
      if (c) {
        out.set(t.id, {
          firstName: c.name?.split(' ')[0] ?? null,
          email: c.email,
          phone: c.phone,
          locale: c.locale,
          followup: c.followup_consent,
          calls: c.calls_consent,
        });
      }
    }
    return out;
  }
}
