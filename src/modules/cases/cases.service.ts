import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  actorOf,
  Clock,
  decodeCursor,
  DEFAULT_LIMIT,
  DomainError,
  encodeCursor,
  Page,
  Principal,
} from '../../common';
import { TransactionRunner, Tx } from '../../database';
import { AuditService } from '../audit';
import { MembersService } from '../members';
import { StoresService } from '../stores';
import { localDate } from './calendar/local-time';
import { checkPeriod } from './case-period-figures.service';
import { CaseReceiptsService } from './case-receipts.service';
import { CaseView, presentCase, presentEvent, presentForMember } from './case-presenter';
import {
  CaseAction,
  CaseChannel,
  CaseEventType,
  CaseKind,
  CaseStatus,
  nextStatus,
  registryNumber,
} from './case-rules';
import { caseNotFound, invalidCase, refusedTransition } from './cases.errors';
import { CaseRow, CasesRepository } from './cases.repository';
import { DepartmentsService } from './departments/departments.service';
import { DEFAULT_TIME_ZONE, SlaService } from './sla.service';

export interface NewCaseInput {
  kind: CaseKind;
  channel: CaseChannel;
  memberId?: string | null;
  contact?: { name?: string | null; email?: string | null; phone?: string | null } | null;
  storeId?: string | null;
  purchaseId?: string | null;
  category?: string | null;
  department?: string | null;
  subject: string;
  description: string;
  locale?: string | null;
  source?: { type: string; id: string } | null;
  satisfaction?: Record<string, unknown> | null;
}

export interface CreatedCase extends CaseView {
  /** Only for complaints filed without signing in: the receipt link carries a token. */
  receiptUrl: string;
}

