import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MemberPrincipal, notFound, STAFF_ROLES, StaffPrincipal, StaffRole } from '../../common';
import { MembersService } from '../members';
import { StoresService } from '../stores';
import { AuthError, AuthErrorCode } from './auth.errors';

/**
 * How long a staff account read for a request is reused. A change made through this process
 * (StaffService.update) drops it at once; one made by another process takes effect within this
 * time. Stores come from StoresService's own cache, dropped on every store update.
 */
export const STAFF_AUTHORITY_CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

interface StaffAccount {
  roles: StaffRole[];
  storeId: string | null;
  active: boolean;
  tokenVersion: number;
}

export const sessionRevoked = () =>
  new AuthError(
    'unauthorized',
    AuthErrorCode.SessionRevoked,
    'this session is no longer valid: sign in again',
  );

/**
 * Issue 13, defect 1: what a caller may do comes from its account on each request, not from its
 * token. A staff token names its user and the version of its credentials; roles, store and the
 * active flag are read (briefly cached), and a deactivated store refuses its staff. A member
 * session ends when the member is erased.
 */
@Injectable()
export class AuthorityService {
  private readonly staffCache = new Map<string, { account: StaffAccount | null; until: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stores: StoresService,
    private readonly members: MembersService,
  ) {}

  /** The staff principal for a token's user and credentials version, or a 401. */
  async staff(userId: string, tokenVersion: number): Promise<StaffPrincipal> {
    const account = await this.staffAccount(userId);
    if (!account || !account.active || account.tokenVersion !== tokenVersion)
      throw sessionRevoked();
    if (account.storeId && !(await this.storeActive(account.storeId))) throw sessionRevoked();
    return { kind: 'staff', userId, roles: account.roles, storeId: account.storeId };
  }

  /**
   * The member principal while the member is active; an erased member's session ends, with the
   * 404 that erased members answer everywhere (docs/design.md).
   */
  async member(memberId: string): Promise<MemberPrincipal> {
    const member = await this.members.brief(this.dataSource.manager, memberId).catch(() => null);
    if (!member || member.status !== 'active') throw notFound('member');
    return { kind: 'member', memberId, roles: [] };
  }

  /** Whether a store may act (its staff and keys are refused once it is deactivated). */
  storeActive(storeId: string): Promise<boolean> {
    return this.stores.isActive(storeId);
  }

  /** After a change to a staff account: its next request reads it again. */
  forgetStaff(userId: string): void {
    this.staffCache.delete(userId);
  }

  private async staffAccount(userId: string): Promise<StaffAccount | null> {
    const now = Date.now();
    const hit = this.staffCache.get(userId);
    if (hit && hit.until > now) return hit.account;
    const [row]: {
      roles: string[];
      store_id: string | null;
      active: boolean;
      token_version: number;
    }[] = await this.dataSource.query(
      `SELECT roles, store_id, active, token_version FROM staff_users WHERE id = $1`,
      [userId],
    );
    const account: StaffAccount | null = row
      ? {
          roles: row.roles.filter((r): r is StaffRole =>
            (STAFF_ROLES as readonly string[]).includes(r),
          ),
          storeId: row.store_id,
          active: row.active,
          tokenVersion: row.token_version,
        }
      : null;
    if (this.staffCache.size >= CACHE_MAX) this.staffCache.clear();
    this.staffCache.set(userId, { account, until: now + STAFF_AUTHORITY_CACHE_MS });
    return account;
  }
}
