import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LedgerQueriesService } from '../ledger';
import { MembersService } from '../members';

/** What a wallet pass shows about its holder. */
export interface CardHolder {
  name: string;
  tier: string | null;
  locale: 'es' | 'en';
  /** Available points. */
  balance: number;
}

/**
 * What a pass shows about its holder, through the owners' public services: the name, tier and
 * locale (members; the tiers programme writes the tier there) and the points balance (ledger).
 */
@Injectable()
export class CardHolders {
  constructor(
    private readonly members: MembersService,
    private readonly ledger: LedgerQueriesService,
  ) {}

  async of(reader: EntityManager, memberId: string): Promise<CardHolder> {
    const [member, points] = await Promise.all([
      this.members.get(reader, memberId),
      this.ledger.balanceOf(reader, memberId),
    ]);
    const name = [member.firstName, member.lastName].filter(Boolean).join(' ');
    return {
      name: member.status === 'erased' ? '' : name,
      tier: member.tier,
      locale: member.locale === 'en' ? 'en' : 'es',
      balance: points.balance,
    };
  }
}
