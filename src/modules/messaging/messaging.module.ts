import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { MembersModule } from '../members';
import { MessageRenderer } from './message-renderer';
import { MessagingContributors } from './messaging.contributors';
import { MessagingController } from './messaging.controller';
import { MessagingService } from './messaging.service';
import { OptOutPagesController } from './opt-out-pages.controller';
import { OptOutService } from './opt-out.service';
import { OutboxDispatcher } from './outbox-dispatcher.service';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRepository } from './outbox.repository';
import { EmailTransport } from './transports/email.transport';
import { SmsTransport } from './transports/sms.transport';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage]), AuditModule, MembersModule],
  controllers: [MessagingController, OptOutPagesController],
  providers: [
    MessagingService,
    OutboxRepository,
    OutboxDispatcher,
    MessageRenderer,
    EmailTransport,
    SmsTransport,
    OptOutService,
    MessagingContributors,
  ],
  exports: [MessagingService, OutboxDispatcher],
})
export class MessagingModule {}
