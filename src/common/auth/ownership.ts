import { notFound } from '../errors';
import type { Principal } from './principal';

/**
 * A member may touch only their own records. Staff passed the role check already. Another
 * member's id answers 404, so ids cannot be probed.
 */
export function assertCanAccessMember(principal: Principal, memberId: string): void {
  if (principal.kind === 'member' && principal.memberId !== memberId) throw notFound('member');
}
