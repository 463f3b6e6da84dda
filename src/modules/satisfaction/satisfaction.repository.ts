import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { timelineWindowSql } from '../../common';
import type { Tx } from '../../database';
import type { SurveyChannel, SurveyKind } from './satisfaction-rules';

export interface InvitationRow {
  id: string;
  token_hash: Buffer;
  kind: SurveyKind;
  member_id: string | null;
  contact_id: string | null;
  store_id: string | null;
  channel: SurveyChannel;
  purchase_id: string | null;
  task_id: string | null;
  agent_id: string | null;
  categories: string[];
  locale: string;
  created_at: Date;
  expires_at: Date;
  answered_at: Date | null;
}

export interface ResponseRow {
  id: string;
  invitation_id: string | null;
  attempt_id: string | null;
  kind: SurveyKind;
  score: number;
  comment: string | null;
  channel: SurveyChannel;
  store_id: string | null;
  agent_id: string | null;
  categories: string[];
  purchase_id: string | null;
  member_id: string | null;
  contact_id: string | null;
  answered_at: Date;
  escalated: boolean;
  case_id: string | null;
  case_registry_number: string | null;
}

export type GroupBy = 'store' | 'channel' | 'agent' | 'category' | 'month';

export interface AggregateQuery {
  from: Date;
  to: Date;
  groupBy: GroupBy;
  storeId?: string;
  timeZone: string;
}

export interface AggregateRow {
  key: string;
  responses: number;
  invitations: number;
  npsResponses: number;
  promoters: number;
  detractors: number;
  csatResponses: number;
  csatSatisfied: number;
}

/** The grouping key of each report dimension, over a table aliased `r` with time column `at`. */
function keyExpression(
  groupBy: GroupBy,
  at: string,
): { select: string; from: string; outer?: string } {
  switch (groupBy) {
    case 'store':
      return { select: `coalesce(r.store_id::text, '')`, from: '' };
    case 'channel':
      return { select: `r.channel`, from: '' };
    case 'agent':
      return { select: `coalesce(r.agent_id::text, '')`, from: '' };
    case 'month':
      // Truncated per row (cheap), formatted once per group by the caller's outer query.
      return {
        select: `date_trunc('month', r.${at}, $4)`,
        from: '',
        outer: `to_char(g.key AT TIME ZONE $4, 'YYYY-MM')`,
      };
    case 'category':
      // A response counts once under each of its purchase's categories ('' when it had none).
      return {
        select: `k.key`,
        from: `CROSS JOIN LATERAL unnest(CASE WHEN cardinality(r.categories) = 0
                 THEN ARRAY['']::text[] ELSE r.categories END) AS k(key)`,
      };
  }
}

const COLUMNS = `id, invitation_id, attempt_id, kind, score, comment, channel, store_id, agent_id,
  categories, purchase_id, member_id, contact_id, answered_at, escalated, case_id,
  case_registry_number`;

