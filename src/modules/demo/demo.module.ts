import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { CheckoutModule } from '../checkout';
import { MembersModule } from '../members';
import { PromotionsModule } from '../promotions';
import { StoresModule } from '../stores';
import { DemoService } from './demo.service';

@Module({
  imports: [StoresModule, AuthModule, MembersModule, CheckoutModule, PromotionsModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
