import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { actorOf, Clock, invalid, Principal } from '../../common';
import { AppConfig } from '../../config';
import { isUniqueViolation, TransactionRunner, Tx } from '../../database';
import { IdempotencyService, IdempotentResponse } from '../idempotency';
import { LedgerService } from '../ledger';
import { EnrolMemberDto, MembersError, MembersErrorCode, MembersService } from '../members';
import { RewardsService } from '../promotions';
import { SatisfactionService } from '../satisfaction';
import type { AttemptDto } from './dto/followups.dto';
import {
  alreadyMember,
  goodwillAboveCap,
  notAMember,
  rewardUnavailable,
  taskNotFound,
} from './followup.errors';
import { FollowupPlansService } from './followup-plans.service';
import {
  assertWorkable,
  presentAttempt,
  presentTask,
  staffId,
  visibleTo,
} from './followup-queue.service';
import { FollowupRepository } from './followup.repository';
import { goodwillCap, nextStep } from './followup-rules';
import { parseDuration } from './iso-duration';

/**
 * An agent's contact attempt: the outcome moves the task on (retry, callback, done, failed); a
 * satisfaction answer is recorded (and escalated when low); goodwill points are a ledger
 * adjustment capped by role; an offer issues a reward coupon or enrols a contact. One
 * transaction; with an Idempotency-Key (required with goodwill) a retry answers the first result.
 */
