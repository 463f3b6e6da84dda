import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  actorOf,
  Clock,
  decodeCursor,
  DEFAULT_LIMIT,
  encodeCursor,
  invalid,
  PageRenderer,
  Principal,
} from '../../common';
import type { PageLocale } from '../../common';
import { AppConfig } from '../../config';
import { TransactionRunner } from '../../database';
import { StaffService } from '../auth';
import { CaseFiguresService } from '../cases';
import type { CaseFigures, CaseFiguresGroupBy, CaseFiguresRow } from '../cases';
import { SatisfactionService } from '../satisfaction';
import type { AggregateRow } from '../satisfaction';
import { StoresService } from '../stores';
import type { SatisfactionReportQuery } from './dto/satisfaction-report.dto';
import { satisfactionChart } from './report-chart';
import { conclusions, GroupBy } from './report-conclusions';
import { CsvComplaints, reportCsv } from './report-csv';
import { figures, ReportGroup, SatisfactionFigures, sumCounts } from './report-maths';
import { isDate, Period, period, previousPeriod } from './report-period';
import { ReportSnapshotsRepository, SnapshotRow } from './report-snapshots.repository';
import { badPeriod, storeNotAllowed, storeNotFound } from './reports.errors';

export interface SatisfactionReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  storeId: string | null;
  timeZone: string;
  total: SatisfactionFigures;
  groups: ReportGroup[];
  previous: {
    from: string;
    to: string;
    total: SatisfactionFigures;
    complaints: ComplaintsSection;
  };
  /** Complaint typology, resolution times and SLA breaches of the period (from `cases`). */
  complaints: ComplaintsSection;
  conclusions: string[];
  locale: PageLocale;
}

export interface SnapshotView {
  id: string;
  createdAt: Date;
  createdBy: { type: string; id: string | null };
  storeId: string | null;
  query: Record<string, unknown>;
  proposal: string;
  report: SatisfactionReport;
}

/**
 * The cases module's figures (complaints and incidents filed in the period), with labels: a
 * label per category and, when the grouping applies to cases (store, category, month), per group.
 */
export interface ComplaintsSection extends Omit<CaseFigures, 'byCategory' | 'byGroup'> {
  byCategory: (CaseFigures['byCategory'][number] & { label: string })[];
  byGroup: (CaseFiguresRow & { label: string })[] | null;
}

/** Groupings that apply to cases (they have a store, a category and a filing date). */
const CASE_GROUPINGS = new Set<GroupBy>(['store', 'category', 'month']);

const MAX_DAYS = 366;

