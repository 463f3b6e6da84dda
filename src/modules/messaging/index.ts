export { MessagingModule } from './messaging.module';
export { MessagingService, maskEmail } from './messaging.service';
export type { OutgoingMessage } from './messaging.service';
