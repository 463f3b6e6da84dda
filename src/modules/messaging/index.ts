export { MessagingModule } from './messaging.module';
export { MessagingService, maskEmail, maskPhone } from './messaging.service';
export type { OutgoingMessage, MessageView } from './messaging.service';
export { OutboxDispatcher } from './outbox-dispatcher.service';
export type { DispatchResult } from './outbox-dispatcher.service';
export { smsLength, foldToGsm7, isGsm7 } from './sms-segments';
export type { SmsLength, SmsEncoding } from './sms-segments';
export type { MessagePurpose, OutboxChannel, OutboxStatus } from './outbox-message.entity';
