import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { MembersModule } from '../members';
import { MessagingModule } from '../messaging';
import { StoresModule } from '../stores';
import { CalendarController } from './calendar/calendar.controller';
import { HolidaysRepository } from './calendar/holidays.repository';
import { HolidaysService } from './calendar/holidays.service';
import { CaseFiguresRepository } from './case-figures.repository';
import { CaseFiguresService } from './case-figures.service';
import { CasePeriodFiguresRepository } from './case-period-figures.repository';
import { CasePeriodFiguresService } from './case-period-figures.service';
import { CaseNoticesRepository } from './case-notices.repository';
import { CaseReceiptsService } from './case-receipts.service';
import { CasesPagesController } from './cases-pages.controller';
import { CasesRegistrations } from './cases-registrations';
import { CasesController } from './cases.controller';
import { CaseContacts } from './case-contacts';
import { CasesRepository } from './cases.repository';
import { CasesScheduler } from './cases.scheduler';
import { CasesService } from './cases.service';
import { ComplaintsController } from './complaints.controller';
import { DepartmentsController } from './departments/departments.controller';
import { DepartmentsRepository } from './departments/departments.repository';
import { DepartmentsService } from './departments/departments.service';
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
    DepartmentsController,
    CasesPagesController,
  ],
  providers: [
    CasesRepository,
    CaseNoticesRepository,
    CaseFiguresRepository,
    CaseFiguresService,
    CasePeriodFiguresRepository,
    CasePeriodFiguresService,
    HolidaysRepository,
    DocumentsRepository,
    DepartmentsRepository,
    DepartmentsService,
    SlaService,
    CaseReceiptsService,
    CasesService,
    HolidaysService,
    DocumentsService,
    CasesRegistrations,
    CaseContacts,
    CasesScheduler,
  ],
  exports: [CasesService, CaseFiguresService, DocumentsService, SlaService, DepartmentsService],
})
export class CasesModule {}
