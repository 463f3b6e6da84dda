import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingService } from './messaging.service';
import { OutboxMessage } from './outbox-message.entity';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [MessagingService],
  exports: [MessagingService],
})
export class MessagingModule {}
