import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CardsModule } from '../cards';
import { IdempotencyModule } from '../idempotency';
import { LedgerModule } from '../ledger';
import { MembersModule } from '../members';
import { PromotionsModule } from '../promotions';
import { SettingsModule } from '../settings';
import { CheckoutFiguresService } from './checkout-figures.service';
import { CheckoutPreviewService } from './checkout-preview.service';
import { CheckoutRewards } from './checkout-rewards';
import { CheckoutTicketsRepository } from './checkout-tickets.repository';
import { CheckoutTicketsService } from './checkout-tickets.service';
import { CheckoutController } from './checkout.controller';
import { CheckoutRepository } from './checkout.repository';
import { PurchasesService } from './purchases.service';
import { RedemptionsService } from './redemptions.service';
import { ReturnsService } from './returns.service';
import { ScanService } from './scan.service';
import { TillMembers } from './till';
import { CheckoutTimelineContributor } from './checkout-timeline.contributor';
import { EarnCalculator } from './earn-calculator';
import { PurchaseHistoryService } from './purchase-history.service';
import { PurchaseLine } from './purchase-line.entity';
import { Purchase } from './purchase.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([Purchase, PurchaseLine]),
    CardsModule,
    IdempotencyModule,
    LedgerModule,
    MembersModule,
    PromotionsModule,
    SettingsModule,
  ],
  controllers: [CheckoutController],
  providers: [
    CheckoutRepository,
    TillMembers,
    ScanService,
    PurchasesService,
    RedemptionsService,
    ReturnsService,
    EarnCalculator,
    CheckoutRewards,
    CheckoutPreviewService,
    CheckoutFiguresService,
    CheckoutTicketsService,
    CheckoutTicketsRepository,
    CheckoutTimelineContributor,
    PurchaseHistoryService,
  ],
  exports: [
    ScanService,
    PurchasesService,
    RedemptionsService,
    ReturnsService,
    EarnCalculator,
    PurchaseHistoryService,
  ],
})
export class CheckoutModule {}
