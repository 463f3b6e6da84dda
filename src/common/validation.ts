import { ArgumentMetadata, PipeTransform, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidationError } from 'class-validator';
import { CommonError, CommonErrorCode, ErrorDetail } from './errors';
import { findBadString } from './input-guards';
import { rememberRuleLookups } from './rule-lookups';

/**
 * Flattens class-validator's tree into `{ field: 'lines.0.quantity', reason, constraint, args }`
 * entries: `constraint` is the rule's name (`maxLength`; `unknown` for a field the DTO does not
 * declare) and `args` its arguments read from the DTO's metadata (`{ max: 80 }`), so pages and
 * the API's message can give the reason in the reader's language.
 */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [rule, text] of Object.entries(e.constraints ?? {})) {
      if (rule === 'whitelistValidation') {
        out.push({ field, reason: 'unknown field', constraint: 'unknown' });
        continue;
      }
      // A required field that is absent: say it is missing, not the first rule its absence
      // broke (class-validator checks the decorators bottom-up: "at most 200 characters").
      const value = (e.target as Record<string, unknown> | undefined)?.[e.property];
      if (e.target && value == null) {
        // A missing choice still lists the choices.
        const choices = e.constraints?.isIn ?? e.constraints?.isEnum;
        const reason = choices ? `is required: ${choices}` : 'is required';
        out.push({ field, reason, constraint: 'isDefined' });
        break; // one detail for a missing field, not one per rule its absence broke
      }
      const args = constraintArgs(e, rule);
      out.push({ field, reason: text, constraint: rule, ...(args ? { args } : {}) });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** The arguments of the rules whose text needs them, from the decorator's metadata. */
function constraintArgs(
  e: ValidationError,
  rule: string,
): Record<string, string | number> | undefined {
  const target = e.target;
  if (!target || !ARGS[rule]) return undefined;
  const meta = rulesOf(target.constructor).find(
    (m) => m.propertyName === e.property && m.name === rule,
  );
  return meta ? ARGS[rule](meta.constraints ?? []) : undefined;
}

const list = (v: unknown): string =>
  Array.isArray(v)
    ? v.join(', ')
    : v && typeof v === 'object'
      ? Object.values(v as Record<string, unknown>)
          .filter((x) => typeof x === 'string')
          .join(', ')
      : String(v);

/** How each rule's constraints become named arguments (`@MaxLength(80)` → `{ max: 80 }`). */
const ARGS: Record<string, (c: unknown[]) => Record<string, string | number>> = {
  maxLength: (c) => ({ max: Number(c[0]) }),
  minLength: (c) => ({ min: Number(c[0]) }),
  isLength: (c) => ({ min: Number(c[0]), max: Number(c[1]) }),
  min: (c) => ({ min: Number(c[0]) }),
  max: (c) => ({ max: Number(c[0]) }),
  arrayMinSize: (c) => ({ min: Number(c[0]) }),
  arrayMaxSize: (c) => ({ max: Number(c[0]) }),
  isIn: (c) => ({ values: list(c[0]) }),
  isEnum: (c) => ({ values: list(c[1] ?? c[0]) }),
};

/**
 * Every rule declared on a DTO class (and its parents): class-validator's lookup, which the
 * global pipe has made remember its answer per class (rule-lookups.ts).
 */
// class-validator's own parameter type for a class (its metadata is keyed by constructor).
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function rulesOf(ctor: Function) {
  return getMetadataStorage().getTargetValidationMetadatas(ctor, '', true, false);
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
  // The object each error was found in, to read its rule's arguments; never the values.
  validationError: { target: true, value: false },
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
  // A number, string, boolean or array where an object belongs: a 400, not a TypeError.
  if (body != null && (typeof body !== 'object' || Array.isArray(body)))
    throw validationFailed([
      { field: prefix || 'body', reason: 'must be a JSON object', constraint: 'isObject' },
    ]);
  const instance = plainToInstance(cls, body ?? {});
  const errors = await validate(instance, VALIDATOR_OPTIONS);
  if (errors.length) throw validationFailed(flattenValidationErrors(errors, prefix));
  return instance;
}

/**
 * The global pipe, which first refuses control characters and blank strings in every body,
 * query and path parameter (issue 13), whatever the DTO says.
 */
class GuardedValidationPipe implements PipeTransform {
  constructor(private readonly pipe: ValidationPipe) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // Custom decorators (the principal, the idempotency key) are not validated (as in
    // ValidationPipe): answered at once rather than through another promise, on every request.
    if (metadata.type === 'custom') return value;
    const bad = findBadString(value, metadata.data ?? '');
    if (bad) throw validationFailed([bad]);
    return this.pipe.transform(value, metadata);
  }
}

/** Unknown fields are rejected, strings become the declared types, every field is named. */
export function createValidationPipe(): PipeTransform {
  rememberRuleLookups();
  return new GuardedValidationPipe(
    new ValidationPipe({
      ...VALIDATOR_OPTIONS,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
    }),
  );
}
