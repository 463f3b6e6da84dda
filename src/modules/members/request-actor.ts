import { decodeCursor, invalid } from '../../common';
import type { RequestActor } from '../../common';

// The decorator and the type live in src/common (any module's controller uses them).
export { Actor } from '../../common';
export type { RequestActor } from '../../common';

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
