export * from './errors';
export * from './auth';
export { Clock } from './clock';
export { ttlCache } from './ttl-cache';
export { answerNoSoonerThan } from './answer-floor';
export {
  createValidationPipe,
  flattenValidationErrors,
  validateBody,
  validationFailed,
} from './validation';
export { bodyTooDeep, findBadString, jsonDepthExceeds, MAX_JSON_DEPTH } from './input-guards';
export {
  PageQuery,
  DEFAULT_LIMIT,
  encodeCursor,
  decodeCursor,
  keysetCursor,
  keysetPage,
} from './pagination';
export type { Page } from './pagination';
export { projectRoot, templatesDir } from './paths';
export { HttpExceptionFilter } from './http-exception.filter';
export { UuidParam } from './params';
export { Actor } from './request-actor';
export type { RequestActor } from './request-actor';
export { CommonModule } from './common.module';
export { PageRenderer, pickLocale } from './pages';
export type { PageOptions, PageLocale } from './pages';
export { PersonalDataRegistry } from './personal-data.registry';
export type {
  ContactDataContributor,
  ContactKey,
  ErasureNote,
  PersonalDataContributor,
} from './personal-data.registry';
export { EnrolmentHooks } from './enrolment-hooks.registry';
export type { EnrolmentEvent, EnrolmentHook } from './enrolment-hooks.registry';
export { PurchaseHooks } from './purchase-hooks.registry';
export type { PurchaseEvent, ReturnEvent, PurchaseHook } from './purchase-hooks.registry';
export {
  TimelineRegistry,
  compareTimeline,
  timelineAtSql,
  timelineWindowSql,
  wantsKind,
} from './timeline.registry';
export type { TimelineEntry, TimelineQuery, TimelineContributor } from './timeline.registry';
export { SearchRegistry } from './search.registry';
export type { SearchHit, SearchKind, SearchProvider } from './search.registry';
export { Escalations } from './escalations.registry';
export type {
  EscalationRequest,
  EscalationResult,
  EscalationHandler,
} from './escalations.registry';
export { foldText, highlight, queryWords } from './search-text';
