import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common';
import {
  CaseFiguresGroupBy,
  CaseFiguresRepository,
  CaseFiguresRow,
} from './case-figures.repository';

export interface CaseFiguresQuery {
  /** Cases filed in [from, to). */
  from: Date;
  to: Date;
  storeId?: string | null;
  /** The zone months are cut in (groupBy month). */
  timeZone: string;
  /** Figures per store, case category or month besides the totals. */
  groupBy?: CaseFiguresGroupBy | null;
}

/** Complaint figures of a period, as the satisfaction report shows them. */
export interface CaseFigures {
  /** Complaints and incidents filed in the period. */
  total: number;
  slaBreaches: number;
  resolved: number;
  meanResolutionHours: number | null;
  p90ResolutionHours: number | null;
  /** The typology: per case category ('' for none), most first, then by category. */
  byCategory: ({ category: string; count: number } & Omit<CaseFiguresRow, 'key' | 'cases'>)[];
  /** Per group of `groupBy` (null without one). */
  byGroup: CaseFiguresRow[] | null;
}

/**
 * Complaint typology, resolution times and SLA breaches for a period: what the satisfaction
 * report reads of cases (complaints and incidents; a low survey score opens an incident).
 */
@Injectable()
export class CaseFiguresService {
  constructor(
    private readonly repo: CaseFiguresRepository,
    private readonly clock: Clock,
  ) {}

  async figures(reader: EntityManager, q: CaseFiguresQuery): Promise<CaseFigures> {
    const args = {
      from: q.from,
      to: q.to,
      storeId: q.storeId ?? null,
      now: this.clock.now(),
      timeZone: q.timeZone,
    };
    const [[all], categories, groups] = await Promise.all([
      this.repo.figures(reader, args, 'all'),
      this.repo.figures(reader, args, 'category'),
      q.groupBy && q.groupBy !== 'category' ? this.repo.figures(reader, args, q.groupBy) : null,
    ]);
    return {
      total: all?.cases ?? 0,
      slaBreaches: all?.slaBreaches ?? 0,
      resolved: all?.resolved ?? 0,
      meanResolutionHours: all?.meanResolutionHours ?? null,
      p90ResolutionHours: all?.p90ResolutionHours ?? null,
      byCategory: categories
        .map(({ key, cases, ...rest }) => ({ category: key, count: cases, ...rest }))
        .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1)),
      byGroup: q.groupBy === 'category' ? categories : (groups ?? null),
    };
  }
}
