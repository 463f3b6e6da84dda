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

/** Members per batch: one batch is one statement (a consistent snapshot) and one progress step. */
const MEMBERS_PER_BATCH = 20_000;

/**
 * Invariant 1 (DESIGN §4) for every member: account balance = Σ entries = Σ remaining of released
 * lots (and the same for pending), each lot's remaining = Σ its movements, no positive released
 * lot beside a debt, and no entries or lots without an account.
 *
 * Set-based, in batches: the member id space (random UUIDs) is cut into equal ranges of about
 * MEMBERS_PER_BATCH accounts and the lot ids into as many ranges. Each batch is one statement
 * (range scans on the member and lot indexes, hash aggregates) that returns only what differs:
 * the members of its id range whose account, entries and open lots disagree, and the members
 * owning a lot of its lot-id range that disagrees with its movements. Each batch is one
 * consistent snapshot, so the check can run beside a live till.
 */
@Injectable()
export class LedgerCheckService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check(
    onProgress?: (done: number, total: number) => void,
    perBatch = MEMBERS_PER_BATCH,
  ): Promise<LedgerCheckResult> {
    const [{ total, first_lot, last_lot }]: {
      total: number;
      first_lot: string | null;
      last_lot: string | null;
    }[] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM point_accounts) AS total,
              (SELECT min(id)::text FROM point_lots) AS first_lot,
              (SELECT max(id)::text FROM point_lots) AS last_lot`,
    );
    const batches = Math.max(1, Math.ceil(total / perBatch));
    const members = uuidRanges(batches);
    const lots = idRanges(BigInt(first_lot ?? 1), BigInt(last_lot ?? 0), batches);
    const found = new Map<string, LedgerMismatch & { problems: string[] }>();
    const mismatchOf = (memberId: string) => {
      let m = found.get(memberId);
      if (!m) {
        m = {
          memberId,
          problem: '',
          problems: [],
          account: { balance: 0, pending: 0 },
          entries: { balance: 0, pending: 0 },
          lots: { balance: 0, pending: 0 },
        };
        found.set(memberId, m);
      }
      return m;
    };
    let done = 0;
    onProgress?.(0, total);
    for (let i = 0; i < batches; i++) {
      const rows: Record<string, any>[] = await this.dataSource.query(
        `WITH a AS (
           SELECT member_id, balance, pending FROM point_accounts
            WHERE member_id BETWEEN $1 AND $2),
         e AS (
           SELECT member_id, sum(points)::bigint AS points, sum(pending_points)::bigint AS pending
             FROM ledger_entries WHERE member_id BETWEEN $1 AND $2 GROUP BY member_id),
         l AS (
           -- Lots with nothing left add nothing to the sums and are neither positive nor debt.
           SELECT member_id,
                  coalesce(sum(remaining) FILTER (WHERE released), 0)::bigint AS available,
                  coalesce(sum(remaining) FILTER (WHERE NOT released), 0)::bigint AS pending,
                  count(*) FILTER (WHERE released AND remaining > 0)::int AS positive,
                  count(*) FILTER (WHERE kind = 'debt' AND remaining < 0)::int AS debts
             FROM point_lots WHERE member_id BETWEEN $1 AND $2 AND remaining <> 0
            GROUP BY member_id),
         mv AS (
           SELECT lo.member_id::text AS member_id, count(*)::int AS bad_lots
             FROM point_lots lo
             LEFT JOIN (SELECT lot_id, sum(points) AS s FROM point_lot_movements
                         WHERE lot_id BETWEEN $3 AND $4 GROUP BY lot_id) s ON s.lot_id = lo.id
            WHERE lo.id BETWEEN $3 AND $4 AND coalesce(s.s, 0) <> lo.remaining
            GROUP BY lo.member_id),
         diff AS (
           SELECT member_id::text AS member_id, a.member_id IS NULL AS orphan,
                  coalesce(a.balance, 0) AS balance, coalesce(a.pending, 0) AS pending,
                  coalesce(e.points, 0)::int AS e_balance, coalesce(e.pending, 0)::int AS e_pending,
                  coalesce(l.available, 0)::int AS l_balance,
                  coalesce(l.pending, 0)::int AS l_pending,
                  coalesce(l.positive, 0) AS positive, coalesce(l.debts, 0) AS debts
             FROM a FULL JOIN e USING (member_id) FULL JOIN l USING (member_id)
            WHERE a.member_id IS NULL
               OR a.balance <> coalesce(e.points, 0) OR a.pending <> coalesce(e.pending, 0)
               OR a.balance <> coalesce(l.available, 0) OR a.pending <> coalesce(l.pending, 0)
               OR (l.debts > 0 AND l.positive > 0))
         SELECT 'count' AS what, NULL AS member_id, (SELECT count(*) FROM a)::int AS accounts,
                NULL::boolean AS orphan, NULL::int AS balance, NULL::int AS pending,
                NULL::int AS e_balance, NULL::int AS e_pending, NULL::int AS l_balance,
                NULL::int AS l_pending, NULL::int AS positive, NULL::int AS debts,
                NULL::int AS bad_lots
         UNION ALL
         SELECT 'account', member_id, NULL, orphan, balance, pending, e_balance, e_pending,
                l_balance, l_pending, positive, debts, NULL FROM diff
         UNION ALL
         SELECT 'movements', member_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                NULL, bad_lots FROM mv`,
        [members[i][0], members[i][1], lots[i][0], lots[i][1]],
      );
      for (const r of rows) {
        if (r.what === 'count') {
          done += r.accounts;
        } else if (r.what === 'movements') {
          mismatchOf(r.member_id).problems.push(`${r.bad_lots} lot(s) differ from their movements`);
        } else {
          const m = mismatchOf(r.member_id);
          m.account = { balance: r.balance, pending: r.pending };
          m.entries = { balance: r.e_balance, pending: r.e_pending };
          m.lots = { balance: r.l_balance, pending: r.l_pending };
          if (r.orphan) m.problems.unshift('entries or lots without an account');
          else {
            if (r.balance !== r.l_balance || r.pending !== r.l_pending)
              m.problems.unshift('account differs from the sum of lots');
            if (r.balance !== r.e_balance || r.pending !== r.e_pending)
              m.problems.unshift('account differs from the sum of entries');
          }
          if (r.debts > 0 && r.positive > 0) m.problems.push('a debt beside available points');
        }
      }
      onProgress?.(done, Math.max(total, done));
    }
    const mismatches = [...found.values()]
      .sort((x, y) => (x.memberId < y.memberId ? -1 : 1))
      .map(({ problems, ...m }) => ({ ...m, problem: problems.join('; ') }));
    return { members: done, mismatches };
  }
}

/** `n` consecutive inclusive ranges covering [first, last] (empty ones when it has fewer ids). */
export function idRanges(first: bigint, last: bigint, n: number): [string, string][] {
  const size = last >= first ? last - first + 1n : 0n;
  const ranges: [string, string][] = [];
  for (let i = 0n; i < BigInt(n); i++) {
    const lo = first + (size * i) / BigInt(n);
    const hi = first + (size * (i + 1n)) / BigInt(n) - 1n;
    ranges.push([String(lo), String(hi)]);
  }
  return ranges;
}

/** `n` consecutive inclusive ranges covering every UUID, cut on the first 32 bits. */
export function uuidRanges(n: number): [string, string][] {
  const ranges: [string, string][] = [];
  const span = 2 ** 32;
  for (let i = 0; i < n; i++) {
    const lo = Math.floor((i * span) / n);
    const hi = Math.floor(((i + 1) * span) / n) - 1;
    const hex = (v: number) => v.toString(16).padStart(8, '0');
    ranges.push([
      `${hex(lo)}-0000-0000-0000-000000000000`,
      `${hex(hi)}-ffff-ffff-ffff-ffffffffffff`,
    ]);
  }
  return ranges;
}