export interface CaseListQuery {
  status?: CaseStatus;
  kind?: CaseKind;
  department?: string;
  memberId?: string;
  /** Created on these local dates of each case's store. */
  from?: string;
  to?: string;
  due?: 'overdue' | 'soon';
  /** `due=soon`: due within this many hours (default 48). */
  withinHours?: number;
  limit?: number;
  cursor?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Cases: creation with a registry number and a receipt, the queue, events, resolution. */
@Injectable()
export class CasesService {
  constructor(
    private readonly repo: CasesRepository,
    private readonly sla: SlaService,
    private readonly receipts: CaseReceiptsService,
    private readonly departments: DepartmentsService,
    private readonly members: MembersService,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
    private readonly runner: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  settings() {
    return this.sla.settings();
  }

  async create(
    input: NewCaseInput,
    principal: Principal | undefined,
    options: { sendReceipt?: boolean } = {},
  ): Promise<CreatedCase> {
    return this.runner.run((tx) => this.createIn(tx, input, principal, options));
  }

  /**
   * A new case in the caller's transaction: registry number, deadline, history, receipt email
   * (when the customer has an address) and audit entry all commit together.
   */
  async createIn(
    tx: Tx,
    input: NewCaseInput,
    principal: Principal | undefined,
    options: { sendReceipt?: boolean } = {},
  ): Promise<CreatedCase> {
    const now = this.clock.now();
    const member = input.memberId ? await this.memberOrInvalid(tx, input.memberId) : null;
    const store = input.storeId ? await this.storeOrInvalid(tx, input.storeId) : null;
    if (input.department) await this.departments.assertUsable(tx, input.department);
    const contact = input.contact ?? null;
    if (!member && !contact?.name && !contact?.email && !contact?.phone)
      throw invalidCase('contact', 'a memberId or a contact (name, email or phone) is required');
    const timeZone = store?.timeZone ?? DEFAULT_TIME_ZONE;
    const year = Number(localDate(now, timeZone).slice(0, 4));
    const number = registryNumber('REC', year, await this.repo.nextNumber(tx, 'REC', year));
    const sla = await this.sla.initial(tx, {
      kind: input.kind,
      category: input.category ?? null,
      storeId: store?.id ?? null,
      receivedAt: now,
    });
    // Without a member session the receipt link needs a secret of its own.
    const token = member ? null : randomBytes(24).toString('base64url');
    const { actorType, actorId } = actorOf(principal);
    const row = await this.repo.insert(tx, {
      registry_number: number,
      kind: input.kind,
      channel: input.channel,
      category: input.category ?? null,
      department: input.department ?? null,
      member_id: member?.id ?? null,
      contact_name: contact?.name ?? null,
      contact_email: contact?.email?.toLowerCase() ?? null,
      contact_phone: contact?.phone ?? null,
      locale: input.locale ?? member?.locale ?? 'es',
      store_id: store?.id ?? null,
      purchase_id: input.purchaseId ?? null,
      subject: input.subject,
      description: input.description,
      source_type: input.source?.type ?? null,
      source_id: input.source?.id ?? null,
      satisfaction: input.satisfaction ?? null,
      receipt_token_hash: token ? sha256(token) : null,
      sla_amount: sla.sla.amount,
      sla_unit: sla.sla.unit,
      sla_started_at: now,
      due_at: sla.dueAt,
      escalate_at: sla.escalateAt,
      deadline_candidates: sla.candidates,
      created_by_type: actorType,
      created_by_id: actorId,
      created_at: now,
    });
    await this.repo.addEvent(tx, {
      caseId: row.id,
      type: 'created',
      visibility: 'customer',
      actorType,
      actorId,
      data: { channel: row.channel, dueAt: row.due_at.toISOString() },
      at: now,
    });
    const receiptPath = token
      ? `/api/public/cases/${row.id}/receipt.pdf?token=${token}`
      : member && principal?.kind === 'member'
        ? `/api/me/cases/${row.id}/receipt.pdf`
        : `/api/cases/${row.id}/receipt.pdf`;
    const email = member?.email ?? row.contact_email;
    if (email && options.sendReceipt !== false) {
      const name = member
        ? [member.firstName, member.lastName].filter(Boolean).join(' ')
        : row.contact_name;
      await this.receipts.enqueueReceipt(
        tx,
        row,
        { email, name: name || null },
        { timeZone },
        receiptPath,
      );
    }
    await this.audit.log(tx, {
      principal,
      action: 'case.create',
      entity: 'case',
      entityId: row.id,
      memberId: row.member_id,
      details: { kind: row.kind, registryNumber: number },
    });
    // Staff open the receipt with their session; the customer's link is the one emailed.
    const url = principal?.kind === 'staff' ? `/api/cases/${row.id}/receipt.pdf` : receiptPath;
    return { ...presentCase(row, now, url), receiptUrl: url };
  }

  async list(q: CaseListQuery): Promise<Page<CaseView>> {
    checkPeriod(q.from, q.to);
    const now = this.clock.now();
    const limit = q.limit ?? DEFAULT_LIMIT;
    const cursor = decodeCursor(q.cursor);
    const rows = await this.repo.list(this.runner.reader, {
      ...q,
      now,
      soonUntil: new Date(now.getTime() + (q.withinHours ?? 48) * 3600_000),
      limit: limit + 1,
      after: cursor ? { value: String(cursor[0]), id: String(cursor[1]) } : undefined,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => presentCase(r, now)),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor([(q.due ? last.due_at : last.created_at).toISOString(), last.id])
          : null,
      limit,
    };
  }

  /** The supervisor's desk: escalated and breached first, then the rest by their 80 % mark. */
  async desk(limit = 100, department?: string): Promise<CaseView[]> {
    const now = this.clock.now();
    const rows = await this.repo.desk(this.runner.reader, limit, department);
    return rows.slice(0, limit).map((r) => presentCase(r, now));
  }

  async breaches(from: string, to: string, limit = 500): Promise<CaseView[]> {
    checkPeriod(from, to);
    const now = this.clock.now();
    return (await this.repo.breaches(this.runner.reader, from, to, limit)).map((r) =>
      presentCase(r, now),
    );
  }

  async get(id: string): Promise<CaseView> {
    const reader = this.runner.reader;
    const row = await this.repo.find(reader, id);
    if (!row) throw caseNotFound();
    const events = await this.repo.events(reader, id);
    return { ...presentCase(row, this.clock.now()), events: events.map(presentEvent) };
  }

  /** A member's own cases (another member's answers 404 through `memberCase`). */
  async memberCases(memberId: string) {
    const reader = this.runner.reader;
    const now = this.clock.now();
    const rows = await this.repo.forMember(reader, memberId);
    return {
      items: await Promise.all(
        rows.map(async (r) => presentForMember(r, await this.repo.events(reader, r.id), now)),
      ),
    };
  }

  async memberCase(memberId: string, id: string): Promise<CaseRow> {
    const row = await this.repo.find(this.runner.reader, id);
    if (!row || row.member_id !== memberId) throw caseNotFound();
    return row;
  }

  /** A case by the token of its public receipt link; 404 for a wrong token. */
  async caseByReceiptToken(id: string, token: string): Promise<CaseRow> {
    const row = await this.repo.find(this.runner.reader, id);
    const expected = row?.receipt_token_hash ? Buffer.from(row.receipt_token_hash, 'hex') : null;
    const given = Buffer.from(sha256(token), 'hex');
    if (!row || !expected || !timingSafeEqual(expected, given)) throw caseNotFound();
    return row;
  }

  async row(id: string): Promise<CaseRow> {
    const row = await this.repo.find(this.runner.reader, id);
    if (!row) throw caseNotFound();
    return row;
  }

  async receiptPdf(row: CaseRow): Promise<Buffer> {
    const cal = await this.sla.calendarFor(this.runner.reader, row.store_id);
    return this.receipts.pdf(row, { timeZone: cal.timeZone });
  }

  /** Note, reply, assign, escalate, wait (pauses the clock) or resume, with its history row. */
  async addEvent(
    id: string,
    e: { type: CaseEventType; text?: string | null; assigneeId?: string | null },
    principal: Principal,
  ): Promise<CaseView> {
    if ((e.type === 'note' || e.type === 'reply') && !e.text?.trim())
      throw invalidCase('text', `a ${e.type} needs a text`);
    return this.runner.run(async (tx) => {
      const c = await this.lockOr404(tx, id);
      const now = this.clock.now();
      const status = this.transition(c.status, e.type);
      const fields: Partial<CaseRow> = {};
      if (status !== c.status) fields.status = status;
      if (e.type === 'assign')
        fields.assignee_id = e.assigneeId ?? (principal.kind === 'staff' ? principal.userId : null);
      if (e.type === 'escalate' && c.escalation_level === 0) fields.escalation_level = 1;
      let updated = Object.keys(fields).length ? await this.repo.update(tx, id, fields, now) : c;
      if (e.type === 'wait')
        await this.repo.openPause(tx, id, now, e.text?.trim() || 'waiting on the customer');
      if (e.type === 'resume') await this.repo.closePause(tx, id, now);
      const { actorType, actorId } = actorOf(principal);
      await this.repo.addEvent(tx, {
        caseId: id,
        type: e.type,
        visibility: e.type === 'reply' ? 'customer' : 'internal',
        actorType,
        actorId,
        text: e.text?.trim() || null,
        data: e.type === 'assign' ? { assigneeId: fields.assignee_id } : {},
        at: now,
      });
      if (e.type === 'reply') await this.sendReply(tx, updated, e.text!.trim(), false);
      if (status !== c.status) updated = await this.sla.recompute(tx, updated);
      await this.audit.log(tx, {
        principal,
        action: `case.${e.type}`,
        entity: 'case',
        entityId: id,
        memberId: c.member_id,
      });
      return presentCase(updated, now);
    });
  }

  async resolve(
    id: string,
    dto: { resolution: string; reply?: string | null },
    principal: Principal,
  ): Promise<CaseView> {
    return this.runner.run(async (tx) => {
      const c = await this.lockOr404(tx, id);
      const now = this.clock.now();
      this.transition(c.status, 'resolve');
      if (c.status === 'waiting') await this.repo.closePause(tx, id, now);
      const updated = await this.repo.update(
        tx,
        id,
        { status: 'resolved', resolution: dto.resolution.trim(), resolved_at: now },
        now,
      );
      const { actorType, actorId } = actorOf(principal);
      await this.repo.addEvent(tx, {
        caseId: id,
        type: 'resolve',
        visibility: 'customer',
        actorType,
        actorId,
        text: dto.resolution.trim(),
        at: now,
      });
      const reply = dto.reply?.trim();
      if (reply) {
        await this.repo.addEvent(tx, {
          caseId: id,
          type: 'reply',
          visibility: 'customer',
          actorType,
          actorId,
          text: reply,
          at: now,
        });
        await this.sendReply(tx, updated, reply, true);
      }
      await this.audit.log(tx, {
        principal,
        action: 'case.resolve',
        entity: 'case',
        entityId: id,
        memberId: c.member_id,
      });
      return presentCase(updated, now);
    });
  }

  async close(
    id: string,
    dto: { customerConfirmed?: boolean | null },
    principal: Principal,
  ): Promise<CaseView> {
    return this.runner.run(async (tx) => {
      const c = await this.lockOr404(tx, id);
      const now = this.clock.now();
      this.transition(c.status, 'close');
      const updated = await this.repo.update(
        tx,
        id,
        {
          status: 'closed',
          closed_at: now,
          ...(dto.customerConfirmed === undefined
            ? {}
            : { customer_confirmed: dto.customerConfirmed }),
        },
        now,
      );
      const { actorType, actorId } = actorOf(principal);
      await this.repo.addEvent(tx, {
        caseId: id,
        type: 'close',
        actorType,
        actorId,
        data: { customerConfirmed: dto.customerConfirmed ?? null },
        at: now,
      });
      await this.audit.log(tx, {
        principal,
        action: 'case.close',
        entity: 'case',
        entityId: id,
        memberId: c.member_id,
      });
      return presentCase(updated, now);
    });
  }

  /** The member confirms (or not) that the resolution settled it. */
  async confirmByMember(memberId: string, id: string, confirmed: boolean) {
    return this.runner.run(async (tx) => {
      const c = await this.lockOr404(tx, id);
      if (c.member_id !== memberId) throw caseNotFound();
      if (c.status !== 'resolved' && c.status !== 'closed')
        throw refusedTransition('confirm', `a ${c.status} case has no resolution to confirm`);
      const now = this.clock.now();
      const updated = await this.repo.update(tx, id, { customer_confirmed: confirmed }, now);
      await this.repo.addEvent(tx, {
        caseId: id,
        type: 'customer_confirmation',
        visibility: 'customer',
        actorType: 'member',
        actorId: memberId,
        data: { confirmed },
        at: now,
      });
      return presentForMember(updated, await this.repo.events(tx, id), now);
    });
  }

  private transition(from: CaseStatus, action: CaseAction): CaseStatus {
    const r = nextStatus(from, action);
    if ('refused' in r) throw refusedTransition(action, r.refused);
    return r.status;
  }

  private async lockOr404(tx: Tx, id: string): Promise<CaseRow> {
    const c = await this.repo.lock(tx, id);
    if (!c) throw caseNotFound();
    return c;
  }

  private async sendReply(tx: Tx, c: CaseRow, text: string, resolved: boolean) {
    const member = c.member_id ? await this.members.get(tx, c.member_id).catch(() => null) : null;
    const email = member?.email ?? c.contact_email;
    if (!email) return;
    const name = member
      ? [member.firstName, member.lastName].filter(Boolean).join(' ')
      : c.contact_name;
    await this.receipts.enqueueReply(tx, c, { email, name: name || null }, text, resolved);
  }

  private async memberOrInvalid(reader: EntityManager, id: string) {
    try {
      return await this.members.get(reader, id);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found')
        throw invalidCase('memberId', 'no such member');
      throw err;
    }
  }

  private async storeOrInvalid(reader: EntityManager, id: string) {
    try {
      return await this.stores.get(id);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found')
        throw invalidCase('storeId', 'no such store');
      throw err;
    }
  }
}
