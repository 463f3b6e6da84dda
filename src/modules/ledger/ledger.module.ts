import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { IdempotencyModule } from '../idempotency';
import { MembersModule } from '../members';
import { SettingsModule } from '../settings';
import { LedgerCheckService } from './ledger-check.service';
import { LedgerEntry } from './ledger-entry.entity';
import { LedgerScheduler } from './ledger.scheduler';
import { LedgerJobsService } from './ledger-jobs.service';
import { LedgerPostings } from './ledger-postings';
import { LedgerQueriesService } from './ledger-queries.service';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { LedgerTimelineContributor } from './ledger-timeline.contributor';
import { PointAccount } from './point-account.entity';
import { PointLot } from './point-lot.entity';
import { PointsController } from './points.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([PointAccount, LedgerEntry, PointLot]),
    AuditModule,
    IdempotencyModule,
    MembersModule,
    SettingsModule,
  ],
  controllers: [PointsController],
  providers: [
    LedgerRepository,
    LedgerPostings,
    LedgerService,
    LedgerQueriesService,
    LedgerJobsService,
    LedgerCheckService,
    LedgerScheduler,
    LedgerTimelineContributor,
  ],
  exports: [LedgerService, LedgerQueriesService, LedgerJobsService, LedgerCheckService],
})
export class LedgerModule {}
