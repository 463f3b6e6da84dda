import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ContactsController } from './contacts.controller';
import { ContactPrivacyService } from './contacts.service';

/** Export and erasure for contacts (customers known by email or phone, not members). */
@Module({
  imports: [AuditModule],
  controllers: [ContactsController],
  providers: [ContactPrivacyService],
  exports: [ContactPrivacyService],
})
export class ContactsModule {}
