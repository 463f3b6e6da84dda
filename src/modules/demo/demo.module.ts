import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { MembersModule } from '../members';
import { StoresModule } from '../stores';
import { DemoService } from './demo.service';

@Module({
  imports: [StoresModule, AuthModule, MembersModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
