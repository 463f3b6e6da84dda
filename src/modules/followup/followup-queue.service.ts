import { Injectable } from '@nestjs/common';
import { Clock, decodeCursor, DEFAULT_LIMIT, encodeCursor, Principal } from '../../common';
import { AppConfig } from '../../config';
import { TransactionRunner } from '../../database';
import { PurchaseHistoryService } from '../checkout';
import { LedgerQueriesService } from '../ledger';
import { MemberReachService } from '../members';
import { SatisfactionService } from '../satisfaction';
import type { QueueQuery } from './dto/followups.dto';
import { claimedByAnother, taskNotFound, taskNotOpen } from './followup.errors';
import { FollowupPlansService } from './followup-plans.service';
import { AttemptRow, FollowupRepository, TaskRow } from './followup.repository';

/** The agents' queue: list, one task with its customer's context, and the claim. */
@Injectable()
export class FollowupQueueService {
  constructor(
    private readonly repo: FollowupRepository,
    private readonly plans: FollowupPlansService,
    private readonly transactions: TransactionRunner,
    private readonly reach: MemberReachService,
    private readonly ledger: LedgerQueriesService,
    private readonly history: PurchaseHistoryService,
    private readonly satisfaction: SatisfactionService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async list(q: QueueQuery, principal: Principal) {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const cursor = decodeCursor(q.cursor);
    const after =
      cursor && typeof cursor[0] === 'string' && typeof cursor[1] === 'string'
        ? { dueAt: new Date(cursor[0]), id: cursor[1] }
        : undefined;
    const rows = await this.repo.queue(this.transactions.reader, {
      statuses: q.status ? [q.status] : ['due', 'claimed'],
      storeId: storeScope(principal) ?? q.storeId,
      planId: q.planId,
      assignee: q.assignee === 'me' ? staffId(principal) : q.assignee,
      memberId: q.memberId,
      after,
      limit: limit + 1,
      now: this.clock.now(),
    });
    const items = rows.slice(0, limit);
    const names = new Map<string, string>();
    for (const r of items) {
      if (!names.has(r.plan_id))
        names.set(r.plan_id, (await this.plans.compiled(r.plan_id))?.row.name ?? '');
    }
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({ ...presentTask(r, r.effective), planName: names.get(r.plan_id) })),
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.due_at.toISOString(), last.id]) : null,
      limit,
    };
  }

  /** The task, its plan, previous attempts and what the agent may see of the customer. */
  async detail(id: string, principal: Principal) {
    const reader = this.transactions.reader;
    const task = await this.visibleTask(id, principal);
    const plan = await this.plans.compiled(task.plan_id);
    const attempts = await this.repo.attemptsOfTask(reader, id);
    let customer: Record<string, unknown>;
    if (task.member_id) {
      const m = (await this.reach.reach(reader, [task.member_id])).get(task.member_id);
      const [points, purchases, scores] = await Promise.all([
        this.ledger.balanceOf(reader, task.member_id).catch(() => null),
        this.history.recent(reader, task.member_id, 5),
        this.satisfaction.lastScores(reader, task.member_id),
      ]);
      customer = {
        type: 'member',
        memberId: task.member_id,
        name: m ? [m.firstName, m.lastName].filter(Boolean).join(' ') : null,
        locale: m?.locale ?? null,
        tier: m?.tier ?? null,
        // Contact data only as far as the consents allow.
        phone: m?.calls || task.channel !== 'call' ? (m?.phone ?? null) : null,
        email: m?.followup ? (m?.email ?? null) : null,
        consents: m ? { followup: m.followup, calls: m.calls } : null,
        points: points ? { balance: points.balance, pending: points.pending } : null,
        lastPurchases: purchases,
        satisfaction: scores,
      };
    } else {
      const c = (await this.repo.contacts(reader, [task.contact_id!])).get(task.contact_id!);
      customer = {
        type: 'contact',
        contactId: task.contact_id,
        name: c?.name ?? null,
        locale: c?.locale ?? null,
        phone: c?.calls_consent || task.channel !== 'call' ? (c?.phone ?? null) : null,
        email: c?.email ?? null,
        consents: c ? { followup: c.followup_consent, calls: c.calls_consent } : null,
        lastPurchases: await this.repo.contactPurchases(reader, task.contact_id!),
      };
    }
    return {
      task: presentTask(task, effectiveStatus(task, this.clock.now())),
      plan: plan
        ? {
            id: plan.row.id,
            name: plan.row.name,
            surveyKind: plan.row.survey_kind,
            maxAttempts: plan.row.max_attempts,
          }
        : null,
      customer,
      // The cases module has no public read yet: open cases are not shown.
      openCases: null,
      attempts: attempts.map(presentAttempt),
    };
  }

  /** One agent at a time; the claim lapses after FOLLOWUP_CLAIM_MINUTES. */
  async claim(id: string, principal: Principal) {
    const agentId = staffId(principal);
    return this.transactions.run(async (tx) => {
      const task = await this.repo.task(tx, id, true);
      if (!task || !visibleTo(task, principal)) throw taskNotFound();
      const now = this.clock.now();
      assertWorkable(task, agentId, now);
      const until = new Date(now.getTime() + this.config.FOLLOWUP_CLAIM_MINUTES * 60_000);
      const claimed = await this.repo.setClaim(tx, id, agentId, until, now);
      return presentTask(claimed, 'claimed');
    });
  }

  private async visibleTask(id: string, principal: Principal): Promise<TaskRow> {
    const task = await this.repo.task(this.transactions.reader, id);
    if (!task || !visibleTo(task, principal)) throw taskNotFound();
    return task;
  }
}

