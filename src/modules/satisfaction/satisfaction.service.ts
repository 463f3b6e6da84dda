import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  Clock,
  Escalations,
  EscalationRequest,
  PersonalDataRegistry,
  TimelineRegistry,
} from '../../common';
import { AppConfig } from '../../config';
import { TransactionRunner, Tx } from '../../database';
import { EarningService } from '../promotions';
import { StoresService } from '../stores';
import {
  hashSurveyToken,
  isLowScore,
  looksLikeSurveyToken,
  newSurveyToken,
  scoreInRange,
  SurveyChannel,
  SurveyKind,
} from './satisfaction-rules';
import {
  scoreOutOfRange,
  surveyAnswered,
  surveyExpired,
  surveyNotFound,
} from './satisfaction.errors';
import {
  AggregateQuery,
  AggregateRow,
  InvitationRow,
  ResponseRow,
  SatisfactionRepository,
} from './satisfaction.repository';
import { satisfactionTimeline } from './satisfaction-timeline';
import { DailyZones, SatisfactionDailyRepository } from './satisfaction-daily.repository';

/** The report's query over whole local days (`fromDay`…`toDay` are `from`…`to` in `timeZone`). */
export interface DailyAggregateQuery extends AggregateQuery {
  fromDay: string;
  toDay: string;
}

/** Who and what an invitation is about (a follow-up task, or any other caller). */
export interface InvitationInput {
  kind: SurveyKind;
  channel: SurveyChannel;
  memberId: string | null;
  contactId?: string | null;
  storeId?: string | null;
  purchaseId?: string | null;
  taskId?: string | null;
  agentId?: string | null;
  categories?: string[];
  locale?: string;
}

export interface CreatedInvitation {
  id: string;
  taskId: string | null;
  /** The secret, only now: the database keeps its hash. */
  token: string;
  url: string;
  expiresAt: Date;
}

/** A satisfaction answer taken by an agent on a call (no invitation). */
export interface AnswerInput {
  kind: SurveyKind;
  score: number;
  comment?: string | null;
  channel: SurveyChannel;
  memberId: string | null;
  contactId?: string | null;
  contact?: EscalationRequest['contact'];
  storeId?: string | null;
  agentId?: string | null;
  categories?: string[];
  purchaseId?: string | null;
  /** The follow-up attempt it was given on (unique: one answer per attempt). */
  attemptId?: string | null;
  locale?: string;
}

export interface AnswerResult {
  responseId: string;
  escalated: boolean;
  caseId: string | null;
  registryNumber: string | null;
}

/** What the public survey page shows. */
export interface SurveyView {
  state: 'open' | 'answered' | 'expired' | 'unknown';
  kind: SurveyKind | null;
  locale: string | null;
  storeId: string | null;
}

/**
 * Surveys: invitations with hashed, expiring tokens; one response per invitation (or per call
 * attempt); the member's last CSAT/NPS; low scores escalated through the Escalations port;
 * the "survey answered" bonus; and the period aggregate the satisfaction report reads.
 */
export type ContactLookup = (
  reader: EntityManager,
  contactId: string,
) => Promise<EscalationRequest['contact']>;

@Injectable()
export class SatisfactionService implements OnModuleInit {
  private contactLookup?: ContactLookup;

  constructor(
    private readonly repo: SatisfactionRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly escalations: Escalations,
    private readonly earning: EarningService,
    private readonly personalData: PersonalDataRegistry,
    private readonly timeline: TimelineRegistry,
    private readonly daily: SatisfactionDailyRepository,
    private readonly stores: StoresService,
  ) {}

  onModuleInit(): void {
    this.personalData.register({
      category: 'surveys',
      export: async (reader, memberId) => ({
        invitations: await this.repo.invitationsOfMember(reader, memberId),
        responses: (await this.repo.responsesOfMember(reader, memberId)).map(presentResponse),
        last: await this.lastScores(reader, memberId),
      }),
      erase: (tx, memberId) => this.repo.eraseComments(tx, memberId),
    });
    this.timeline.register(satisfactionTimeline(this.repo));
  }

  /**
   * How to read a contact's name, email and phone by id (followup keeps contacts and depends on
   * this module, so it registers the reader at start).
   */
  useContactLookup(lookup: ContactLookup): void {
    this.contactLookup = lookup;
  }

  /** A contact's invitations and answers, for the contact export (followup finds the ids). */
  async exportForContacts(reader: EntityManager, contactIds: string[]) {
    if (!contactIds.length) return { invitations: [], responses: [] };
    const { invitations, responses } = await this.repo.ofContacts(reader, contactIds);
    return { invitations, responses: responses.map(presentResponse) };
  }

  /** Contact erasure: comments go, scores stay. Answers how many answers lost their comment. */
  async eraseForContacts(tx: Tx, contactIds: string[]): Promise<number> {
    return contactIds.length ? this.repo.eraseContactComments(tx, contactIds) : 0;
  }

