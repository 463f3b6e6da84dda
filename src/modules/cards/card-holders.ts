import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EntityManager } from 'typeorm';
import type { MembersService } from '../members';

/** What a wallet pass shows about its holder. */
export interface CardHolder {
  name: string;
  tier: string | null;
  locale: 'es' | 'en';
  /** Available points. */
  balance: number;
}

/**
 * The one place where the cards module reads other modules' data for wallet passes: the
 * member's name, tier and locale (members) and the points balance (ledger).
 *
 * Members depends on cards (enrolment issues the card), so MembersService is looked up lazily
 * at first use instead of being injected, which would make the two modules import each other.
 */
@Injectable()
export class CardHolders {
  private members?: MembersService;
  private balanceReader?: (memberId: string, em?: EntityManager) => Promise<number>;
  private tierReader?: (memberId: string, em?: EntityManager) => Promise<string | null>;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** The ledger (or anyone) tells how to read a member's balance; 0 until then. */
  useBalanceReader(reader: (memberId: string, em?: EntityManager) => Promise<number>): void {
    this.balanceReader = reader;
  }

  /** The tiers programme (promotions) tells the member's current tier; else members.tier. */
  useTierReader(reader: (memberId: string, em?: EntityManager) => Promise<string | null>): void {
    this.tierReader = reader;
  }

  async of(memberId: string, em?: EntityManager): Promise<CardHolder> {
    const [member, balance, tier] = await Promise.all([
      this.membersService().get(memberId, em),
      this.balanceReader ? this.balanceReader(memberId, em) : Promise.resolve(0),
      this.tierReader ? this.tierReader(memberId, em) : Promise.resolve(null),
    ]);
    const name = [member.firstName, member.lastName].filter(Boolean).join(' ');
    return {
      name: member.status === 'erased' ? '' : name,
      tier: tier ?? member.tier,
      locale: member.locale === 'en' ? 'en' : 'es',
      balance,
    };
  }

  private membersService(): MembersService {
    if (!this.members) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require('../members') as typeof import('../members');
      this.members = this.moduleRef.get(exported.MembersService, { strict: false });
    }
    return this.members;
  }
}