/** Staff bound to a store see only its tasks. */
export function storeScope(principal: Principal): string | undefined {
  return principal.kind === 'staff' && principal.storeId ? principal.storeId : undefined;
}

export function visibleTo(task: TaskRow, principal: Principal): boolean {
  const scope = storeScope(principal);
  return !scope || task.store_id === scope;
}

export function staffId(principal: Principal): string {
  return principal.kind === 'staff' ? principal.userId : '00000000-0000-0000-0000-000000000000';
}

export function effectiveStatus(task: TaskRow, now: Date): string {
  return task.status === 'claimed' && task.claim_expires_at && task.claim_expires_at <= now
    ? 'due'
    : task.status;
}

/** A task takes a claim or an attempt when due, or claimed by this agent, or its claim lapsed. */
export function assertWorkable(task: TaskRow, agentId: string, now: Date): void {
  const status = effectiveStatus(task, now);
  if (status === 'claimed' && task.claimed_by !== agentId)
    throw claimedByAnother(task.claim_expires_at);
  if (status !== 'due' && status !== 'claimed') throw taskNotOpen(status);
}

export function presentTask(t: TaskRow, status: string = t.status) {
  return {
    id: t.id,
    memberId: t.member_id,
    contactId: t.contact_id,
    planId: t.plan_id,
    purchaseId: t.purchase_id,
    storeId: t.store_id,
    channel: t.channel,
    surveyKind: t.survey_kind,
    status,
    dueAt: t.due_at,
    attempts: t.attempts,
    maxAttempts: t.max_attempts,
    claimedBy: status === 'claimed' ? t.claimed_by : null,
    claimExpiresAt: status === 'claimed' ? t.claim_expires_at : null,
    totalCents: t.total_cents,
    categories: t.categories,
    lastOutcome: t.last_outcome,
    escalated: t.escalated,
    caseId: t.case_id,
    invitationId: t.invitation_id,
    createdAt: t.created_at,
    closedAt: t.closed_at,
  };
}

export function presentAttempt(a: AttemptRow) {
  return {
    id: a.id,
    taskId: a.task_id,
    agentId: a.agent_id,
    outcome: a.outcome,
    notes: a.notes,
    durationSeconds: a.duration_seconds,
    callbackAt: a.callback_at,
    satisfaction:
      a.satisfaction_kind && a.satisfaction_score !== null
        ? { kind: a.satisfaction_kind, score: a.satisfaction_score, responseId: a.response_id }
        : null,
    escalated: a.escalated,
    caseId: a.case_id,
    goodwill:
      a.goodwill_points !== null
        ? { points: a.goodwill_points, reason: a.goodwill_reason, entryId: a.goodwill_entry_id }
        : null,
    offer: a.offer,
    createdAt: a.created_at,
  };
}
