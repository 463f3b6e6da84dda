import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, Principal } from '../../common';
import { AuditService } from '../audit';
import { AppConfig } from '../../config';
import { preparedQuery, TransactionRunner, Tx } from '../../database';
import { MessagingService } from '../messaging';
import { StoresService } from '../stores';
import { HolidaysRepository } from './calendar/holidays.repository';
import { DEFAULT_TIME_ZONE } from './calendar/local-time';
import {
  ClockPause,
  formatSla,
  LEGAL_COMPLAINT_CANDIDATES,
  parseSla,
  SlaSpec,
  slaTimes,
  WorkCalendar,
} from './calendar/sla-clock';
import type { CaseKind } from './case-rules';
import { CaseNoticesRepository } from './case-notices.repository';
import { CaseRow, CasesRepository } from './cases.repository';

export { DEFAULT_TIME_ZONE };
const TICK_BATCH = 500;

export interface InitialSla {
  sla: SlaSpec;
  dueAt: Date;
  escalateAt: Date;
  /** Complaints: every legal reading of the deadline, the earliest flagged. */
  candidates: Array<{ rule: string; sla: string; dueAt: string; earliest: boolean }> | null;
}

export interface CasesSettings {
  complaintDeadline: '15wd' | '1m';
  complaintCandidates: Array<{ rule: string; sla: string }>;
  escalateAtFraction: number;
  documentMaxBytes: number;
}

/**
 * Deadlines: which SLA applies, the calendar of the case's store, due dates recomputed with the
 * pauses on every change, and the tick that escalates at 80 % and on breach.
 */
@Injectable()
export class SlaService {
  private readonly logger = new Logger('CaseDeadlines');

  constructor(
    private readonly repo: CasesRepository,
    private readonly holidays: HolidaysRepository,
    private readonly stores: StoresService,
    private readonly messaging: MessagingService,
    private readonly runner: TransactionRunner,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notices: CaseNoticesRepository,
  ) {}

  policies(): Promise<Array<{ kind: CaseKind; category: string | null } & SlaSpec>> {
    return this.runner.reader.query(
      `SELECT kind, category, amount, unit FROM sla_policies ORDER BY kind, category NULLS FIRST`,
    );
  }

  async setPolicy(p: { kind: CaseKind; category?: string | null } & SlaSpec, principal: Principal) {
    await this.runner.run(async (tx) => {
      await tx.query(
        `INSERT INTO sla_policies (kind, category, amount, unit) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, coalesce(category, '')) DO UPDATE
           SET amount = EXCLUDED.amount, unit = EXCLUDED.unit, updated_at = now()`,
        [p.kind, p.category ?? null, p.amount, p.unit],
      );
      await this.audit.log(tx, {
        principal,
        action: 'sla_policy.set',
        entity: 'sla_policy',
        entityId: `${p.kind}:${p.category ?? '*'}`,
        details: { amount: p.amount, unit: p.unit },
      });
    });
    return this.policies();
  }

  settings(): CasesSettings {
    return {
      complaintDeadline: this.config.COMPLAINT_DEADLINE,
      complaintCandidates: LEGAL_COMPLAINT_CANDIDATES.map((c) => ({
        rule: c.rule,
        sla: formatSla(c),
      })),
      escalateAtFraction: 0.8,
      documentMaxBytes: this.config.DOCUMENT_MAX_BYTES,
    };
  }

  /** The working calendar of a store (national holidays only, Madrid time, without one). */
  async calendarFor(reader: EntityManager, storeId: string | null): Promise<WorkCalendar> {
    const store = storeId ? await this.stores.get(storeId) : null;
    const dates = await this.holidays.datesFor(
      reader,
      store?.region ?? null,
      store?.locality ?? null,
    );
    return { timeZone: store?.timeZone ?? DEFAULT_TIME_ZONE, holidays: new Set(dates) };
  }

  async policyFor(
    reader: EntityManager,
    kind: CaseKind,
    category: string | null,
  ): Promise<SlaSpec> {
    const rows: Array<{ amount: number; unit: SlaSpec['unit'] }> = await reader.query(
      `SELECT amount, unit FROM sla_policies
        WHERE kind = $1 AND (category IS NULL OR category = $2)
        ORDER BY category NULLS LAST LIMIT 1`,
      [kind, category],
    );
    if (rows[0]) return rows[0];
    if (kind === 'complaint') return parseSla(this.config.COMPLAINT_DEADLINE)!;
    return { amount: 5, unit: 'wd' };
  }

  async initial(
    reader: EntityManager,
    c: { kind: CaseKind; category: string | null; storeId: string | null; receivedAt: Date },
  ): Promise<InitialSla> {
    const cal = await this.calendarFor(reader, c.storeId);
    const sla = await this.policyFor(reader, c.kind, c.category);
    const times = slaTimes(c.receivedAt, sla, cal);
    let candidates: InitialSla['candidates'] = null;
    if (c.kind === 'complaint') {
      const all = LEGAL_COMPLAINT_CANDIDATES.map((k) => ({
        rule: k.rule,
        sla: formatSla(k),
        due: slaTimes(c.receivedAt, k, cal).dueAt,
      }));
      const earliest = Math.min(...all.map((a) => a.due.getTime()));
      candidates = all.map((a) => ({
        rule: a.rule,
        sla: a.sla,
        dueAt: a.due.toISOString(),
        earliest: a.due.getTime() === earliest,
      }));
    }
    return { sla, ...times, candidates };
  }

