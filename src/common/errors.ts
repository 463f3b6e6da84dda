/**
 * Typed domain errors. Each module declares its own subclass with a code enum; the one
 * exception filter (http-exception.filter.ts) maps the kind to an HTTP status and the JSON shape
 * of DESIGN.md §6.
 */
export type ErrorKind =
  | 'invalid' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'gone' // 410
  | 'too_large' // 413
  | 'unsupported_media' // 415
  | 'unprocessable' // 422
  | 'rate_limited'; // 429

export interface ErrorDetail {
  field: string;
  /** Developer English, for logs and API users. */
  reason: string;
  /**
   * Which rule failed, stable for translation (`maxLength`, `isPhone`, `unknown`…): the pages
   * and the API's `message` say it in the reader's language (`errors.constraint.<constraint>`).
   */
  constraint?: string;
  /** The rule's arguments (`{ max: 80 }`). */
  args?: Record<string, string | number>;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  rate_limited: 429,
};

/** Errors that belong to no single module: validation, auth, generic not found. */
export enum CommonErrorCode {
  Validation = 'common.validation',
  NotFound = 'common.not_found',
  Unauthorized = 'common.unauthorized',
  Forbidden = 'common.forbidden',
  Conflict = 'common.conflict',
  /** Issue 13: a JSON body nested deeper than the parser accepts. */
  BodyTooDeep = 'common.body_too_deep',
  /** Issue 13: an id in the request that names no record. */
  UnknownReference = 'common.unknown_reference',
}

export class CommonError extends DomainError {}

export const invalid = (field: string, reason: string, message = `${field}: ${reason}`) =>
  new CommonError('invalid', CommonErrorCode.Validation, message, [{ field, reason }]);

/** A 400 on one field with the rule that failed, so pages can say why in the reader's language. */
export const invalidField = (
  field: string,
  constraint: string,
  reason: string,
  args?: Record<string, string | number>,
) =>
  new CommonError('invalid', CommonErrorCode.Validation, `${field}: ${reason}`, [
    { field, reason, constraint, ...(args ? { args } : {}) },
  ]);

export const notFound = (what: string) =>
  new CommonError('not_found', CommonErrorCode.NotFound, `${what} not found`);
