export { MessagingModule } from './messaging.module';
export { MessagingService } from './messaging.service';
export type { OutgoingMessage, MessageView } from './messaging.service';
export type { DispatchResult } from './outbox-dispatcher.service';
export type { SmsLength, SmsEncoding } from './sms-segments';
export type { MessagePurpose, OutboxChannel, OutboxStatus } from './outbox-message.entity';
