export { CasesModule } from './cases.module';
export { CasesService } from './cases.service';
export type { NewCaseInput, CreatedCase, CaseListQuery } from './cases.service';
export type { CaseView, CaseEventView } from './case-presenter';
export { SlaService } from './sla.service';
export type { CasesSettings } from './sla.service';
export { DocumentsService } from './documents/documents.service';
export type { DocumentView } from './documents/documents.service';
export { CASE_KINDS, CASE_CHANNELS, CASE_STATUSES } from './case-rules';
export type { CaseKind, CaseChannel, CaseStatus } from './case-rules';
export { CasesError, CasesErrorCode } from './cases.errors';
// The documents store, for files other modules keep (the knowledge base's brochures).
export { readUpload } from './multipart-upload';
export type { MultipartUpload } from './multipart-upload';
export type { UploadedFile } from './documents/documents.service';
export { DOCUMENT_TYPES } from './file-sniff';
export type { DocumentContentType } from './file-sniff';