  /**
   * Due date and 80 % mark again from the case's pauses and today's calendar: after every
   * change of state, and for open cases when a holiday is added or removed. An escalation
   * already made stays (a breach is never undone).
   */
  async recompute(tx: Tx, c: CaseRow): Promise<CaseRow> {
    const cal = await this.calendarFor(tx, c.store_id);
    const pauses: ClockPause[] = (await this.repo.pauses(tx, c.id)).map((p) => ({
      start: p.started_at,
      end: p.ended_at,
    }));
    const now = this.clock.now();
    const t = slaTimes(
      c.sla_started_at,
      { amount: c.sla_amount, unit: c.sla_unit },
      cal,
      pauses,
      now,
    );
    if (
      t.dueAt.getTime() === c.due_at.getTime() &&
      t.escalateAt.getTime() === c.escalate_at.getTime()
    )
      return c;
    return this.repo.update(tx, c.id, { due_at: t.dueAt, escalate_at: t.escalateAt }, now);
  }

  /**
   * One pass of the scheduler: breaches first (a case past both marks is marked breached at
   * once), then 80 % warnings. Each batch is one transaction; rows another instance holds are
   * skipped. Returns how many cases were marked.
   */
  async tick(): Promise<{ warned: number; breached: number }> {
    let breached = 0;
    let warned = 0;
    // One transaction per round: breaches, then 80 % marks; again while a batch came back full.
    for (;;) {
      const r = await this.runner.run(async (tx) => ({
        breached: await this.escalateBatch(tx, 'breach'),
        warned: await this.escalateBatch(tx, 'warn'),
      }));
      breached += r.breached;
      warned += r.warned;
      if (r.breached < TICK_BATCH && r.warned < TICK_BATCH) break;
    }
    if (warned || breached)
      this.logger.log(`case deadlines: ${warned} at 80 %, ${breached} breached`);
    return { warned, breached };
  }

  private async escalateBatch(tx: Tx, what: 'warn' | 'breach'): Promise<number> {
    const now = this.clock.now();
    const { rows } = await preparedQuery<EscalatedRow>(
      tx,
      what === 'breach' ? 'cases_tick_breach' : 'cases_tick_warn',
      what === 'breach'
        ? `WITH due AS (
             SELECT id FROM cases
              WHERE escalation_level < 2 AND status IN ('open','in_progress','escalated')
                AND due_at < $1
              ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED),
           marked AS (
             UPDATE cases c SET escalation_level = 2, breached_at = $1, status = 'escalated',
                    updated_at = $1
               FROM due WHERE c.id = due.id
             RETURNING c.id, c.registry_number, c.due_at),
           logged AS (
             INSERT INTO case_events (case_id, type, actor_type, data, at)
             SELECT id, 'sla_breach', 'system', jsonb_build_object('dueAt', due_at), $1 FROM marked)
           SELECT id, registry_number, due_at FROM marked`
        : `WITH due AS (
             SELECT id FROM cases
              WHERE escalation_level = 0 AND status IN ('open','in_progress','escalated')
                AND escalate_at <= $1
              ORDER BY escalate_at LIMIT $2 FOR UPDATE SKIP LOCKED),
           marked AS (
             UPDATE cases c SET escalation_level = 1, status = 'escalated', updated_at = $1
               FROM due WHERE c.id = due.id
             RETURNING c.id, c.registry_number, c.due_at),
           logged AS (
             INSERT INTO case_events (case_id, type, actor_type, data, at)
             SELECT id, 'sla_warning', 'system', jsonb_build_object('dueAt', due_at), $1 FROM marked)
           SELECT id, registry_number, due_at FROM marked`,
      [now, TICK_BATCH],
    );
    await this.notify(tx, rows, what === 'breach' ? 2 : 1, now);
    return rows.length;
  }

  /**
   * Emails the supervisors of each newly escalated case's store (and store-less supervisors and
   * admins) through the outbox, one message per recipient listing their cases, once per case and
   * level; `SUPERVISOR_NOTIFY_EMAIL`, when set, gets every case as well.
   */
  private async notify(tx: Tx, rows: EscalatedRow[], level: 1 | 2, now: Date): Promise<void> {
    if (!rows.length) return;
    const template = level === 2 ? 'case-breached' : 'case-at-risk';
    const byId = new Map(rows.map((r) => [r.id, r]));
    const payload = (ids: string[]) => ({
      count: ids.length,
      cases: ids.map((id) => ({
        registryNumber: byId.get(id)!.registry_number,
        dueAt: byId.get(id)!.due_at.toISOString(),
      })),
    });
    const recipients = await this.notices.record(tx, [...byId.keys()], level, now);
    const messages = recipients.map((r) => ({
      channel: 'email' as const,
      recipient: r.email,
      template,
      locale: 'es' as const,
      payload: payload(r.case_ids),
      purpose: 'service' as const,
    }));
    const extra = this.config.SUPERVISOR_NOTIFY_EMAIL;
    if (extra && !recipients.some((r) => r.email.toLowerCase() === extra.toLowerCase()))
      messages.push({
        channel: 'email',
        recipient: extra,
        template,
        locale: 'es',
        payload: payload([...byId.keys()]),
        purpose: 'service',
      });
    // One statement for every recipient's message: the tick runs on the scheduler's clock.
    await this.messaging.enqueueMany(tx, messages);
  }
}

interface EscalatedRow {
  id: string;
  registry_number: string;
  due_at: Date;
}
