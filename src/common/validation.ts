import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { CommonError, CommonErrorCode, ErrorDetail } from './errors';
import { findBadString } from './input-guards';

/** Flattens class-validator's tree into `{ field: 'lines.0.quantity', reason }` entries. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [rule, text] of Object.entries(e.constraints ?? {})) {
      out.push({ field, reason: rule === 'whitelistValidation' ? 'unknown field' : text });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

export function validationFailed(details: ErrorDetail[]): CommonError {
  const summary = details
    .slice(0, 5)
    .map((d) => `${d.field}: ${d.reason}`)
    .join('; ');
  return new CommonError(
    'invalid',
    CommonErrorCode.Validation,
    `invalid request: ${summary}`,
    details,
  );
}

const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
};

/**
 * Validates a plain body against a DTO outside the pipe (e.g. in a guard, or each item of a
 * batch); throws the 400, with fields under `prefix` when given.
 */
export async function validateBody<T extends object>(
  cls: new () => T,
  body: unknown,
  prefix = '',
): Promise<T> {
  const bad = findBadString(body);
  if (bad) throw validationFailed([bad]);
  const instance = plainToInstance(cls, body ?? {});
  const errors = await validate(instance, VALIDATOR_OPTIONS);
  if (errors.length) throw validationFailed(flattenValidationErrors(errors, prefix));
  return instance;
}

/**
 * The global pipe, which first refuses control characters and blank strings in every body,
 * query and path parameter (issue 13), whatever the DTO says.
 */
class GuardedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const bad = findBadString(value, metadata.data ?? '');
      if (bad) throw validationFailed([bad]);
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields are rejected, strings become the declared types, every field is named. */
export function createValidationPipe(): ValidationPipe {
  return new GuardedValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
}
