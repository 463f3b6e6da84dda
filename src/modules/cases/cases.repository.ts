import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ContactKey } from '../../common';
import { preparedQuery, Tx } from '../../database';
import { localDay, utcMargin } from './case-period-figures.repository';
import type { CaseChannel, CaseKind, CaseStatus } from './case-rules';
import type { SlaUnit } from './calendar/sla-clock';

export interface CaseRow {
  id: string;
  registry_number: string;
  kind: CaseKind;
  channel: CaseChannel;
  category: string | null;
  department: string | null;
  status: CaseStatus;
  member_id: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  locale: string;
  store_id: string | null;
  purchase_id: string | null;
  assignee_id: string | null;
  subject: string;
  description: string;
  resolution: string | null;
  customer_confirmed: boolean | null;
  source_type: string | null;
  source_id: string | null;
  satisfaction: Record<string, unknown> | null;
  /** SHA-256 of the token in the public receipt link (complaints filed without signing in). */
  receipt_token_hash: string | null;
  sla_amount: number;
  sla_unit: SlaUnit;
  sla_started_at: Date;
  due_at: Date;
  escalate_at: Date;
  deadline_candidates: Array<{ rule: string; sla: string; dueAt: string }> | null;
  escalation_level: number;
  breached_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  created_by_type: string;
  created_by_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CaseEventRow {
  id: string;
  case_id: string;
  type: string;
  visibility: 'internal' | 'customer';
  actor_type: string;
  actor_id: string | null;
  text: string | null;
  data: Record<string, unknown>;
  at: Date;
}

export interface PauseRow {
  id: string;
  case_id: string;
  started_at: Date;
  ended_at: Date | null;
  reason: string;
}

export type NewCase = Omit<
  CaseRow,
  | 'id'
  | 'status'
  | 'resolution'
  | 'customer_confirmed'
  | 'escalation_level'
  | 'breached_at'
  | 'resolved_at'
  | 'closed_at'
  | 'created_at'
  | 'updated_at'
  | 'assignee_id'
> & { created_at: Date };

export interface CaseFilter {
  status?: CaseStatus;
  kind?: CaseKind;
  department?: string;
  memberId?: string;
  /** Created on these local dates (YYYY-MM-DD) of each case's store. */
  from?: string;
  to?: string;
  due?: 'overdue' | 'soon';
  /** For `due=soon`: due before this instant. */
  soonUntil?: Date;
  now: Date;
  limit: number;
  /** Keyset on (sort value, id). */
  after?: { value: string; id: string };
}

const RUNNING = `status IN ('open','in_progress','escalated')`;

/** SQL for cases, their events, pauses and the per-year registry counters. */
@Injectable()
export class CasesRepository {
  /** Next number of a series for a year: one row per series and year, bumped in the caller's tx. */
  async nextNumber(tx: Tx, series: 'REC' | 'DOC', year: number): Promise<number> {
    const rows: Array<{ value: number }> = await tx.query(
      `INSERT INTO registry_counters (series, year, value) VALUES ($1, $2, 1)
       ON CONFLICT (series, year) DO UPDATE SET value = registry_counters.value + 1
       RETURNING value`,
      [series, year],
    );
    return rows[0].value;
  }

  async insert(tx: Tx, c: NewCase): Promise<CaseRow> {
    const cols = Object.keys(c);
    const rows: CaseRow[] = await tx.query(
      `INSERT INTO cases (${cols.join(', ')}, updated_at)
       VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}, $${cols.length + 1})
       RETURNING *`,
      [
        ...cols.map((k) => {
          const v = (c as Record<string, unknown>)[k];
          return v !== null && typeof v === 'object' && !(v instanceof Date)
            ? JSON.stringify(v)
            : v;
        }),
        c.created_at,
      ],
    );
    return rows[0];
  }

