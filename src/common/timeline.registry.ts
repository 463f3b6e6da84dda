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
  /** Optional extra facts (amounts, scores, statuses). */
  data?: Record<string, unknown>;
}

export interface TimelineQuery {
  memberId: string;
  /** Only these kinds (a contributor may skip itself when none of its kinds is asked). */
  kinds?: string[];
  from?: Date;
  to?: Date;
  /** Keyset: entries strictly older than (at, id) in the order (at DESC, id DESC). */
  before?: { at: Date; id: string };
  /** At most this many entries from each contributor. */
  limit: number;
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