  // ------------------------------------------------------------------ invitations

  /** Invitations in the caller's transaction (one statement for the batch). */
  async createInvitations(tx: Tx, inputs: InvitationInput[]): Promise<CreatedInvitation[]> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.SURVEY_TTL_DAYS * 86_400_000);
    const prepared = inputs.map((input) => ({ input, id: randomUUID(), token: newSurveyToken() }));
    const inserted = await this.repo.insertInvitations(
      tx,
      prepared.map(({ input, id, token }) => ({
        id,
        token_hash: hashSurveyToken(token),
        kind: input.kind,
        member_id: input.memberId,
        contact_id: input.contactId ?? null,
        store_id: input.storeId ?? null,
        channel: input.channel,
        purchase_id: input.purchaseId ?? null,
        task_id: input.taskId ?? null,
        agent_id: input.agentId ?? null,
        categories: input.categories ?? [],
        locale: input.locale ?? 'es',
        created_at: now,
        expires_at: expiresAt,
      })),
    );
    const ids = new Set(inserted.map((r) => r.id));
    await this.daily.addInvitations(
      tx,
      [...ids],
      await this.zonesOf(inputs.map((i) => i.storeId ?? null)),
    );
    return prepared
      .filter((p) => ids.has(p.id))
      .map((p) => ({
        id: p.id,
        taskId: p.input.taskId ?? null,
        token: p.token,
        url: `${this.config.publicUrl}/s/${p.token}`,
        expiresAt,
      }));
  }

  async createInvitation(tx: Tx, input: InvitationInput): Promise<CreatedInvitation | null> {
    return (await this.createInvitations(tx, [input]))[0] ?? null;
  }

  /** The public page's state for a token (hash lookup whatever the token looks like). */
  async view(token: string): Promise<SurveyView> {
    const row = await this.repo.findInvitation(this.transactions.reader, hashSurveyToken(token));
    if (!row || !looksLikeSurveyToken(token))
      return { state: 'unknown', kind: null, locale: null, storeId: null };
    const state = row.answered_at
      ? 'answered'
      : row.expires_at.getTime() <= this.clock.now().getTime()
        ? 'expired'
        : 'open';
    return { state, kind: row.kind, locale: row.locale, storeId: row.store_id };
  }

  // ------------------------------------------------------------------ answers

  /**
   * `POST /api/public/surveys/:token`: one response per invitation. Unknown → 404 (the same hash
   * lookup whether or not the token exists), answered → 409, expired → 410.
   */
  async respond(token: string, answer: { score: number; comment?: string | null }) {
    return this.transactions.run(async (tx) => {
      const inv = await this.repo.lockInvitation(tx, hashSurveyToken(token));
      if (!inv || !looksLikeSurveyToken(token)) throw surveyNotFound();
      if (inv.answered_at) throw surveyAnswered();
      const now = this.clock.now();
      if (inv.expires_at.getTime() <= now.getTime()) throw surveyExpired();
      await this.repo.markAnswered(tx, inv.id, now);
      const result = await this.record(tx, inv, {
        kind: inv.kind,
        score: answer.score,
        comment: answer.comment ?? null,
        channel: inv.channel,
        memberId: inv.member_id,
        contactId: inv.contact_id,
        // A contact's low score opens a case that must say whom to call back.
        contact:
          !inv.member_id && inv.contact_id && this.contactLookup
            ? await this.contactLookup(tx, inv.contact_id)
            : null,
        storeId: inv.store_id,
        agentId: inv.agent_id,
        categories: inv.categories,
        purchaseId: inv.purchase_id,
        locale: inv.locale,
      });
      return { ...result, kind: inv.kind };
    });
  }

  /** An answer given on a call, in the attempt's transaction. */
  async recordAnswer(tx: Tx, input: AnswerInput): Promise<AnswerResult> {
    return this.record(tx, null, input);
  }

  private async record(
    tx: Tx,
    invitation: InvitationRow | null,
    input: AnswerInput,
  ): Promise<AnswerResult> {
    if (!scoreInRange(input.kind, input.score)) throw scoreOutOfRange(input.kind);
    const id = randomUUID();
    const now = this.clock.now();
    const comment = input.comment?.trim() || null;
    let escalated = false;
    let caseId: string | null = null;
    let registryNumber: string | null = null;
    if (isLowScore(input.kind, input.score)) {
      // Without a cases handler the response itself records that it was escalated.
      escalated = true;
      const opened = await this.escalations.open(tx, {
        memberId: input.memberId,
        contact: input.contact ?? null,
        storeId: input.storeId ?? null,
        purchaseId: input.purchaseId ?? null,
        source: input.attemptId
          ? { type: 'followup_attempt', id: input.attemptId }
          : { type: 'survey_response', id },
        channel: input.channel,
        satisfaction: { kind: input.kind, score: input.score, comment },
        locale: input.locale,
      });
      caseId = opened?.caseId ?? null;
      registryNumber = opened?.registryNumber ?? null;
    }
    await this.repo.insertResponse(tx, {
      id,
      invitation_id: invitation?.id ?? null,
      attempt_id: input.attemptId ?? null,
      kind: input.kind,
      score: input.score,
      comment,
      channel: input.channel,
      store_id: input.storeId ?? null,
      agent_id: input.agentId ?? null,
      categories: input.categories ?? [],
      purchase_id: input.purchaseId ?? null,
      member_id: input.memberId,
      contact_id: input.contactId ?? null,
      answered_at: now,
      escalated,
      case_id: caseId,
      case_registry_number: registryNumber,
    });
    await this.daily.addResponses(tx, [id], await this.zonesOf([input.storeId ?? null]));
    if (input.memberId) {
      await this.repo.recordLastScore(tx, input.memberId, input.kind, input.score, now);
      // Only the customer's own answer to an invitation earns the bonus (not an agent's entry).
      if (invitation) await this.earning.surveyAnswered(tx, input.memberId, invitation.id);
    }
    return { responseId: id, escalated, caseId, registryNumber };
  }

  // ------------------------------------------------------------------ reads

  async lastScores(reader: EntityManager, memberId: string) {
    const row = await this.repo.lastScores(reader, memberId);
    return {
      csat: row?.last_csat ?? null,
      csatAt: row?.last_csat_at ?? null,
      nps: row?.last_nps ?? null,
      npsAt: row?.last_nps_at ?? null,
    };
  }

  /**
   * The satisfaction report's figures for a period, grouped by store, channel, agent, purchase
   * category or month (in `timeZone`), aggregated in the database.
   */
  aggregate(reader: EntityManager, q: AggregateQuery): Promise<AggregateRow[]> {
    return this.repo.aggregate(reader, q);
  }

  /**
   * The same figures from the daily roll-up: whole local days, so no scan of the answers. Falls
   * back to the raw tables when the roll-up is not kept in `timeZone` (neither the organisation's
   * zone nor the store's own).
   */
  async aggregateByDays(reader: EntityManager, q: DailyAggregateQuery): Promise<AggregateRow[]> {
    const organisation = this.config.REPORTS_TIME_ZONE;
    const storeZone = q.storeId ? (await this.zonesOf([q.storeId])).stores.get(q.storeId) : null;
    if (q.timeZone !== organisation && q.timeZone !== storeZone) return this.aggregate(reader, q);
    const rows = await this.daily.aggregate(reader, {
      fromDay: q.fromDay,
      toDay: q.toDay,
      zone: q.timeZone,
      groupBy: q.groupBy,
      storeId: q.storeId,
    });
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * The roll-up recomputed from the answers and invitations, in one transaction: needed after a
   * store's time zone or REPORTS_TIME_ZONE changes (its days are cut in the zones of the time).
   */
  async rebuildDaily(): Promise<void> {
    const stores = await this.stores.list();
    await this.transactions.run((tx) =>
      this.daily.rebuild(tx, {
        organisation: this.config.REPORTS_TIME_ZONE,
        stores: new Map(stores.map((s) => [s.id, s.timeZone])),
      }),
    );
  }

  /** The zones the roll-up cuts these stores' days in (an unknown store: the organisation's). */
  private async zonesOf(storeIds: (string | null)[]): Promise<DailyZones> {
    const stores = new Map<string, string>();
    for (const id of new Set(storeIds)) {
      if (!id) continue;
      const store = await this.stores.get(id).catch(() => null);
      if (store) stores.set(id, store.timeZone);
    }
    return { organisation: this.config.REPORTS_TIME_ZONE, stores };
  }

  /** Plain-words label of a report key (the key itself where no better name is known here). */
  labelFor(groupBy: AggregateQuery['groupBy'], key: string): string {
    if (key === '') return groupBy === 'category' ? '(none)' : '(unknown)';
    return key;
  }

  /** A contact who enrolled: their surveys move to the new member. */
  moveContactToMember(tx: Tx, contactId: string, memberId: string): Promise<void> {
    return this.repo.moveContactToMember(tx, contactId, memberId);
  }
}

export function presentResponse(r: ResponseRow) {
  return {
    id: r.id,
    kind: r.kind,
    score: r.score,
    comment: r.comment,
    channel: r.channel,
    storeId: r.store_id,
    agentId: r.agent_id,
    categories: r.categories,
    purchaseId: r.purchase_id,
    invitationId: r.invitation_id,
    attemptId: r.attempt_id,
    answeredAt: r.answered_at,
    escalated: r.escalated,
    caseId: r.case_id,
  };
}
