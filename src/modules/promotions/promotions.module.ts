import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { CardsModule } from '../cards';
import { LedgerModule } from '../ledger';
import { MembersModule } from '../members';
import { StoresModule } from '../stores';
import { EarningRule } from './earning-rule.entity';
import { EarningService } from './earning.service';
import { EventsController } from './events.controller';
import { MarketingPagesController } from './marketing-pages.controller';
import { Promotion, PromotionVersion } from './promotion.entity';
import { PromotionsController } from './promotions.controller';
import { PromotionsScheduler } from './promotions.scheduler';
import { PromotionEvaluationService } from './promotion-evaluation.service';
import { PromotionsPersonalData } from './promotions-personal-data';
import { PromotionsRepository } from './promotions.repository';
import { PromotionsService } from './promotions.service';
import { PurchaseAwardsRepository } from './purchase-awards.repository';
import { PurchaseAwardsService } from './purchase-awards.service';
import { PromotionsTimelineContributor } from './promotions-timeline.contributor';
import { Reward } from './reward.entity';
import { RewardsController } from './rewards.controller';
import { RewardsService } from './rewards.service';
import { Tier } from './tier.entity';
import { MemberTierController, TiersController } from './tiers.controller';
import { TiersService } from './tiers.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Promotion, PromotionVersion, Tier, Reward, EarningRule]),
    AuditModule,
    CardsModule,
    LedgerModule,
    MembersModule,
    StoresModule,
  ],
  controllers: [
    PromotionsController,
    TiersController,
    MemberTierController,
    RewardsController,
    EventsController,
    MarketingPagesController,
  ],
  providers: [
    PromotionsRepository,
    PurchaseAwardsRepository,
    PromotionsService,
    PromotionEvaluationService,
    PurchaseAwardsService,
    PromotionsPersonalData,
    TiersService,
    RewardsService,
    EarningService,
    PromotionsScheduler,
    PromotionsTimelineContributor,
  ],
  exports: [
    PromotionsService,
    PromotionEvaluationService,
    PurchaseAwardsService,
    TiersService,
    RewardsService,
    EarningService,
  ],
})
export class PromotionsModule {}
