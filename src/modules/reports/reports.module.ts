import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { CasesModule } from '../cases';
import { SatisfactionModule } from '../satisfaction';
import { StoresModule } from '../stores';
import { ReportSnapshotsRepository } from './report-snapshots.repository';
import { ReportsPagesController } from './reports-pages.controller';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [SatisfactionModule, StoresModule, AuthModule, CasesModule],
  controllers: [ReportsController, ReportsPagesController],
  providers: [ReportsService, ReportSnapshotsRepository],
  exports: [ReportsService],
})
export class ReportsModule {}
