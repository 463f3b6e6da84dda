import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { decodeCursor, invalid } from '../../common';
import type { Principal } from '../../common';

/** Who is asking and from where: what the audit log records beside each read or change. */
export interface RequestActor {
  principal?: Principal;
  ip?: string;
  requestId?: string;
}

export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestActor => {
  const req = ctx.switchToHttp().getRequest<{ user?: Principal; ip?: string; id?: unknown }>();
  return {
    principal: req.user,
    ip: req.ip,
    requestId: typeof req.id === 'string' ? req.id : undefined,
  };
});

/** The audit entry's who, where and about whom, for a member's data. */
export function auditBase(actor: RequestActor, memberId: string | null) {
  return {
    principal: actor.principal,
    ip: actor.ip,
    requestId: actor.requestId,
    entityId: memberId,
    memberId,
  };
}

/** A keyset cursor of `size` values, or a 400 naming `cursor`. */
export function cursorValues(cursor: string | undefined, size: number) {
  if (cursor === undefined) return undefined;
  const values = decodeCursor(cursor);
  if (!values || values.length !== size) throw invalid('cursor', 'is not a cursor from this list');
  return values;
}
