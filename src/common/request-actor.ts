import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from './auth';

/** Who is asking and from where: what the audit log records beside each read or change. */
export interface RequestActor {
  principal?: Principal;
  ip?: string;
  requestId?: string;
}

/** The request's actor (principal, IP, request id), for the audit entries a use case writes. */
export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestActor => {
  const req = ctx.switchToHttp().getRequest<{ user?: Principal; ip?: string; id?: unknown }>();
  return {
    principal: req.user,
    ip: req.ip,
    requestId: typeof req.id === 'string' ? req.id : undefined,
  };
});
