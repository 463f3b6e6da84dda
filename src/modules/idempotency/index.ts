export { IdempotencyModule } from './idempotency.module';
export { IdempotencyService, IDEMPOTENCY_RETENTION_DAYS } from './idempotency.service';
export type { IdempotentRequest, IdempotentResponse } from './idempotency.service';
export { IdempotencyKeyHeader, ApiIdempotencyKey, sendIdempotent } from './idempotency.http';
export { requestHash, canonicalJson, isValidKey } from './request-hash';
export { IdempotencyError, IdempotencyErrorCode } from './idempotency.errors';
