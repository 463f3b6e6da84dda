import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../common';
import { MemberTagsService } from '../members';
import { PurchaseAwardsService } from './purchase-awards.service';
import { RewardsService } from './rewards.service';
import { TiersService } from './tiers.service';

/**
 * GDPR access: the member's tier, tags, coupons, stamp cards and points earned by event.
 * Nothing here is free text or contact data, so erasure keeps it (ids and figures only).
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
        tier: await this.tiers.tierOf(memberId, reader),
        tags: await this.tags.tagsOf(memberId, reader),
        coupons: await this.rewards.couponsOf(memberId, undefined, reader),
        stampCards: await this.awards.stampCards(memberId, reader),
        earnings: await this.awards.earnings(reader, memberId),
      }),
    });
  }
}
