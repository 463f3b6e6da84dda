import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { join } from 'node:path';
import { apiLocale, tooManyText, validationText } from './error-text';
import { CommonErrorCode, DomainError, ErrorDetail, STATUS_BY_KIND } from './errors';
import { loadMessages, Messages, PageLocale } from './pages/i18n';
import { templatesDir } from './paths';
import { PG_ERROR, pgCode } from '../database/pg-errors';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: ErrorDetail[];
  /** A 429's wait, as in its Retry-After header. */
  retryAfterSeconds?: number;
  requestId?: string;
}

let errorMessages: Record<PageLocale, Messages> | undefined;
/** The texts of templates/i18n, read once: the API says validation errors and 429s in them. */
function messagesFor(locale: PageLocale): Messages {
  errorMessages ??= loadMessages(join(templatesDir(), 'i18n'));
  return errorMessages[locale];
}

/**
 * The single place that turns any error into the JSON error shape. Unknown errors become a plain
 * 500 with no stack or data in the body; the log keeps the stack (never request bodies).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception);
    body.requestId = typeof req?.id === 'string' ? req.id : undefined;
    if (body.statusCode >= 500) {
      this.logger.error(
        { ...describeError(exception), requestId: body.requestId },
        'unhandled error',
      );
    }
    if (reply.sent || reply.raw.headersSent) return;
    // Also on errors raised before the hook that echoes it (a malformed URL).
    if (body.requestId) reply.header('X-Request-Id', body.requestId);
    if (body.statusCode === 429 && !reply.getHeader('Retry-After'))
      reply.header('Retry-After', '60');
    this.inCallersLanguage(body, req, exception, reply);
    reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  /**
   * The `message` of a validation error (each field's rule in words) and of a 429 (with the
   * wait) in the caller's Accept-Language, Spanish or English (the default); `details` keep the
   * developer English `reason` and add the `constraint` and its `args`.
   */
  private inCallersLanguage(
    body: ErrorBody,
    req: FastifyRequest | undefined,
    exception: unknown,
    reply: FastifyReply,
  ): void {
    const locale = apiLocale(req?.headers?.['accept-language']);
    if (body.statusCode === 429) {
      const seconds = Number(reply.getHeader('Retry-After')) || 60;
      body.retryAfterSeconds = seconds;
      body.message = tooManyText(seconds, messagesFor(locale), locale);
      return;
    }
    const validation =
      exception instanceof DomainError && exception.code === String(CommonErrorCode.Validation);
    if (validation && body.details?.length && body.details.every((d) => d.constraint)) {
      body.message = validationText(body.details, messagesFor(locale), locale);
    }
  }

  private toBody(thrown: unknown): ErrorBody {
    // A body parser's own refusal (too deep) reaches the filter wrapped like Fastify's errors.
    const exception =
      thrown instanceof HttpException && thrown.cause instanceof DomainError
        ? thrown.cause
        : thrown;
    if (exception instanceof DomainError) {
      const statusCode = STATUS_BY_KIND[exception.kind];
      return {
        statusCode,
        error: STATUS_CODES[statusCode] ?? 'Error',
        message: exception.message,
        code: exception.code,
        ...(exception.details?.length ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof ThrottlerException) {
      return {
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'too many attempts, try again later',
      };
    }
    // Fastify's body parsing errors reach the filters as HttpExceptions caused by them.
    const cause = exception instanceof HttpException ? fastifyCode(exception.cause) : undefined;
    if (cause === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      const message = 'request body is not valid JSON';
      return {
        statusCode: 400,
        error: 'Bad Request',
        message,
        details: [{ field: 'body', reason: message }],
      };
    }
    if (cause === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return { statusCode: 413, error: 'Payload Too Large', message: 'request entity too large' };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const raw =
        typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = Array.isArray(raw)
        ? raw.join('; ')
        : typeof raw === 'string'
          ? raw
          : exception.message;
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
    }
    const code = pgCode(exception);
    if (code === PG_ERROR.uniqueViolation) {
      return {
        statusCode: 409,
        error: 'Conflict',
        message: 'a record with these values already exists',
      };
    }
    if (code === PG_ERROR.foreignKeyViolation) {
      // An id in the request names nothing (issue 13): a 400 naming the field, not a 500.
      const field = referencedField(exception);
      return {
        statusCode: 400,
        error: 'Bad Request',
        message: `${field}: no such record`,
        code: CommonErrorCode.UnknownReference,
        details: [{ field, reason: 'no such record' }],
      };
    }
    if (
      code === PG_ERROR.invalidTextRepresentation ||
      code === PG_ERROR.numericOutOfRange ||
      code === PG_ERROR.characterNotInRepertoire ||
      code === PG_ERROR.untranslatableCharacter ||
      code === PG_ERROR.stringDataRightTruncation
    ) {
      return {
        statusCode: 400,
        error: 'Bad Request',
        message: 'a value has the wrong format or is out of range',
      };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: 'something went wrong; the request id identifies it in the logs',
    };
  }
}

/** The request field of a foreign key violation: `Key (store_id)=(…)` → `storeId`. */
function referencedField(err: unknown): string {
  const e = err as { detail?: string; driverError?: { detail?: string } };
  const column = /Key \(([a-z_]+)\)=/.exec(e.driverError?.detail ?? e.detail ?? '')?.[1];
  return column ? column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : 'body';
}

/** The code of a Fastify error (`FST_ERR_…`), if it is one. */
function fastifyCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('FST_') ? code : undefined;
}

/**
 * What the log keeps of an unexpected error: its type, database code and where it was thrown —
 * not its message or stack, which can carry personal data (a duplicate key's email, a query's
 * parameters).
 */
export function describeError(err: unknown): Record<string, unknown> {
  const e = err as {
    name?: unknown;
    stack?: unknown;
    constraint?: unknown;
    driverError?: { constraint?: unknown };
  };
  const frame =
    typeof e?.stack === 'string'
      ? e.stack.split('\n').find((l) => l.trim().startsWith('at '))
      : undefined;
  return {
    error: typeof e?.name === 'string' ? e.name : typeof err,
    pgCode: pgCode(err),
    constraint: e?.driverError?.constraint ?? e?.constraint,
    at: frame?.trim().replace(/^at /, ''),
  };
}