/** The satisfaction report (figures from the satisfaction module) and its improvement proposals. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly satisfaction: SatisfactionService,
    private readonly stores: StoresService,
    private readonly staff: StaffService,
    private readonly cases: CaseFiguresService,
    private readonly snapshots: ReportSnapshotsRepository,
    private readonly db: TransactionRunner,
    private readonly texts: PageRenderer,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async satisfactionReport(
    q: SatisfactionReportQuery,
    locale: PageLocale,
    principal: Principal,
  ): Promise<SatisfactionReport> {
    const storeId = this.scope(q.storeId, principal);
    const timeZone = await this.timeZoneOf(storeId);
    const current = this.period(q.from, q.to, timeZone);
    const before = previousPeriod(current, timeZone);
    // Whole local days of the satisfaction module's daily roll-up: a few thousand rows a year.
    const agg = (p: Period, groupBy: GroupBy): Promise<AggregateRow[]> =>
      this.satisfaction
        .aggregateByDays(this.db.reader, {
          from: p.start,
          to: p.end,
          fromDay: p.from,
          toDay: p.to,
          groupBy,
          storeId: storeId ?? undefined,
          timeZone,
        })
        .then(withCounts);
    // A response counts under each of its categories: totals come from a grouping that counts it once.
    const totalsBy: GroupBy = q.groupBy === 'category' ? 'channel' : q.groupBy;
    const complaintsOf = (p: Period) =>
      this.cases
        .figures(this.db.reader, {
          from: p.start,
          to: p.end,
          storeId,
          timeZone,
          groupBy: CASE_GROUPINGS.has(q.groupBy) ? (q.groupBy as CaseFiguresGroupBy) : null,
        })
        .then((c) => this.complaintsSection(q.groupBy, c, locale));
    const [rows, previousRows, totalRows, previousTotalRows, complaints, previousComplaints] =
      await Promise.all([
        agg(current, q.groupBy),
        agg(before, q.groupBy),
        totalsBy === q.groupBy ? null : agg(current, totalsBy),
        totalsBy === q.groupBy ? null : agg(before, totalsBy),
        complaintsOf(current),
        complaintsOf(before),
      ]);
    const [groups, previousGroups] = await Promise.all([
      this.groups(q.groupBy, rows),
      this.groups(q.groupBy, previousRows),
    ]);
    const total = figures(sumCounts(totalRows ?? rows));
    const previousTotal = figures(sumCounts(previousTotalRows ?? previousRows));
    const t = (key: string, params?: Record<string, unknown>) => this.texts.t(locale, key, params);
    return {
      from: current.from,
      to: current.to,
      groupBy: q.groupBy,
      storeId,
      timeZone,
      total,
      groups,
      previous: {
        from: before.from,
        to: before.to,
        total: previousTotal,
        complaints: previousComplaints,
      },
      complaints,
      conclusions: conclusions(
        {
          groupBy: q.groupBy,
          current: { total, groups, complaints },
          previous: {
            total: previousTotal,
            groups: previousGroups,
            complaints: previousComplaints,
          },
          minResponses: this.config.REPORTS_MIN_GROUP_RESPONSES,
        },
        t,
        locale,
      ),
      locale,
    };
  }

  csv(report: SatisfactionReport): string {
    const c = report.complaints;
    // Cases have no survey channel or agent; case categories are not purchase categories.
    const byGroupKey =
      report.groupBy === 'store' || report.groupBy === 'month'
        ? new Map((c.byGroup ?? []).map((g) => [g.key, g]))
        : null;
    const complaints: CsvComplaints = {
      total: { ...c, cases: c.total },
      byGroupKey,
      byCategory: c.byCategory.map((x) => ({ ...x, cases: x.count })),
    };
    return reportCsv(report.groups, report.total, complaints);
  }

  private async complaintsSection(
    groupBy: GroupBy,
    c: CaseFigures,
    locale: PageLocale,
  ): Promise<ComplaintsSection> {
    const categoryLabel = (key: string) =>
      key || this.texts.t(locale, 'reports.complaints.noCategory');
    return {
      ...c,
      byCategory: c.byCategory.map((x) => ({ ...x, label: categoryLabel(x.category) })),
      byGroup: c.byGroup
        ? await Promise.all(
            c.byGroup.map(async (g) => ({
              ...g,
              label:
                groupBy === 'category' ? categoryLabel(g.key) : await this.label(groupBy, g.key),
            })),
          )
        : null,
    };
  }

  chart(report: SatisfactionReport): string {
    const t = (key: string) => this.texts.t(report.locale, key);
    return satisfactionChart(report.groups, {
      title: t('reports.chart'),
      nps: 'NPS',
      csat: 'CSAT',
      empty: t('reports.conclusion.noResponses'),
    });
  }

  /** A proposal saved with the report it answers, as it stood. */
  async saveProposal(
    q: SatisfactionReportQuery,
    proposal: string,
    locale: PageLocale,
    principal: Principal,
  ): Promise<SnapshotView> {
    const text = proposal.trim();
    if (!text) throw invalid('proposal', 'empty');
    const report = await this.satisfactionReport(q, locale, principal);
    const { actorType, actorId } = actorOf(principal);
    const row: SnapshotRow = {
      id: randomUUID(),
      storeId: report.storeId,
      query: { from: report.from, to: report.to, groupBy: report.groupBy, storeId: report.storeId },
      report: report as unknown as Record<string, unknown>,
      proposal: text,
      createdByType: actorType,
      createdById: actorId,
      createdAt: this.clock.now(),
    };
    await this.db.run((tx) => this.snapshots.insert(tx, row));
    return present(row);
  }

  async proposals(
    q: { limit?: number; cursor?: string },
    principal: Principal,
  ): Promise<{ items: SnapshotView[]; nextCursor: string | null }> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (q.cursor && (!cursor || cursor.length !== 2))
      throw invalid('cursor', 'not a cursor from this list');
    const rows = await this.snapshots.list(this.db.reader, {
      storeId: this.boundStore(principal),
      before: cursor ? { at: String(cursor[0]), id: String(cursor[1]) } : undefined,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(present),
      nextCursor:
        rows.length > limit
          ? encodeCursor([new Date(last.createdAt).toISOString(), last.id])
          : null,
    };
  }

  /** A supervisor tied to a store sees that store only; admins and others see any. */
  private boundStore(principal: Principal): string | null {
    if (principal.kind !== 'staff' || !principal.storeId) return null;
    return principal.roles.includes('admin') ? null : principal.storeId;
  }

  private scope(storeId: string | undefined, principal: Principal): string | null {
    const bound = this.boundStore(principal);
    if (bound && storeId && storeId !== bound) throw storeNotAllowed();
    return bound ?? storeId ?? null;
  }

  private async timeZoneOf(storeId: string | null): Promise<string> {
    if (!storeId) return this.config.REPORTS_TIME_ZONE;
    try {
      return (await this.stores.get(storeId)).timeZone;
    } catch {
      throw storeNotFound();
    }
  }

  private period(from: string, to: string, timeZone: string): Period {
    if (!isDate(from)) throw badPeriod('from', 'not a calendar date');
    if (!isDate(to)) throw badPeriod('to', 'not a calendar date');
    if (to < from) throw badPeriod('to', 'before from');
    const p = period(from, to, timeZone);
    if (p.days > MAX_DAYS) throw badPeriod('to', `more than ${MAX_DAYS} days after from`);
    return p;
  }

  private async groups(groupBy: GroupBy, rows: AggregateRow[]): Promise<ReportGroup[]> {
    return Promise.all(
      rows.map(async (r) => ({
        key: r.key,
        label: await this.label(groupBy, r.key),
        ...figures(r),
      })),
    );
  }

  private async label(groupBy: GroupBy, key: string): Promise<string> {
    if (key && groupBy === 'store') {
      return this.stores.get(key).then(
        (s) => s.name,
        () => key,
      );
    }
    if (key && groupBy === 'agent') {
      return this.staff.get(key).then(
        (s) => s.name,
        () => key,
      );
    }
    return this.satisfaction.labelFor(groupBy, key);
  }
}

/** Groups with something to show: empty keys left out. */
function withCounts(rows: AggregateRow[]): AggregateRow[] {
  return rows.filter((r) => r.responses > 0 || r.invitations > 0);
}

function present(row: SnapshotRow): SnapshotView {
  return {
    id: row.id,
    createdAt: row.createdAt,
    createdBy: { type: row.createdByType, id: row.createdById },
    storeId: row.storeId,
    query: row.query,
    proposal: row.proposal,
    report: row.report as unknown as SatisfactionReport,
  };
}
