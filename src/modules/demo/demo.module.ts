import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { CheckoutModule } from '../checkout';
import { MembersModule } from '../members';
import { StoresModule } from '../stores';
import { DemoService } from './demo.service';

@Module({
  imports: [StoresModule, AuthModule, MembersModule, CheckoutModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
