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

/**
 * A customer known only by an email or a phone, not a member: a till contact who left them for
 * follow-up, someone who filed a complaint without signing in, a message's recipient. The email
 * is compared case-insensitively, the phone in E.164 form (+34600111222).
 */
export interface ContactKey {
  email: string | null;
  phone: string | null;
}

/**
 * What a module holds about a contact (no member id to go by), for export and erasure by
 * `/api/contacts/*`. Registered beside the member contributor, under its own category.
 */
export interface ContactDataContributor {
  category: string;
  export(reader: EntityManager, contact: ContactKey): Promise<unknown>;
  /** As a member's erasure: contact data and free texts go, figures stay. Counts what it changed. */
  erase(tx: EntityManager, contact: ContactKey): Promise<{ erased: number } & ErasureNote>;
}

@Injectable()
export class PersonalDataRegistry {
  private readonly contributors = new Map<string, PersonalDataContributor>();
  private readonly contactContributors = new Map<string, ContactDataContributor>();

  registerContact(contributor: ContactDataContributor): void {
    this.contactContributors.set(contributor.category, contributor);
  }

  /** Every module's contact contributor, in registration order. */
  forContacts(): ContactDataContributor[] {
    return [...this.contactContributors.values()];
  }

  register(contributor: PersonalDataContributor): void {
    this.contributors.set(contributor.category, contributor);
  }

  all(): PersonalDataContributor[] {
    return [...this.contributors.values()];
  }
}
