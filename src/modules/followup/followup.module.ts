import { Module } from '@nestjs/common';
import { CheckoutModule } from '../checkout';
import { IdempotencyModule } from '../idempotency';
import { LedgerModule } from '../ledger';
import { MembersModule } from '../members';
import { MessagingModule } from '../messaging';
import { PromotionsModule } from '../promotions';
import { SatisfactionModule } from '../satisfaction';
import { StoresModule } from '../stores';
import { AgentPagesController } from './agent-pages.controller';
import { FollowupAttemptsService } from './followup-attempts.service';
import { FollowupContactsController } from './followup-contacts.controller';
import { FollowupContactsService } from './followup-contacts.service';
import { FollowupContributions } from './followup-contributions';
import { FollowupDispatcher } from './followup-dispatcher.service';
import { FollowupPlansController } from './followup-plans.controller';
import { FollowupPlansService } from './followup-plans.service';
import { FollowupQueueService } from './followup-queue.service';
import { FollowupTasksService } from './followup-tasks.service';
import { FollowupContactDataRepository } from './followup-contact-data.repository';
import { FollowupRepository } from './followup.repository';
import { FollowupScheduler } from './followup.scheduler';
import { FollowupsController } from './followups.controller';

@Module({
  imports: [
    CheckoutModule,
    IdempotencyModule,
    LedgerModule,
    MembersModule,
    MessagingModule,
    PromotionsModule,
    SatisfactionModule,
    StoresModule,
  ],
  controllers: [
    FollowupPlansController,
    FollowupsController,
    FollowupContactsController,
    AgentPagesController,
  ],
  providers: [
    FollowupRepository,
    FollowupContactDataRepository,
    FollowupPlansService,
    FollowupTasksService,
    FollowupDispatcher,
    FollowupQueueService,
    FollowupAttemptsService,
    FollowupContactsService,
    FollowupContributions,
    FollowupScheduler,
  ],
  exports: [FollowupPlansService, FollowupDispatcher, FollowupQueueService],
})
export class FollowupModule {}
