import { Injectable } from '@nestjs/common';
import { hasRole, Principal, SearchHit, SearchKind, SearchRegistry, StaffRole } from '../../common';
import { TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import type { RequestActor } from '../members';
import { kindsNotAllowed, unknownKinds } from './crm.errors';
import { SearchQueryDto } from './dto/search-query.dto';

/**
 * Which staff roles see which kinds in `/api/search`. Cashiers find members (the till's lookup)
 * and articles (opening hours, terms), not cases or documents; marketing sees articles only
 * (no personal data for campaign work); agents, supervisors and admins see everything.
 */
export const SEARCH_ROLES: Record<SearchKind, readonly StaffRole[]> = {
  member: ['cashier', 'agent', 'supervisor', 'admin'],
  case: ['agent', 'supervisor', 'admin'],
  document: ['agent', 'supervisor', 'admin'],
  article: ['cashier', 'agent', 'supervisor', 'admin', 'marketing'],
};

const KIND_ORDER: SearchKind[] = ['member', 'case', 'document', 'article'];

export interface SearchResult {
  q: string;
  items: SearchHit[];
  groups: { kind: SearchKind; items: SearchHit[] }[];
}

/** `/api/search`: asks each allowed provider, ranks all hits, groups them by kind. */
@Injectable()
export class SearchService {
  constructor(
    private readonly registry: SearchRegistry,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
  ) {}

  allowedKinds(principal: Principal): SearchKind[] {
    return KIND_ORDER.filter((k) => SEARCH_ROLES[k].some((role) => hasRole(principal, role)));
  }

  async search(query: SearchQueryDto, actor: RequestActor): Promise<SearchResult> {
    const principal = actor.principal!;
    const q = query.q.trim();
    const limit = query.limit ?? 10;
    const kinds = this.kindsFor(query.kinds, principal);
    const providers = this.registry.all().filter((p) => kinds.includes(p.kind));
    const lists = q
      ? await Promise.all(providers.map((p) => p.search(this.tx.reader, q, { limit, principal })))
      : [];
    const items = lists
      .flatMap((list, i) =>
        list.slice(0, limit).map((hit) => ({ ...hit, kind: providers[i].kind })),
      )
      .sort((a, b) => b.rank - a.rank || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    const groups = KIND_ORDER.filter((k) => kinds.includes(k))
      .map((kind) => ({ kind, items: items.filter((i) => i.kind === kind) }))
      .filter((g) => g.items.length > 0);
    // One row per search: who looked, for which kinds, which members they were shown.
    await this.audit.log(this.tx.reader, {
      principal,
      ip: actor.ip,
      requestId: actor.requestId,
      action: 'search',
      entity: 'search',
      details: {
        kinds,
        results: Object.fromEntries(groups.map((g) => [g.kind, g.items.length])),
        memberIds: items.filter((i) => i.kind === 'member').map((i) => i.id),
      },
    });
    return { q, items, groups };
  }

  private kindsFor(raw: string | undefined, principal: Principal): SearchKind[] {
    const allowed = this.allowedKinds(principal);
    if (!raw) {
      if (!allowed.length) throw kindsNotAllowed(KIND_ORDER);
      return allowed;
    }
    const asked = [...new Set(raw.split(','))];
    const unknown = asked.filter((k) => !KIND_ORDER.includes(k as SearchKind));
    if (unknown.length) throw unknownKinds('kinds', unknown, KIND_ORDER);
    const refused = asked.filter((k) => !allowed.includes(k as SearchKind));
    if (refused.length) throw kindsNotAllowed(refused);
    return asked as SearchKind[];
  }
}