@Injectable()
export class FollowupAttemptsService {
  constructor(
    private readonly repo: FollowupRepository,
    private readonly plans: FollowupPlansService,
    private readonly transactions: TransactionRunner,
    private readonly satisfaction: SatisfactionService,
    private readonly ledger: LedgerService,
    private readonly rewards: RewardsService,
    private readonly members: MembersService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async record(
    taskId: string,
    dto: AttemptDto,
    principal: Principal,
    key: string | null,
  ): Promise<IdempotentResponse> {
    if (dto.goodwill) {
      const cap = goodwillCap(principal.roles, {
        agent: this.config.FOLLOWUP_GOODWILL_CAP_AGENT,
        supervisor: this.config.FOLLOWUP_GOODWILL_CAP_SUPERVISOR,
      });
      if (dto.goodwill.points > cap) throw goodwillAboveCap(cap);
      if (!key) throw invalid('Idempotency-Key', 'required when goodwill points are given');
    }
    const callbackAt = dto.callbackAt ? new Date(dto.callbackAt) : null;
    if (callbackAt && callbackAt.getTime() <= this.clock.now().getTime())
      throw invalid('callbackAt', 'must be in the future');
    if (dto.offer?.enrol && !dto.offer.member)
      throw invalid('offer.member', 'name and email are required to enrol');
    if (!key) {
      const body = await this.transactions.run((tx) =>
        this.attempt(tx, taskId, dto, principal, null),
      );
      return { status: 201, body: JSON.stringify(body), replayed: false };
    }
    return this.idempotency.execute(
      {
        scope: `followup-attempt:${staffId(principal)}`,
        key,
        requestHash: this.idempotency.requestHash(`followup-attempt:${taskId}`, dto),
      },
      async (tx) => ({
        status: 201,
        body: await this.attempt(tx, taskId, dto, principal, key),
      }),
    );
  }

  private async attempt(
    tx: Tx,
    taskId: string,
    dto: AttemptDto,
    principal: Principal,
    key: string | null,
  ) {
    const agentId = staffId(principal);
    const now = this.clock.now();
    const task = await this.repo.task(tx, taskId, true);
    if (!task || !visibleTo(task, principal)) throw taskNotFound();
    assertWorkable(task, agentId, now);
    const plan = await this.plans.compiled(task.plan_id);
    const attemptId = randomUUID();
    let memberId = task.member_id;
    let enrolled: { memberId: string; cardNumber: string } | null = null;
    if (dto.offer?.enrol) {
      if (memberId) throw alreadyMember();
      enrolled = await this.enrolContact(tx, task.contact_id!, task.store_id, dto, principal);
      memberId = enrolled.memberId;
    }
    if (dto.goodwill && !memberId) throw notAMember('goodwill');
    if (dto.offer?.rewardId && !memberId) throw notAMember('offer.rewardId');

    let escalated = false;
    let caseId: string | null = null;
    let responseId: string | null = null;
    if (dto.satisfaction) {
      const contact = task.contact_id
        ? (await this.repo.contacts(tx, [task.contact_id])).get(task.contact_id)
        : undefined;
      const answer = await this.satisfaction.recordAnswer(tx, {
        kind: dto.satisfaction.kind,
        score: dto.satisfaction.score,
        comment: dto.satisfaction.comment ?? null,
        channel: 'phone',
        memberId,
        contactId: task.contact_id,
        contact:
          contact && !memberId
            ? { name: contact.name, email: contact.email, phone: contact.phone }
            : null,
        storeId: task.store_id,
        agentId,
        categories: task.categories,
        purchaseId: task.purchase_id,
        attemptId,
        locale: contact?.locale,
      });
      escalated = answer.escalated;
      caseId = answer.caseId;
      responseId = answer.responseId;
    }
    let goodwillEntryId: string | null = null;
    if (dto.goodwill && memberId) {
      const posted = await this.ledger.adjust(
        tx,
        { memberId, points: dto.goodwill.points },
        {
          actor: actorOf(principal),
          reason: `Goodwill: ${dto.goodwill.reason.trim()}`,
          storeId: task.store_id,
          purchaseId: task.purchase_id,
          idempotencyKey: key ?? `followup-attempt:${attemptId}`,
        },
      );
      goodwillEntryId = String(posted.entryId);
    }
    let offer: Record<string, unknown> | null = null;
    if (dto.offer?.rewardId && memberId) {
      const reward = await this.rewards.get(dto.offer.rewardId, tx);
      const code = await this.rewards.issue(tx, {
        reward,
        memberId,
        source: 'event',
        sourceRef: `followup:${attemptId}`,
        pointsCost: 0,
        now,
      });
      if (!code) throw rewardUnavailable();
      offer = { type: 'reward', rewardId: reward.id, couponCode: code };
    } else if (enrolled) {
      offer = { type: 'enrolment', memberId: enrolled.memberId, cardNumber: enrolled.cardNumber };
    }
    const step = nextStep({
      outcome: dto.outcome,
      attempts: task.attempts + 1,
      maxAttempts: task.max_attempts,
      retryDelay: plan?.retryDelay ?? parseDuration('PT4H')!,
      callbackAt: dto.callbackAt ? new Date(dto.callbackAt) : null,
      now,
    });
    const attempt = {
      id: attemptId,
      task_id: task.id,
      member_id: memberId,
      contact_id: task.contact_id,
      agent_id: agentId,
      outcome: dto.outcome,
      notes: dto.notes?.trim() || null,
      duration_seconds: dto.durationSeconds ?? null,
      callback_at: dto.outcome === 'callback_requested' ? step.dueAt : null,
      satisfaction_kind: dto.satisfaction?.kind ?? null,
      satisfaction_score: dto.satisfaction?.score ?? null,
      response_id: responseId,
      escalated,
      case_id: caseId,
      goodwill_points: dto.goodwill?.points ?? null,
      goodwill_reason: dto.goodwill?.reason.trim() ?? null,
      goodwill_entry_id: goodwillEntryId,
      offer,
      created_at: now,
    };
    await this.repo.insertAttempt(tx, attempt);
    const updated = await this.repo.afterAttempt(tx, task.id, {
      status: step.status,
      dueAt: step.dueAt,
      outcome: dto.outcome,
      escalated,
      caseId,
      now,
    });
    return {
      attempt: presentAttempt(attempt),
      task: presentTask(updated),
      escalated,
      caseId,
    };
  }

  /** The contact joins the programme; its tasks, attempts and surveys move to the new member. */
  private async enrolContact(
    tx: Tx,
    contactId: string,
    storeId: string,
    dto: AttemptDto,
    principal: Principal,
  ) {
    const contact = (await this.repo.contacts(tx, [contactId])).get(contactId);
    if (!contact) throw taskNotFound();
    if (contact.member_id) throw alreadyMember();
    const m = dto.offer!.member!;
    const enrolment = {
      firstName: m.firstName,
      lastName: m.lastName,
      email: m.email,
      phone: contact.phone ?? undefined,
      locale: m.locale ?? (contact.locale === 'en' ? 'en' : 'es'),
      storeId,
      channel: 'phone',
      consents: {
        terms: true,
        followup: contact.followup_consent,
        calls: contact.calls_consent,
        ...(m.marketingEmail !== undefined ? { marketing_email: m.marketingEmail } : {}),
      },
    } as EnrolMemberDto;
    const { member, card } = await this.members
      .enrolIn(tx, enrolment, { principal, channel: 'phone' })
      .catch((err: unknown) => {
        if (isUniqueViolation(err, 'members_email_key'))
          throw new MembersError(
            'conflict',
            MembersErrorCode.EmailTaken,
            'this email is already enrolled',
            [{ field: 'offer.member.email', reason: 'already enrolled' }],
          );
        throw err;
      });
    const now = this.clock.now();
    await this.repo.linkContact(tx, contactId, member.id, now);
    await this.satisfaction.moveContactToMember(tx, contactId, member.id);
    return { memberId: member.id, cardNumber: card.number };
  }
}
