import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../database';

export interface SearchRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  tier: string | null;
  cursor_at: string;
  card_number: string | null;
  card_status: string | null;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Staff search over names, email, phone and card number, newest members first, keyset
 * paginated. Each branch of the match uses its own index (migration AddMemberSearchIndexes).
 * The card number is the one fact read from the cards table: searched and shown, never written.
 */
export function searchSql(
  q: string | undefined,
  after: (string | number)[] | undefined,
  limit: number,
) {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  let join = '';
  const term = q?.trim();
  if (term) {
    const like = param(`%${escapeLike(term)}%`);
    const branches = [
      `SELECT id FROM members WHERE status = 'active'
         AND fidelia_search_text(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))
             LIKE fidelia_search_text(${like})`,
      `SELECT id FROM members WHERE status = 'active' AND email ILIKE ${like}`,
    ];
    const digits = term.replace(/[\s\-().]/g, '').replace(/^\+/, '');
    if (/^\d{3,}$/.test(digits)) {
      branches.push(
        `SELECT id FROM members WHERE status = 'active' AND phone LIKE ${param(`%${digits}%`)}`,
        `SELECT member_id FROM cards WHERE number LIKE ${param(`${digits}%`)}`,
      );
    }
    join = `JOIN (${branches.join(' UNION ')}) hit ON hit.id = m.id`;
  }
  const keyset = after
    ? `AND (m.created_at, m.id) < (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)`
    : '';
  const sql = `
    SELECT m.id, m.first_name, m.last_name, m.email, m.phone, m.locale, m.tier,
           to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
           c.number AS card_number, c.status AS card_status
      FROM members m
      ${join}
      LEFT JOIN cards c ON c.member_id = m.id AND c.status = 'active'
     WHERE m.status = 'active' ${keyset}
     ORDER BY m.created_at DESC, m.id DESC
     LIMIT ${param(limit + 1)}`;
  return { sql, params };
}

@Injectable()
export class MemberSearchRepository {
  search(
    reader: EntityManager,
    q: string | undefined,
    after: (string | number)[] | undefined,
    limit: number,
  ): Promise<SearchRow[]> {
    const { sql, params } = searchSql(q, after, limit);
    return reader.query(sql, params);
  }

  /** EXPLAIN of the search with sequential scans discouraged: proves the indexes apply. */
  async explain(tx: Tx, q: string, limit: number): Promise<string> {
    await tx.query('SET LOCAL enable_seqscan = off');
    const { sql, params } = searchSql(q, undefined, limit);
    const plan: { 'QUERY PLAN': string }[] = await tx.query(`EXPLAIN ${sql}`, params);
    return plan.map((r) => r['QUERY PLAN']).join('\n');
  }
}
