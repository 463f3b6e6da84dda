export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
export type { AuditRecord, AuditFilter } from './audit.service';
