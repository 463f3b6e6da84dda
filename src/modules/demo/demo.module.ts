import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { CheckoutModule } from '../checkout';
import { CrmModule } from '../crm';
import { FollowupModule } from '../followup';
import { MembersModule } from '../members';
import { PromotionsModule } from '../promotions';
import { StoresModule } from '../stores';
import { DemoService } from './demo.service';

@Module({
  imports: [
    StoresModule,
    AuthModule,
    MembersModule,
    CheckoutModule,
    PromotionsModule,
    CrmModule,
    FollowupModule,
  ],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
