import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Clock, MemberPrincipal, StaffPrincipal } from '../../common';
import { AppConfig } from '../../config';
import { AuditService } from '../audit';
import { MembersService } from '../members';
import { MessagingService } from '../messaging';
import { AuthError, AuthErrorCode, badCredentials } from './auth.errors';
import { MemberLoginCode } from './member-login-code.entity';
import { newLoginCode, safeEqualHex, sha256, verifyPassword } from './secrets';
import { StaffService } from './staff.service';

export interface TokenPayload {
  sub: string;
  kind: 'staff' | 'member';
  roles?: string[];
  storeId?: string | null;
}

const CODE_TTL_MS = 10 * 60_000;
const CODE_MAX_ATTEMPTS = 5;

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly staff: StaffService,
    private readonly members: MembersService,
    private readonly messaging: MessagingService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The staff principal for an email and password, or a 401 that does not say which was wrong. */
  async validateStaff(email: string, password: string): Promise<StaffPrincipal> {
    const user = await this.staff.findForLogin(email);
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!user || !ok || !user.active) throw badCredentials();
    await this.staff.touchLogin(user.id);
    return { kind: 'staff', userId: user.id, roles: user.roles, storeId: user.storeId };
  }

  /**
   * A fresh token for a signed-in staff user, with the roles and store they have now: the till
   * renews its session before it expires instead of losing the sale to a sign-in page.
   */
  async refreshStaffToken(principal: StaffPrincipal) {
    const user = await this.staff.get(principal.userId).catch(() => null);
    if (!user || !user.active) throw badCredentials();
    return this.issueStaffToken({
      kind: 'staff',
      userId: user.id,
      roles: user.roles,
      storeId: user.storeId,
    });
  }

  async issueStaffToken(principal: StaffPrincipal) {
    const payload: TokenPayload = {
      sub: principal.userId,
      kind: 'staff',
      roles: principal.roles,
      storeId: principal.storeId,
    };
    const accessToken = await this.jwt.signAsync(payload, {
      expiresIn: this.config.JWT_TTL_SECONDS,
    });
    await this.audit.record({
      principal,
      action: 'auth.login',
      entity: 'staff_user',
      entityId: principal.userId,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_TTL_SECONDS,
      roles: principal.roles,
      userId: principal.userId,
    };
  }

  /**
   * Sends a one-time sign-in code by email (through the outbox). Answers the same whether or
   * not the email belongs to a member, so it cannot be used to find out who is enrolled.
   */
  async requestMemberCode(email: string): Promise<void> {
    const member = await this.members.findByEmail(email);
    if (!member?.email) return;
    const code = newLoginCode();
    await this.dataSource.transaction(async (em) => {
      // A new code replaces any earlier one.
      await em.update(
        MemberLoginCode,
        { memberId: member.id, consumedAt: IsNull() },
        { consumedAt: this.clock.now() },
      );
      await em.insert(MemberLoginCode, {
        memberId: member.id,
        codeHash: sha256(`${member.id}:${code}`),
        expiresAt: new Date(this.clock.now().getTime() + CODE_TTL_MS),
      });
      await this.messaging.enqueue(em, {
        channel: 'email',
        recipient: member.email!,
        template: 'member-login-code',
        locale: member.locale,
        payload: { code },
        memberId: member.id,
      });
    });
  }

  /** Exchanges a valid, unexpired, unused code for a member session token. */
  async verifyMemberCode(email: string, code: string) {
    const bad = () => new AuthError('unauthorized', AuthErrorCode.BadCode, 'wrong or expired code');
    const member = await this.members.findByEmail(email);
    if (!member) throw bad();
    const principal = await this.dataSource.transaction(async (em) => {
      const current = await em.findOne(MemberLoginCode, {
        where: { memberId: member.id, consumedAt: IsNull() },
        order: { createdAt: 'DESC' },
        lock: { mode: 'pessimistic_write' },
      });
      if (
        !current ||
        current.expiresAt <= this.clock.now() ||
        current.attempts >= CODE_MAX_ATTEMPTS
      )
        return null;
      if (!safeEqualHex(current.codeHash, sha256(`${member.id}:${code}`))) {
        current.attempts += 1;
        if (current.attempts >= CODE_MAX_ATTEMPTS) current.consumedAt = this.clock.now();
        await em.save(current);
        return null;
      }
      current.consumedAt = this.clock.now();
      await em.save(current);
      const p: MemberPrincipal = { kind: 'member', memberId: member.id, roles: [] };
      await this.audit.record(
        {
          principal: p,
          action: 'auth.member_login',
          entity: 'member',
          entityId: member.id,
          memberId: member.id,
        },
        em,
      );
      return p;
    });
    if (!principal) throw bad();
    return this.issueMemberToken(principal.memberId);
  }

  async issueMemberToken(memberId: string) {
    const payload: TokenPayload = { sub: memberId, kind: 'member' };
    const accessToken = await this.jwt.signAsync(payload, {
      expiresIn: this.config.MEMBER_TOKEN_TTL_SECONDS,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.MEMBER_TOKEN_TTL_SECONDS,
      memberId,
    };
  }
}
