import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { keyInvalid, keyRequired } from './idempotency.errors';
import { IdempotentResponse } from './idempotency.service';
import { isValidKey } from './request-hash';

const readKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const value = ctx.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  if (value === undefined || value === '') throw keyRequired();
  if (typeof value !== 'string' || !isValidKey(value)) throw keyInvalid();
  return value;
});

/** The required `Idempotency-Key` header (missing: 400), documented in OpenAPI. */
export const IdempotencyKeyHeader = (): ParameterDecorator => readKey();

/** Method decorator documenting the header. */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description:
        'A unique value per operation (e.g. a UUID the till keeps until it gets an answer). ' +
        'A replay returns the first response byte for byte; another body with the same key is a 422.',
    }),
  );

/** Sends a stored (or first) response exactly; `Idempotent-Replayed: true` marks a replay. */
export function sendIdempotent(reply: FastifyReply, response: IdempotentResponse): void {
  // The stored text goes out as it is (a string is not serialized again).
  void reply
    .status(response.status)
    .header('Idempotent-Replayed', String(response.replayed))
    .type('application/json; charset=utf-8')
    .send(response.body);
}
