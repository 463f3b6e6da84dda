import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CardsModule } from '../cards';
import { IdempotencyModule } from '../idempotency';
import { LedgerModule } from '../ledger';
import { MembersModule } from '../members';
import { PromotionsModule } from '../promotions';
import { CheckoutRewards } from './checkout-rewards';
import { CheckoutController } from './checkout.controller';
import { CheckoutService } from './checkout.service';
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
  ],
  controllers: [CheckoutController],
  providers: [CheckoutService, EarnCalculator, CheckoutRewards, PurchaseHistoryService],
  exports: [CheckoutService, EarnCalculator, PurchaseHistoryService],
})
export class CheckoutModule {}
