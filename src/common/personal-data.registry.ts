import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * What each module holds about a member, for GDPR access (export) and erasure. Modules register
 * a contributor at start (onModuleInit); the members module walks them all, so it needs no
 * dependency on the modules that hold the data.
 */
export interface PersonalDataContributor {
  /** Category name in the export, e.g. 'points', 'purchases', 'cases'. */
  category: string;
  export(reader: EntityManager, memberId: string): Promise<unknown>;
  /**
   * Removes personal data (names, contact data, free texts the member wrote) while keeping
   * ledger sums, purchase totals and report figures. Runs in the erasure's transaction. May
   * answer what it had to keep and why (e.g. documents under a legal hold).
   */
  erase?(tx: EntityManager, memberId: string): Promise<void | ErasureNote>;
}

/** What a contributor kept on erasure, named in the erasure's answer. */
export interface ErasureNote {
  retained?: Array<{ what: string; count: number; reason: string }>;
}

@Injectable()
export class PersonalDataRegistry {
  private readonly contributors = new Map<string, PersonalDataContributor>();

  register(contributor: PersonalDataContributor): void {
    this.contributors.set(contributor.category, contributor);
  }

  all(): PersonalDataContributor[] {
    return [...this.contributors.values()];
  }
}
