import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { timelineWindowSql } from '../../common';
import { preparedQuery, Tx } from '../../database';
import type {
  PlanRow,
  TaskRow,
  NewTask,
  AttemptRow,
  ContactRow,
  QueueFilter,
  DispatchUpdate,
} from './followup-rows';
import type { Outcome, TaskStatus } from './followup-rules';

export type {
  PlanRow,
  TaskRow,
  NewTask,
  AttemptRow,
  ContactRow,
  QueueFilter,
  DispatchUpdate,
} from './followup-rows';

/** Lapsed claims read as due again. */
const EFFECTIVE_STATUS = `CASE WHEN t.status = 'claimed' AND t.claim_expires_at <= $1
  THEN 'due' ELSE t.status END`;

/** SQL of the follow-up tables; every method takes the caller's transaction or reader. */
@Injectable()
export class FollowupRepository {
  // ------------------------------------------------------------------ plans

  async insertPlan(tx: Tx, p: PlanRow): Promise<void> {
    await tx.query(
      `INSERT INTO followup_plans (id, name, channel, delay, survey_kind, conditions, max_attempts,
         retry_delay, quiet_from, quiet_to, active, version, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        p.id,
        p.name,
        p.channel,
        p.delay,
        p.survey_kind,
        JSON.stringify(p.conditions),
        p.max_attempts,
        p.retry_delay,
        p.quiet_from,
        p.quiet_to,
        p.active,
        p.version,
        p.created_by,
        p.created_at,
        p.updated_at,
      ],
    );
  }

  async updatePlan(tx: Tx, p: PlanRow): Promise<void> {
    await tx.query(
      `UPDATE followup_plans SET name = $2, channel = $3, delay = $4, survey_kind = $5,
         conditions = $6::jsonb, max_attempts = $7, retry_delay = $8, quiet_from = $9,
         quiet_to = $10, active = $11, version = version + 1, updated_at = $12
       WHERE id = $1`,
      [
        p.id,
        p.name,
        p.channel,
        p.delay,
        p.survey_kind,
        JSON.stringify(p.conditions),
        p.max_attempts,
        p.retry_delay,
        p.quiet_from,
        p.quiet_to,
        p.active,
        p.updated_at,
      ],
    );
  }

  async plan(reader: EntityManager, id: string, lock = false): Promise<PlanRow | null> {
    const rows: PlanRow[] = await reader.query(
      `SELECT * FROM followup_plans WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async plans(reader: EntityManager, activeOnly = false): Promise<PlanRow[]> {
    return reader.query(
      `SELECT * FROM followup_plans ${activeOnly ? 'WHERE active' : ''} ORDER BY created_at, id`,
    );
  }

  // ------------------------------------------------------------------ tasks

  /** New tasks of one purchase: one prepared statement; a plan already scheduled is skipped. */
  async insertTasks(tx: Tx, tasks: NewTask[], now: Date): Promise<void> {
    await preparedQuery(
      tx,
      'followup_tasks_insert',
      `INSERT INTO followup_tasks (id, plan_id, purchase_id, member_id, contact_id, store_id,
         channel, survey_kind, due_at, max_attempts, categories, total_cents, created_at, updated_at)
       SELECT t.id, t.plan_id, $3, $4, $5, $6, t.channel, t.survey_kind, t.due_at, t.max_attempts,
              $7::text[], $8, $9, $9
         FROM unnest($1::uuid[], $2::uuid[], $10::text[], $11::text[], $12::timestamptz[],
                     $13::int[]) AS t(id, plan_id, channel, survey_kind, due_at, max_attempts)
       ON CONFLICT ON CONSTRAINT followup_tasks_once DO NOTHING`,
      [
        tasks.map((t) => t.id),
        tasks.map((t) => t.planId),
        tasks[0].purchaseId,
        tasks[0].memberId,
        tasks[0].contactId,
        tasks[0].storeId,
        tasks[0].categories,
        tasks[0].totalCents,
        now,
        tasks.map((t) => t.channel),
        tasks.map((t) => t.surveyKind),
        tasks.map((t) => t.dueAt),
        tasks.map((t) => t.maxAttempts),
      ],
    );
  }

  /** A full return: the purchase's open tasks are cancelled. */
  async cancelOpenForPurchase(tx: Tx, purchaseId: string, now: Date): Promise<number> {
    const { rowCount } = await preparedQuery(
      tx,
      'followup_tasks_cancel_purchase',
      `UPDATE followup_tasks SET status = 'cancelled', last_outcome = 'returned', updated_at = $2,
              closed_at = $2, claimed_by = NULL, claim_expires_at = NULL
        WHERE purchase_id = $1 AND status IN ('scheduled','due','claimed')`,
      [purchaseId, now],
    );
    return rowCount ?? 0;
  }

  /**
   * Due scheduled tasks, locked for this transaction; rows another scheduler holds are skipped,
   * so instances share the work and none runs a task twice.
   */
  async claimDue(tx: Tx, now: Date, limit: number): Promise<TaskRow[]> {
    // Planned with its values each time (not a named statement): a generic plan could not see
    // that few of a million scheduled tasks are due.
    const rows: TaskRow[] = await tx.query(
      `SELECT * FROM followup_tasks
        WHERE status = 'scheduled' AND due_at <= $1
        ORDER BY due_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows;
  }

  /**
   * Whether any scheduled task is due: the idle tick's one read, outside a transaction. It takes
   * the earliest due time from the partial index (no parameter, so no generic plan can choose a
   * sequential scan over a million future tasks) and compares in JavaScript.
   */
  async anyDue(reader: EntityManager, now: Date): Promise<boolean> {
    const { rows } = await preparedQuery<{ due_at: Date }>(
      reader,
      'followup_tasks_next_due',
      `SELECT due_at FROM followup_tasks WHERE status = 'scheduled' ORDER BY due_at LIMIT 1`,
      [],
    );
    return rows.length > 0 && rows[0].due_at.getTime() <= now.getTime();
  }

  async applyDispatch(tx: Tx, updates: DispatchUpdate[], now: Date): Promise<void> {
    if (!updates.length) return;
    await preparedQuery(
      tx,
      'followup_tasks_dispatch',
      `UPDATE followup_tasks t
          SET status = u.status, due_at = u.due_at, invitation_id = u.invitation_id,
              last_outcome = coalesce(u.last_outcome, t.last_outcome), updated_at = $6::timestamptz,
              closed_at = CASE WHEN u.status IN ('done','failed','cancelled') THEN $6::timestamptz END
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::uuid[], $5::text[])
           AS u(id, status, due_at, invitation_id, last_outcome)
        WHERE t.id = u.id`,
      [
        updates.map((u) => u.id),
        updates.map((u) => u.status),
        updates.map((u) => u.dueAt),
        updates.map((u) => u.invitationId),
        updates.map((u) => u.lastOutcome),
        now,
      ],
    );
  }

  /** The agents' queue: due first, keyset paged on (due_at, id). */
  async queue(reader: EntityManager, f: QueueFilter): Promise<(TaskRow & { effective: string })[]> {
    return reader.query(
      `SELECT t.*, ${EFFECTIVE_STATUS} AS effective FROM followup_tasks t
        WHERE t.status = ANY($10::text[]) AND ${EFFECTIVE_STATUS} = ANY($2::text[])
          AND ($3::uuid IS NULL OR t.store_id = $3)
          AND ($4::uuid IS NULL OR t.plan_id = $4)
          AND ($5::uuid IS NULL OR (t.claimed_by = $5 AND t.status = 'claimed' AND t.claim_expires_at > $1))
          AND ($6::uuid IS NULL OR t.member_id = $6)
          AND ($7::timestamptz IS NULL OR (t.due_at, t.id) > ($7, $8::uuid))
        ORDER BY t.due_at, t.id
        LIMIT $9`,
      [
        f.now,
        f.statuses,
        f.storeId ?? null,
        f.planId ?? null,
        f.assignee ?? null,
        f.memberId ?? null,
        f.after?.dueAt ?? null,
        f.after?.id ?? null,
        f.limit,
        // A lapsed claim reads as due: asking for due tasks reads claimed rows too.
        [...new Set(f.statuses.flatMap((s) => (s === 'due' ? ['due', 'claimed'] : [s])))],
      ],
    );
  }

  async task(reader: EntityManager, id: string, lock = false): Promise<TaskRow | null> {
    const rows: TaskRow[] = await reader.query(
      `SELECT * FROM followup_tasks WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async setClaim(tx: Tx, id: string, agentId: string, until: Date, now: Date): Promise<TaskRow> {
    const { rows } = await preparedQuery<TaskRow>(
      tx,
      'followup_tasks_claim',
      `UPDATE followup_tasks SET status = 'claimed', claimed_by = $2, claim_expires_at = $3,
              updated_at = $4
        WHERE id = $1 RETURNING *`,
      [id, agentId, until, now],
    );
    return rows[0];
  }

  async afterAttempt(
    tx: Tx,
    id: string,
    s: {
      status: TaskStatus;
      dueAt: Date | null;
      outcome: Outcome;
      escalated: boolean;
      caseId: string | null;
      now: Date;
    },
  ): Promise<TaskRow> {
    const { rows } = await preparedQuery<TaskRow>(
      tx,
      'followup_tasks_after_attempt',
      `UPDATE followup_tasks
          SET status = $2::text, due_at = coalesce($3::timestamptz, due_at), attempts = attempts + 1,
              last_outcome = $4, escalated = escalated OR $5, case_id = coalesce($6, case_id),
              claimed_by = NULL, claim_expires_at = NULL, updated_at = $7::timestamptz,
              closed_at = CASE WHEN $2::text IN ('done','failed','cancelled') THEN $7::timestamptz END
        WHERE id = $1 RETURNING *`,
      [id, s.status, s.dueAt, s.outcome, s.escalated, s.caseId, s.now],
    );
    return rows[0];
  }

  // ------------------------------------------------------------------ attempts

  async insertAttempt(tx: Tx, a: AttemptRow): Promise<void> {
    await tx.query(
      `INSERT INTO contact_attempts (id, task_id, member_id, contact_id, agent_id, outcome, notes,
         duration_seconds, callback_at, satisfaction_kind, satisfaction_score, response_id,
         escalated, case_id, goodwill_points, goodwill_reason, goodwill_entry_id, offer, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::jsonb, $19)`,
      [
        a.id,
        a.task_id,
        a.member_id,
        a.contact_id,
        a.agent_id,
        a.outcome,
        a.notes,
        a.duration_seconds,
        a.callback_at,
        a.satisfaction_kind,
        a.satisfaction_score,
        a.response_id,
        a.escalated,
        a.case_id,
        a.goodwill_points,
        a.goodwill_reason,
        a.goodwill_entry_id,
        a.offer === null ? null : JSON.stringify(a.offer),
        a.created_at,
      ],
    );
  }

  async attemptsOfTask(reader: EntityManager, taskId: string): Promise<AttemptRow[]> {
    return reader.query(
      `SELECT * FROM contact_attempts WHERE task_id = $1 ORDER BY created_at, id`,
      [taskId],
    );
  }

  async attemptsOfMember(
    reader: EntityManager,
    memberId: string,
    opts: { before?: { at: Date; id: string }; from?: Date; to?: Date; limit?: number } = {},
  ): Promise<AttemptRow[]> {
    // The keyset is the timeline's (its ids are `followup_attempt:<uuid>`, or another module's).
    const params: unknown[] = [memberId];
    const window = timelineWindowSql(
      { memberId, before: opts.before, from: opts.from, to: opts.to, limit: 0 },
      'created_at',
      `'followup_attempt:' || id`,
      params,
    );
    return reader.query(
      `SELECT * FROM contact_attempts
        WHERE member_id = $1 ${window}
        ORDER BY created_at DESC, id DESC
        LIMIT $${params.push(opts.limit ?? 1000)}`,
      params,
    );
  }

  async tasksOfMember(reader: EntityManager, memberId: string) {
    return reader.query(
      `SELECT id, plan_id AS "planId", purchase_id AS "purchaseId", store_id AS "storeId", channel,
              status, due_at AS "dueAt", attempts, last_outcome AS "lastOutcome",
              escalated, created_at AS "createdAt", closed_at AS "closedAt"
         FROM followup_tasks WHERE member_id = $1 ORDER BY created_at`,
      [memberId],
    );
  }

  /** Erasure: what agents wrote about the member goes; outcomes and figures stay. */
  async eraseMemberTexts(tx: Tx, memberId: string): Promise<void> {
    await tx.query(
      `UPDATE contact_attempts SET notes = NULL, goodwill_reason = NULL WHERE member_id = $1`,
      [memberId],
    );
    await tx.query(
      `UPDATE followup_contacts SET name = NULL, email = NULL, phone = 'erased'
        WHERE member_id = $1`,
      [memberId],
    );
  }

  // ------------------------------------------------------------------ contacts

  async insertContact(tx: Tx, c: ContactRow): Promise<void> {
    await tx.query(
      `INSERT INTO followup_contacts (id, name, email, phone, locale, store_id, followup_consent,
         calls_consent, recorded_by_type, recorded_by_id, member_id, created_at, enrolled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        c.id,
        c.name,
        c.email,
        c.phone,
        c.locale,
        c.store_id,
        c.followup_consent,
        c.calls_consent,
        c.recorded_by_type,
        c.recorded_by_id,
        c.member_id,
        c.created_at,
        c.enrolled_at,
      ],
    );
  }

  async contacts(reader: EntityManager, ids: string[]): Promise<Map<string, ContactRow>> {
    if (!ids.length) return new Map();
    const rows: ContactRow[] = await reader.query(
      `SELECT * FROM followup_contacts WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  async insertContactPurchase(
    tx: Tx,
    p: {
      id: string;
      contactId: string;
      storeId: string;
      externalId: string | null;
      currency: string;
      totalCents: number;
      categories: string[];
      lines: unknown[];
      at: Date;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO followup_contact_purchases (id, contact_id, store_id, external_id, currency,
         total_cents, categories, lines, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
      [
        p.id,
        p.contactId,
        p.storeId,
        p.externalId,
        p.currency,
        p.totalCents,
        p.categories,
        JSON.stringify(p.lines),
        p.at,
      ],
    );
  }

  async contactPurchases(reader: EntityManager, contactId: string) {
    return reader.query(
      `SELECT id, store_id AS "storeId", external_id AS "externalId", currency,
              total_cents AS "totalCents", categories, lines, created_at AS "createdAt"
         FROM followup_contact_purchases WHERE contact_id = $1 ORDER BY created_at DESC`,
      [contactId],
    );
  }

  /** A contact who enrolled: the contact, its tasks and attempts now name the member. */
  async linkContact(tx: Tx, contactId: string, memberId: string, now: Date): Promise<void> {
    await tx.query(`UPDATE followup_contacts SET member_id = $2, enrolled_at = $3 WHERE id = $1`, [
      contactId,
      memberId,
      now,
    ]);
    await tx.query(`UPDATE followup_tasks SET member_id = $2 WHERE contact_id = $1`, [
      contactId,
      memberId,
    ]);
    await tx.query(`UPDATE contact_attempts SET member_id = $2 WHERE contact_id = $1`, [
      contactId,
      memberId,
    ]);
  }

  async contactsOfMember(reader: EntityManager, memberId: string): Promise<ContactRow[]> {
    return reader.query(`SELECT * FROM followup_contacts WHERE member_id = $1`, [memberId]);
  }
}
