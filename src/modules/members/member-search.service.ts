import { Injectable } from '@nestjs/common';
import { DEFAULT_LIMIT, encodeCursor, Page } from '../../common';
import { TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { SearchMembersQuery } from './dto/search-members.dto';
import { MemberSearchRepository } from './member-search.repository';
import { auditBase, cursorValues, RequestActor } from './request-actor';

export interface MemberSearchItem {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  tier: string | null;
  createdAt: string;
  card: { number: string; status: string } | null;
}

/** Staff search over members; each search is audited with the ids it showed. */
@Injectable()
export class MemberSearchService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: MemberSearchRepository,
    private readonly audit: AuditService,
  ) {}

  async search(query: SearchMembersQuery, actor: RequestActor): Promise<Page<MemberSearchItem>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.repo.search(
      this.tx.reader,
      query.q,
      cursorValues(query.cursor, 2),
      limit,
    );
    const items = rows.slice(0, limit);
    await this.tx.run((tx) =>
      this.audit.log(tx, {
        ...auditBase(actor, null),
        action: 'member.search',
        entity: 'member',
        details: { results: items.length, memberIds: items.map((r) => r.id) },
      }),
    );
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({
        id: r.id,
        firstName: r.first_name,
        lastName: r.last_name,
        email: r.email,
        phone: r.phone,
        locale: r.locale,
        tier: r.tier,
        createdAt: r.cursor_at,
        card: r.card_number ? { number: r.card_number, status: r.card_status! } : null,
      })),
      nextCursor: rows.length > limit ? encodeCursor([last.cursor_at, last.id]) : null,
      limit,
    };
  }

  /** The search's plan with sequential scans discouraged (the index test reads it). */
  explainSearch(q: string): Promise<string> {
    return this.tx.run((tx) => this.repo.explain(tx, q, DEFAULT_LIMIT));
  }
}
