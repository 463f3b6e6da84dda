import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { MembersModule } from '../members';
import { MessagingModule } from '../messaging';
import { StoresModule } from '../stores';
import { CalendarController } from './calendar/calendar.controller';
import { HolidaysRepository } from './calendar/holidays.repository';
import { HolidaysService } from './calendar/holidays.service';
import { CaseReceiptsService } from './case-receipts.service';
import { CasesPagesController } from './cases-pages.controller';
import { CasesRegistrations } from './cases-registrations';
import { CasesController } from './cases.controller';
import { CaseContacts } from './case-contacts';
import { CasesRepository } from './cases.repository';
import { CasesScheduler } from './cases.scheduler';
import { CasesService } from './cases.service';
import { ComplaintsController } from './complaints.controller';
import { DocumentsController } from './documents/documents.controller';
import { DocumentsRepository } from './documents/documents.repository';
import { DocumentsService } from './documents/documents.service';
import { SlaService } from './sla.service';

@Module({
  imports: [AuditModule, MembersModule, MessagingModule, StoresModule],
  controllers: [
    CasesController,
    ComplaintsController,
    DocumentsController,
    CalendarController,
    CasesPagesController,
  ],
  providers: [
    CasesRepository,
    HolidaysRepository,
    DocumentsRepository,
    SlaService,
    CaseReceiptsService,
    CasesService,
    HolidaysService,
    DocumentsService,
    CasesRegistrations,
    CaseContacts,
    CasesScheduler,
  ],
  exports: [CasesService, DocumentsService, SlaService],
})
export class CasesModule {}
