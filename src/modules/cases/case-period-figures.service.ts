import { Injectable } from '@nestjs/common';
import { hasRole, Principal } from '../../common';
import { TransactionRunner } from '../../database';
import { isLocalDate } from './calendar/local-time';
import { CasePeriodFiguresRepository } from './case-period-figures.repository';
import { CasesError, CasesErrorCode, invalidCase } from './cases.errors';

export interface CasePeriodFigures {
  from: string;
  to: string;
  storeId: string | null;
  /** Cases created on these local dates (each case's store's day). */
  total: number;
  byKind: Array<{ kind: string; count: number }>;
  byCategory: Array<{ category: string | null; count: number }>;
  byDepartment: Array<{ department: string | null; count: number }>;
  byMonth: Array<{ month: string; count: number }>;
  /** Of those created in the period: resolved by their deadline, or after it. */
  resolvedOnTime: number;
  resolvedLate: number;
  /** Breached cases whose deadline fell in the period (local dates). */
  slaBreaches: number;
}

const MAX_DAYS = 366;

/** Validates a period of local dates; the names of the fields in the answer. */
export function checkPeriod(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && !isLocalDate(from))
    throw invalidCase('from', 'must be a date YYYY-MM-DD');
  if (to !== undefined && !isLocalDate(to)) throw invalidCase('to', 'must be a date YYYY-MM-DD');
  if (from && to && from > to) throw invalidCase('to', 'must not be before from');
}

/** Case figures by period, cut on each store's local calendar (never the UTC date). */
@Injectable()
export class CasePeriodFiguresService {
  constructor(
    private readonly repo: CasePeriodFiguresRepository,
    private readonly runner: TransactionRunner,
  ) {}

  async figures(
    q: { from: string; to: string; storeId?: string },
    principal: Principal,
  ): Promise<CasePeriodFigures> {
    checkPeriod(q.from, q.to);
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
    if (days > MAX_DAYS) throw invalidCase('to', `a period is at most ${MAX_DAYS} days`);
    // A store's supervisor sees their store only; admins and store-less supervisors, any.
    const bound =
      principal.kind === 'staff' && principal.storeId && !hasRole(principal, 'admin')
        ? principal.storeId
        : null;
    if (bound && q.storeId && q.storeId !== bound)
      throw new CasesError('forbidden', CasesErrorCode.StoreNotAllowed, 'storeId: not your store', [
        { field: 'storeId', reason: 'not your store' },
      ]);
    const storeId = bound ?? q.storeId ?? null;
    const r = await this.repo.figures(this.runner.reader, { from: q.from, to: q.to, storeId });
    return {
      from: q.from,
      to: q.to,
      storeId,
      total: r.total,
      byKind: r.by_kind,
      byCategory: r.by_category,
      byDepartment: r.by_department,
      byMonth: r.by_month,
      resolvedOnTime: r.resolved_on_time,
      resolvedLate: r.resolved_late,
      slaBreaches: r.sla_breaches,
    };
  }
}
