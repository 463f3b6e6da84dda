import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CardsModule } from '../cards';
import { IdempotencyModule } from '../idempotency';
import { LedgerModule } from '../ledger';
import { MembersModule } from '../members';
import { PromotionsModule } from '../promotions';
import { CheckoutRewards } from './checkout-rewards';
import { CheckoutController } from './checkout.controller';
import { CheckoutRepository } from './checkout.repository';
import { PurchasesService } from './purchases.service';
import { RedemptionsService } from './redemptions.service';
import { ReturnsService } from './returns.service';
import { ScanService } from './scan.service';
import { TillMembers } from './till';
import { EarnCalculator } from './earn-calculator';
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
  ],
  exports: [ScanService, PurchasesService, RedemptionsService, ReturnsService, EarnCalculator],
})
export class CheckoutModule {}
