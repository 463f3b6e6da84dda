import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../common';
import { MemberTagsService } from '../members';
import { PurchaseAwardsService } from './purchase-awards.service';
import { RewardsService } from './rewards.service';
import { TiersService } from './tiers.service';

/**
 * GDPR access: the member's tier, tags, coupons, stamp cards and points earned by event.
 * Erasure keeps the figures; integration-supplied event ids can name the member (issue 13), so
 * they are replaced (tags are erased by members, which owns them).
 */
@Injectable()
export class PromotionsPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly tiers: TiersService,
    private readonly tags: MemberTagsService,
    private readonly rewards: RewardsService,
    private readonly awards: PurchaseAwardsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      category: 'loyalty',
      export: async (reader, memberId) => ({
        tier: await this.tiers.tierOf(reader, memberId),
        tags: await this.tags.tagsOf(reader, memberId),
        coupons: await this.rewards.couponsOf(memberId, undefined, reader),
        stampCards: await this.awards.stampCards(reader, memberId),
        earnings: await this.awards.earnings(reader, memberId),
      }),
      erase: (tx, memberId) => this.awards.eraseEventKeys(tx, memberId),
    });
  }
}
