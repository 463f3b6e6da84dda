import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface LedgerMismatch {
  memberId: string;
  problem: string;
  account: { balance: number; pending: number };
  entries: { balance: number; pending: number };
  lots: { balance: number; pending: number };
}

export interface LedgerCheckResult {
  members: number;
  mismatches: LedgerMismatch[];
}

/**
 * Invariant 1 (DESIGN §4) for every member: account balance = Σ entries = Σ remaining of released
 * lots (and the same for pending), each lot's remaining = Σ its movements, and no positive
 * released lot beside a debt. Reads members in chunks, each chunk in one consistent statement, so
 * it can run beside a live till.
 */
@Injectable()
export class LedgerCheckService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check(
    onProgress?: (done: number, total: number) => void,
    chunk = 2000,
  ): Promise<LedgerCheckResult> {
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM point_accounts`,
    );
    const mismatches: LedgerMismatch[] = [];
    let after = '00000000-0000-0000-0000-000000000000';
    let done = 0;
    onProgress?.(0, total);
    for (;;) {
      const rows: Record<string, any>[] = await this.dataSource.query(
        `WITH a AS (
           SELECT member_id, balance, pending FROM point_accounts
            WHERE member_id > $1 ORDER BY member_id LIMIT $2),
         e AS (
           SELECT member_id, sum(points)::bigint AS points, sum(pending_points)::bigint AS pending
             FROM ledger_entries WHERE member_id IN (SELECT member_id FROM a) GROUP BY member_id),
         l AS (
           SELECT member_id,
                  coalesce(sum(remaining) FILTER (WHERE released), 0)::bigint AS available,
                  coalesce(sum(remaining) FILTER (WHERE NOT released), 0)::bigint AS pending,
                  count(*) FILTER (WHERE released AND remaining > 0)::int AS positive,
                  count(*) FILTER (WHERE kind = 'debt' AND remaining < 0)::int AS debts
             FROM point_lots WHERE member_id IN (SELECT member_id FROM a) GROUP BY member_id),
         mv AS (
           SELECT lo.member_id, count(*)::int AS bad_lots
             FROM point_lots lo
             LEFT JOIN (SELECT lot_id, sum(points) AS s FROM point_lot_movements
                         WHERE lot_id IN (SELECT id FROM point_lots
                                           WHERE member_id IN (SELECT member_id FROM a))
                         GROUP BY lot_id) m ON m.lot_id = lo.id
            WHERE lo.member_id IN (SELECT member_id FROM a) AND coalesce(m.s, 0) <> lo.remaining
            GROUP BY lo.member_id)
         SELECT a.member_id::text AS member_id, a.balance, a.pending,
                coalesce(e.points, 0)::int AS e_balance, coalesce(e.pending, 0)::int AS e_pending,
                coalesce(l.available, 0)::int AS l_balance, coalesce(l.pending, 0)::int AS l_pending,
                coalesce(l.positive, 0) AS positive, coalesce(l.debts, 0) AS debts,
                coalesce(mv.bad_lots, 0) AS bad_lots
           FROM a LEFT JOIN e USING (member_id) LEFT JOIN l USING (member_id)
                  LEFT JOIN mv USING (member_id)
          ORDER BY a.member_id`,
        [after, chunk],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const problems: string[] = [];
        if (r.balance !== r.e_balance || r.pending !== r.e_pending)
          problems.push('account differs from the sum of entries');
        if (r.balance !== r.l_balance || r.pending !== r.l_pending)
          problems.push('account differs from the sum of lots');
        if (r.bad_lots > 0) problems.push(`${r.bad_lots} lot(s) differ from their movements`);
        if (r.debts > 0 && r.positive > 0) problems.push('a debt beside available points');
        if (problems.length) {
          mismatches.push({
            memberId: r.member_id,
            problem: problems.join('; '),
            account: { balance: r.balance, pending: r.pending },
            entries: { balance: r.e_balance, pending: r.e_pending },
            lots: { balance: r.l_balance, pending: r.l_pending },
          });
        }
      }
      done += rows.length;
      after = rows[rows.length - 1].member_id;
      onProgress?.(done, Math.max(total, done));
    }
    const orphans: { member_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT member_id::text AS member_id FROM ledger_entries e
        WHERE NOT EXISTS (SELECT 1 FROM point_accounts a WHERE a.member_id = e.member_id)`,
    );
    for (const o of orphans) {
      mismatches.push({
        memberId: o.member_id,
        problem: 'entries without an account',
        account: { balance: 0, pending: 0 },
        entries: { balance: NaN, pending: NaN },
        lots: { balance: NaN, pending: NaN },
      });
    }
    return { members: done, mismatches };
  }
}
