export { ContactsModule } from './contacts.module';
export { ContactPrivacyService } from './contacts.service';
export type { ContactErasureResult } from './contacts.service';
export { ContactsError, ContactsErrorCode } from './contacts.errors';
