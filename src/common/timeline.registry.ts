import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One thing that happened with a customer, as the CRM timeline shows it. */
export interface TimelineEntry {
  /** Unique across the whole timeline and stable, e.g. `purchase:<uuid>`, `ledger:<id>`. */
  id: string;
  /** e.g. enrolment, consent, purchase, return, points, coupon, followup_attempt, survey, case, case_event, document, message, article_sent. */
  kind: string;
  at: Date;
  /** Short text for staff, Spanish and English. */
  title: { es: string; en: string };
  /** Ids to open the source: { purchaseId }, { caseId }, … Never free text. */
  ref: Record<string, unknown>;
  /** Optional extra facts (amounts, scores, statuses). Never free text about the member. */
  data?: Record<string, unknown>;
}

export interface TimelineQuery {
  memberId: string;
  /** Only these kinds (a contributor may skip itself when none of its kinds is asked). */
  kinds?: string[];
  from?: Date;
  to?: Date;
  /**
   * Keyset: entries strictly older than (at, id) in the order (at DESC, id DESC), `at` compared
   * at millisecond precision and ids in byte order (use `timelineWindowSql`).
   */
  before?: { at: Date; id: string };
  /** At most this many entries from each contributor. */
  limit: number;
  /**
   * Who reads: `staff` (the CRM) or the `member` themself (`/api/me/timeline`), so a contributor
   * can leave out what is internal (e.g. staff notes). Absent means staff.
   */
  audience?: 'staff' | 'member';
}

/**
 * Each module contributes its own entries to the member's timeline (the CRM merges them), so the
 * CRM reads no other module's tables. A contributor answers newest first, at most `limit`, all
 * of them older than `before` in (at DESC, id DESC) order.
 */
export interface TimelineContributor {
  /** Unique name of the contributor, e.g. 'checkout'. */
  name: string;
  kinds: string[];
  entries(reader: EntityManager, query: TimelineQuery): Promise<TimelineEntry[]>;
}

/** Does the query ask for this kind (no `kinds` = all)? Lets a contributor skip a statement. */
export function wantsKind(query: TimelineQuery, kind: string): boolean {
  return !query.kinds || query.kinds.includes(kind);
}

/**
 * `at` as every contributor must compare and return it: truncated to milliseconds, the precision
 * of a JavaScript Date and so of the cursor (a microsecond timestamp would fall between pages).
 */
export const timelineAtSql = (column: string) => `date_trunc('milliseconds', ${column})`;

/**
 * The WHERE fragment (starting with AND) for the query's dates and keyset, given the SQL of the
 * entry's time column and of its id; pushes its values onto `params`. Ids compare in byte order
 * (COLLATE "C"), as `compareTimeline` does in JavaScript, whatever the database's collation.
 */
export function timelineWindowSql(
  query: TimelineQuery,
  atColumn: string,
  idSql: string,
  params: unknown[],
): string {
  const at = timelineAtSql(atColumn);
  const p = (value: unknown) => `$${params.push(value)}`;
  let sql = '';
  if (query.from) sql += ` AND ${atColumn} >= ${p(query.from)}`;
  if (query.to) sql += ` AND ${atColumn} < ${p(query.to)}`;
  if (query.before) {
    const before = p(query.before.at);
    sql += ` AND (${at} < ${before} OR (${at} = ${before} AND (${idSql}) COLLATE "C" < ${p(query.before.id)}))`;
  }
  return sql;
}

/** Timeline order: newest first, then id descending in byte order (the keyset's order). */
export function compareTimeline(
  a: Pick<TimelineEntry, 'at' | 'id'>,
  b: Pick<TimelineEntry, 'at' | 'id'>,
): number {
  const byTime = b.at.getTime() - a.at.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

@Injectable()
export class TimelineRegistry {
  private readonly contributors = new Map<string, TimelineContributor>();

  register(contributor: TimelineContributor): void {
    this.contributors.set(contributor.name, contributor);
  }

  all(): TimelineContributor[] {
    return [...this.contributors.values()];
  }
}
