import { DomainError } from '../../common';

export enum IdempotencyErrorCode {
  KeyRequired = 'idempotency.key_required',
  KeyInvalid = 'idempotency.key_invalid',
  KeyReused = 'idempotency.key_reused',
  InProgress = 'idempotency.in_progress',
}

export class IdempotencyError extends DomainError {}

export const keyRequired = () =>
  new IdempotencyError(
    'invalid',
    IdempotencyErrorCode.KeyRequired,
    'the Idempotency-Key header is required',
    [{ field: 'Idempotency-Key', reason: 'required: a unique value per operation, e.g. a UUID' }],
  );

export const keyInvalid = () =>
  new IdempotencyError(
    'invalid',
    IdempotencyErrorCode.KeyInvalid,
    'the Idempotency-Key header must be 8 to 255 visible ASCII characters',
    [{ field: 'Idempotency-Key', reason: '8 to 255 visible ASCII characters' }],
  );

export const keyReused = () =>
  new IdempotencyError(
    'unprocessable',
    IdempotencyErrorCode.KeyReused,
    'this Idempotency-Key was already used with a different request',
    [{ field: 'Idempotency-Key', reason: 'already used with a different request body' }],
  );

export const inProgress = () =>
  new IdempotencyError(
    'conflict',
    IdempotencyErrorCode.InProgress,
    'a request with this Idempotency-Key is still being processed; retry shortly',
  );