  async find(reader: EntityManager, id: string): Promise<CaseRow | null> {
    const rows: CaseRow[] = await reader.query(`SELECT * FROM cases WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async lock(tx: Tx, id: string): Promise<CaseRow | null> {
    const rows: CaseRow[] = await tx.query(`SELECT * FROM cases WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async update(tx: Tx, id: string, fields: Partial<CaseRow>, now: Date): Promise<CaseRow> {
    const entries = Object.entries(fields);
    const result: unknown = await tx.query(
      `UPDATE cases SET ${entries.map(([k], i) => `${k} = $${i + 2}`).join(', ')},
              updated_at = $${entries.length + 2}
        WHERE id = $1 RETURNING *`,
      [id, ...entries.map(([, v]) => v), now],
    );
    return returned<CaseRow>(result)[0];
  }

  async addEvent(
    tx: Tx,
    e: {
      caseId: string;
      type: string;
      visibility?: 'internal' | 'customer';
      actorType: string;
      actorId: string | null;
      text?: string | null;
      data?: Record<string, unknown>;
      at: Date;
    },
  ): Promise<CaseEventRow> {
    const rows: CaseEventRow[] = await tx.query(
      `INSERT INTO case_events (case_id, type, visibility, actor_type, actor_id, text, data, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        e.caseId,
        e.type,
        e.visibility ?? 'internal',
        e.actorType,
        e.actorId,
        e.text ?? null,
        JSON.stringify(e.data ?? {}),
        e.at,
      ],
    );
    return rows[0];
  }

  events(reader: EntityManager, caseId: string): Promise<CaseEventRow[]> {
    return reader.query(`SELECT * FROM case_events WHERE case_id = $1 ORDER BY id`, [caseId]);
  }

  pauses(reader: EntityManager, caseId: string): Promise<PauseRow[]> {
    return reader.query(`SELECT * FROM case_pauses WHERE case_id = $1 ORDER BY started_at`, [
      caseId,
    ]);
  }

  async openPause(tx: Tx, caseId: string, at: Date, reason: string): Promise<void> {
    await tx.query(`INSERT INTO case_pauses (case_id, started_at, reason) VALUES ($1, $2, $3)`, [
      caseId,
      at,
      reason,
    ]);
  }

  async closePause(tx: Tx, caseId: string, at: Date): Promise<void> {
    await tx.query(
      `UPDATE case_pauses SET ended_at = greatest($2::timestamptz, started_at)
        WHERE case_id = $1 AND ended_at IS NULL`,
      [caseId, at],
    );
  }

  /**
   * The desk's lists: `overdue` and `soon` read the running cases through the partial index on
   * due_at; other filters page by creation, newest first.
   */
  async list(reader: EntityManager, f: CaseFilter): Promise<CaseRow[]> {
    if (f.due && !f.status && !f.kind && !f.department && !f.memberId && !f.from && !f.to) {
      // The desk's hot path: one prepared statement each, planned once per connection.
      const after = f.after ? [f.after.value, f.after.id] : [null, null];
      const { rows } =
        f.due === 'overdue'
          ? await preparedQuery<CaseRow>(
              reader,
              'cases_overdue',
              `SELECT * FROM cases WHERE ${RUNNING} AND due_at < $1
                  AND ($2::timestamptz IS NULL OR (due_at, id) > ($2::timestamptz, $3::uuid))
                ORDER BY due_at, id LIMIT $4`,
              [f.now, ...after, f.limit],
            )
          : await preparedQuery<CaseRow>(
              reader,
              'cases_soon',
              `SELECT * FROM cases WHERE ${RUNNING} AND due_at >= $1 AND due_at < $2
                  AND ($3::timestamptz IS NULL OR (due_at, id) > ($3::timestamptz, $4::uuid))
                ORDER BY due_at, id LIMIT $5`,
              [f.now, f.soonUntil, ...after, f.limit],
            );
      return rows;
    }
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => `$${args.push(v)}`;
    if (f.status) where.push(`status = ${arg(f.status)}`);
    if (f.kind) where.push(`kind = ${arg(f.kind)}`);
    if (f.department) where.push(`department = ${arg(f.department)}`);
    if (f.memberId) where.push(`member_id = ${arg(f.memberId)}`);
    if (f.from || f.to) {
      const from = arg(f.from ?? '0001-01-01');
      const to = arg(f.to ?? '9999-12-30');
      where.push(utcMargin('c.created_at', from, to));
      where.push(`${localDay('c.created_at')} BETWEEN ${from}::date AND ${to}::date`);
    }
    let order: string;
    if (f.due) {
      where.push(RUNNING);
      if (f.due === 'overdue') where.push(`due_at < ${arg(f.now)}`);
      else where.push(`due_at >= ${arg(f.now)} AND due_at < ${arg(f.soonUntil)}`);
      if (f.after)
        where.push(`(due_at, id) > (${arg(f.after.value)}::timestamptz, ${arg(f.after.id)}::uuid)`);
      order = 'due_at, id';
    } else {
      if (f.after)
        where.push(
          `(created_at, id) < (${arg(f.after.value)}::timestamptz, ${arg(f.after.id)}::uuid)`,
        );
      order = 'created_at DESC, id DESC';
    }
    return reader.query(
      `SELECT * FROM cases c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${order} LIMIT ${arg(f.limit)}`,
      args,
    );
  }

  /**
   * The supervisor's desk: running cases, escalated and breached first, then by deadline. The
   * two partial-index scans are merged, so the page never sorts the whole queue.
   */
  async desk(reader: EntityManager, limit: number, department?: string): Promise<CaseRow[]> {
    // One department's queue is its own statement, so each keeps a plan on its partial index.
    const dep = department ? 'AND department = $2' : '';
    const { rows } = await preparedQuery<CaseRow>(
      reader,
      department ? 'cases_desk_department' : 'cases_desk',
      `(SELECT * FROM cases WHERE ${RUNNING} AND escalation_level > 0 ${dep}
         ORDER BY due_at LIMIT $1)
       UNION ALL
       (SELECT * FROM cases WHERE ${RUNNING} AND escalation_level = 0 ${dep}
         ORDER BY escalate_at LIMIT $1)
       UNION ALL
       (SELECT * FROM cases WHERE status = 'waiting' ${dep} ORDER BY updated_at DESC LIMIT $1)`,
      department ? [limit, department] : [limit],
    );
    return rows;
  }

  /** Running cases past their 80 % mark not yet warned about, oldest first, locked for the tick. */
  toWarn(tx: Tx, now: Date, limit: number): Promise<CaseRow[]> {
    return tx.query(
      `SELECT * FROM cases WHERE escalation_level = 0 AND ${RUNNING} AND escalate_at <= $1
        ORDER BY escalate_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Running cases past their deadline not yet marked breached. */
  toBreach(tx: Tx, now: Date, limit: number): Promise<CaseRow[]> {
    return tx.query(
      `SELECT * FROM cases WHERE escalation_level < 2 AND ${RUNNING} AND due_at < $1
        ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Breached cases whose deadline fell in [from, to] as local dates of each case's store. */
  breaches(reader: EntityManager, from: string, to: string, limit: number): Promise<CaseRow[]> {
    return reader.query(
      `SELECT c.* FROM cases c
        WHERE c.breached_at IS NOT NULL AND ${utcMargin('c.due_at', '$1', '$2')}
          AND ${localDay('c.due_at')} BETWEEN $1::date AND $2::date
        ORDER BY c.due_at LIMIT $3`,
      [from, to, limit],
    );
  }

  /** Unfinished cases whose window contains a date (a holiday changed there). */
  affectedBy(
    reader: EntityManager,
    date: string,
    scope: { region: string | null; locality: string | null },
  ): Promise<Array<{ id: string }>> {
    return reader.query(
      `SELECT c.id FROM cases c LEFT JOIN stores s ON s.id = c.store_id
        WHERE c.status NOT IN ('resolved','closed')
          AND c.sla_started_at < ($1::date + 2)
          AND c.due_at > ($1::date - 2)
          AND ($2::text IS NULL OR s.region = $2)
          AND ($3::text IS NULL OR lower(s.locality) = lower($3))`,
      [date, scope.region, scope.locality],
    );
  }

  forMember(reader: EntityManager, memberId: string): Promise<CaseRow[]> {
    return reader.query(
      `SELECT * FROM cases WHERE member_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200`,
      [memberId],
    );
  }

  /**
   * Cases filed by someone who is not a member, by the email (any case) or phone they left. The
   * phone was typed freely: compared by its digits, the national part (last 9 or more) enough.
   */
  forContact(reader: EntityManager, key: ContactKey): Promise<CaseRow[]> {
    return reader.query(
      `SELECT * FROM cases
        WHERE member_id IS NULL
          AND (($1::text IS NOT NULL AND contact_email = lower($1))
               OR ($2::text IS NOT NULL AND length(regexp_replace(contact_phone, '\\D', '', 'g')) >= 9
                   AND right($2, length(regexp_replace(contact_phone, '\\D', '', 'g')))
                       = regexp_replace(contact_phone, '\\D', '', 'g')))
        ORDER BY created_at, id`,
      [key.email, key.phone?.replace(/\D/g, '') ?? null],
    );
  }

  /** Contact erasure: as a member's, contact data and free texts go; number, dates, status stay. */
  async eraseTexts(tx: Tx, caseIds: string[], erased: string): Promise<void> {
    await tx.query(
      // An open case must name someone (cases_party_check): the erased mark stands in.
      `UPDATE cases SET contact_name = $2, contact_email = NULL, contact_phone = NULL,
              subject = $2, description = $2,
              resolution = CASE WHEN resolution IS NULL THEN NULL ELSE $2 END,
              satisfaction = CASE WHEN satisfaction IS NULL THEN NULL ELSE satisfaction - 'comment' END,
              receipt_token_hash = NULL
        WHERE id = ANY($1::uuid[])`,
      [caseIds, erased],
    );
    await tx.query(
      `UPDATE case_events SET text = NULL WHERE case_id = ANY($1::uuid[]) AND text IS NOT NULL`,
      [caseIds],
    );
  }

  bySource(reader: EntityManager, type: string, id: string): Promise<CaseRow[]> {
    return reader.query(`SELECT * FROM cases WHERE source_type = $1 AND source_id = $2`, [
      type,
      id,
    ]);
  }
}

/**
 * TypeORM answers an UPDATE or DELETE … RETURNING as `[rows, count]` and other statements as
 * the rows: the rows either way.
 */
export function returned<T>(result: unknown): T[] {
  const r = result as unknown[];
  return Array.isArray(r[0]) && typeof r[1] === 'number' ? (r[0] as T[]) : (r as T[]);
}
