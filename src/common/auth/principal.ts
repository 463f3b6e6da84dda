export const STAFF_ROLES = ['admin', 'marketing', 'cashier', 'agent', 'supervisor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** `member` is the customer's own session; `staff` in @Roles means any staff role. */
export type Role = StaffRole | 'member' | 'staff';

export interface StaffPrincipal {
  kind: 'staff';
  userId: string;
  roles: StaffRole[];
  storeId?: string | null;
}

/** A POS terminal authenticated by API key: acts as a cashier of its store. */
export interface PosPrincipal {
  kind: 'pos';
  apiKeyId: string;
  roles: ['cashier'];
  storeId: string;
}

export interface MemberPrincipal {
  kind: 'member';
  memberId: string;
  roles: [];
}

export type Principal = StaffPrincipal | PosPrincipal | MemberPrincipal;

/** How the ledger, audit log and timeline name whoever did something. */
export function actorOf(p: Principal | undefined): { actorType: string; actorId: string | null } {
  if (!p) return { actorType: 'system', actorId: null };
  switch (p.kind) {
    case 'staff':
      return { actorType: 'staff', actorId: p.userId };
    case 'pos':
      return { actorType: 'api_key', actorId: p.apiKeyId };
    case 'member':
      return { actorType: 'member', actorId: p.memberId };
  }
}

export function hasRole(p: Principal, role: Role): boolean {
  if (role === 'member') return p.kind === 'member';
  if (role === 'staff') return p.kind !== 'member';
  return (p.roles as readonly string[]).includes(role);
}
