export { IdempotencyModule } from './idempotency.module';
export { IdempotencyService } from './idempotency.service';
export type { IdempotentRequest, IdempotentResponse } from './idempotency.service';
export { IdempotencyKeyHeader, ApiIdempotencyKey, sendIdempotent } from './idempotency.http';
export { IdempotencyError, IdempotencyErrorCode } from './idempotency.errors';
