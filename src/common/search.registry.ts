import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from './auth';

export type SearchKind = 'member' | 'case' | 'document' | 'article';

export interface SearchHit {
  kind: SearchKind;
  id: string;
  title: string;
  /** What matched, with the matching part between «» (plain text, no HTML). */
  match: string;
  /** Higher is better; exact identifiers (card, registry numbers) rank above text matches. */
  rank: number;
  /** Extra facts for the picker (e.g. memberId of a case, status). Never more than staff may see. */
  data?: Record<string, unknown>;
}

/** Each module searches its own tables; the CRM's `/api/search` merges and groups them. */
export interface SearchProvider {
  kind: SearchKind;
  search(
    reader: EntityManager,
    q: string,
    options: { limit: number; principal: Principal },
  ): Promise<SearchHit[]>;
}

@Injectable()
export class SearchRegistry {
  private readonly providers = new Map<SearchKind, SearchProvider>();

  register(provider: SearchProvider): void {
    this.providers.set(provider.kind, provider);
  }

  all(): SearchProvider[] {
    return [...this.providers.values()];
  }
}