/** SQL of the satisfaction tables; every method takes the caller's transaction or reader. */
@Injectable()
export class SatisfactionRepository {
  async insertInvitations(
    tx: Tx,
    rows: Omit<InvitationRow, 'answered_at'>[],
  ): Promise<{ id: string; task_id: string | null }[]> {
    if (!rows.length) return [];
    // One statement per batch; a task already invited (another instance's dispatch) is skipped.
    return tx.query(
      `INSERT INTO survey_invitations (id, token_hash, kind, member_id, contact_id, store_id,
         channel, purchase_id, task_id, agent_id, categories, locale, created_at, expires_at)
       SELECT i.id, i.token_hash, i.kind, i.member_id, i.contact_id, i.store_id, i.channel,
              i.purchase_id, i.task_id, i.agent_id,
              ARRAY(SELECT jsonb_array_elements_text(i.categories)), i.locale, i.created_at,
              i.expires_at
         FROM unnest($1::uuid[], $2::bytea[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[],
                     $7::text[], $8::uuid[], $9::uuid[], $10::uuid[], $11::jsonb[], $12::text[],
                     $13::timestamptz[], $14::timestamptz[])
           AS i(id, token_hash, kind, member_id, contact_id, store_id, channel, purchase_id,
                task_id, agent_id, categories, locale, created_at, expires_at)
       ON CONFLICT (task_id) WHERE task_id IS NOT NULL DO NOTHING
       RETURNING id, task_id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.token_hash),
        rows.map((r) => r.kind),
        rows.map((r) => r.member_id),
        rows.map((r) => r.contact_id),
        rows.map((r) => r.store_id),
        rows.map((r) => r.channel),
        rows.map((r) => r.purchase_id),
        rows.map((r) => r.task_id),
        rows.map((r) => r.agent_id),
        rows.map((r) => JSON.stringify(r.categories)),
        rows.map((r) => r.locale),
        rows.map((r) => r.created_at),
        rows.map((r) => r.expires_at),
      ],
    );
  }

  async findInvitation(reader: EntityManager, tokenHash: Buffer): Promise<InvitationRow | null> {
    const rows: InvitationRow[] = await reader.query(
      `SELECT * FROM survey_invitations WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async lockInvitation(tx: Tx, tokenHash: Buffer): Promise<InvitationRow | null> {
    const rows: InvitationRow[] = await tx.query(
      `SELECT * FROM survey_invitations WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async markAnswered(tx: Tx, invitationId: string, at: Date): Promise<void> {
    await tx.query(`UPDATE survey_invitations SET answered_at = $2 WHERE id = $1`, [
      invitationId,
      at,
    ]);
  }

  async insertResponse(tx: Tx, r: ResponseRow): Promise<void> {
    await tx.query(
      `INSERT INTO survey_responses (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        r.id,
        r.invitation_id,
        r.attempt_id,
        r.kind,
        r.score,
        r.comment,
        r.channel,
        r.store_id,
        r.agent_id,
        r.categories,
        r.purchase_id,
        r.member_id,
        r.contact_id,
        r.answered_at,
        r.escalated,
        r.case_id,
        r.case_registry_number,
      ],
    );
  }

  /** The member's last CSAT or NPS, kept only when this answer is the newest. */
  async recordLastScore(
    tx: Tx,
    memberId: string,
    kind: SurveyKind,
    score: number,
    at: Date,
  ): Promise<void> {
    const col = kind === 'csat' ? 'csat' : 'nps';
    await tx.query(
      `INSERT INTO member_satisfaction (member_id, last_${col}, last_${col}_at) VALUES ($1, $2, $3)
       ON CONFLICT (member_id) DO UPDATE SET last_${col} = $2, last_${col}_at = $3
        WHERE member_satisfaction.last_${col}_at IS NULL OR member_satisfaction.last_${col}_at <= $3`,
      [memberId, score, at],
    );
  }

  async lastScores(
    reader: EntityManager,
    memberId: string,
  ): Promise<{
    last_csat: number | null;
    last_csat_at: Date | null;
    last_nps: number | null;
    last_nps_at: Date | null;
  } | null> {
    const rows: {
      last_csat: number | null;
      last_csat_at: Date | null;
      last_nps: number | null;
      last_nps_at: Date | null;
    }[] = await reader.query(
      `SELECT last_csat, last_csat_at, last_nps, last_nps_at FROM member_satisfaction WHERE member_id = $1`,
      [memberId],
    );
    return rows[0] ?? null;
  }

  async responsesOfMember(
    reader: EntityManager,
    memberId: string,
    opts: { before?: { at: Date; id: string }; from?: Date; to?: Date; limit?: number } = {},
  ): Promise<ResponseRow[]> {
    // The keyset is the timeline's (its ids are `survey:<uuid>`, or another module's).
    const params: unknown[] = [memberId];
    const window = timelineWindowSql(
      { memberId, before: opts.before, from: opts.from, to: opts.to, limit: 0 },
      'answered_at',
      `'survey:' || id`,
      params,
    );
    return reader.query(
      `SELECT ${COLUMNS} FROM survey_responses
        WHERE member_id = $1 ${window}
        ORDER BY answered_at DESC, id DESC
        LIMIT $${params.push(opts.limit ?? 1000)}`,
      params,
    );
  }

  async invitationsOfMember(reader: EntityManager, memberId: string) {
    return reader.query(
      `SELECT id, kind, channel, store_id AS "storeId", purchase_id AS "purchaseId",
              created_at AS "createdAt", expires_at AS "expiresAt", answered_at AS "answeredAt"
         FROM survey_invitations WHERE member_id = $1 ORDER BY created_at`,
      [memberId],
    );
  }

  /** Erasure: the member's words go, the scores stay for the reports. */
  async eraseComments(tx: Tx, memberId: string): Promise<void> {
    await tx.query(`UPDATE survey_responses SET comment = NULL WHERE member_id = $1`, [memberId]);
  }

  /** A contact's survey invitations and answers (contacts without a card, by id). */
  async ofContacts(reader: EntityManager, contactIds: string[]) {
    const [invitations, responses] = await Promise.all([
      reader.query<unknown[]>(
        `SELECT id, contact_id AS "contactId", kind, channel, store_id AS "storeId",
                created_at AS "createdAt", expires_at AS "expiresAt", answered_at AS "answeredAt"
           FROM survey_invitations WHERE contact_id = ANY($1::uuid[]) ORDER BY created_at`,
        [contactIds],
      ),
      reader.query<ResponseRow[]>(
        `SELECT ${COLUMNS} FROM survey_responses WHERE contact_id = ANY($1::uuid[])
          ORDER BY answered_at`,
        [contactIds],
      ),
    ]);
    return { invitations, responses };
  }

  /** Erasure of contacts: their words go, the scores stay for the reports. */
  async eraseContactComments(tx: Tx, contactIds: string[]): Promise<number> {
    const [, count]: [unknown, number] = await tx.query(
      `UPDATE survey_responses SET comment = NULL WHERE contact_id = ANY($1::uuid[])`,
      [contactIds],
    );
    return count;
  }

  /** A contact who enrolled: their invitations and answers now belong to the member. */
  async moveContactToMember(tx: Tx, contactId: string, memberId: string): Promise<void> {
    await tx.query(
      `UPDATE survey_invitations SET member_id = $2 WHERE contact_id = $1 AND member_id IS NULL`,
      [contactId, memberId],
    );
    await tx.query(
      `UPDATE survey_responses SET member_id = $2 WHERE contact_id = $1 AND member_id IS NULL`,
      [contactId, memberId],
    );
  }

  /** Responses and invitations of a period, grouped in the database. */
  async aggregate(reader: EntityManager, q: AggregateQuery): Promise<AggregateRow[]> {
    const responsesKey = keyExpression(q.groupBy, 'answered_at');
    const invitationsKey = keyExpression(q.groupBy, 'created_at');
    const params = [q.from, q.to, q.storeId ?? null, q.timeZone];
    const [responses, invitations] = await Promise.all([
      reader.query<
        {
          key: string;
          responses: number;
          nps: number;
          promoters: number;
          detractors: number;
          csat: number;
          satisfied: number;
        }[]
      >(
        `SELECT ${responsesKey.outer ?? 'g.key'} AS key, g.responses, g.nps, g.promoters,
                g.detractors, g.csat, g.satisfied
           FROM (SELECT ${responsesKey.select} AS key,
                count(*)::int AS responses,
                count(*) FILTER (WHERE r.kind = 'nps')::int AS nps,
                count(*) FILTER (WHERE r.kind = 'nps' AND r.score >= 9)::int AS promoters,
                count(*) FILTER (WHERE r.kind = 'nps' AND r.score <= 6)::int AS detractors,
                count(*) FILTER (WHERE r.kind = 'csat')::int AS csat,
                count(*) FILTER (WHERE r.kind = 'csat' AND r.score >= 4)::int AS satisfied
           FROM survey_responses r ${responsesKey.from}
          WHERE r.answered_at >= $1 AND r.answered_at < $2
            AND ($3::uuid IS NULL OR r.store_id = $3) AND $4::text IS NOT NULL
          GROUP BY 1) g`,
        params,
      ),
      reader.query<{ key: string; invitations: number }[]>(
        `SELECT ${invitationsKey.outer ?? 'g.key'} AS key, g.invitations
           FROM (SELECT ${invitationsKey.select} AS key, count(*)::int AS invitations
                   FROM survey_invitations r ${invitationsKey.from}
                  WHERE r.created_at >= $1 AND r.created_at < $2
                    AND ($3::uuid IS NULL OR r.store_id = $3) AND $4::text IS NOT NULL
                  GROUP BY 1) g`,
        params,
      ),
    ]);
    const out = new Map<string, AggregateRow>();
    const row = (key: string) => {
      let r = out.get(key);
      if (!r) {
        r = {
          key,
          responses: 0,
          invitations: 0,
          npsResponses: 0,
          promoters: 0,
          detractors: 0,
          csatResponses: 0,
          csatSatisfied: 0,
        };
        out.set(key, r);
      }
      return r;
    };
    for (const r of responses) {
      Object.assign(row(r.key), {
        responses: r.responses,
        npsResponses: r.nps,
        promoters: r.promoters,
        detractors: r.detractors,
        csatResponses: r.csat,
        csatSatisfied: r.satisfied,
      });
    }
    for (const i of invitations) row(i.key).invitations = i.invitations;
    return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
