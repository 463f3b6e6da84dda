import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { CheckoutModule } from '../checkout';
import { CrmModule } from '../crm';
import { MembersModule } from '../members';
import { PromotionsModule } from '../promotions';
import { StoresModule } from '../stores';
import { DemoService } from './demo.service';

@Module({
  imports: [StoresModule, AuthModule, MembersModule, CheckoutModule, PromotionsModule, CrmModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
