import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Clock, MemberPrincipal, StaffPrincipal } from '../../common';
import { AppConfig } from '../../config';
import { AuditService } from '../audit';
import {
  EnrolMemberDto,
  MembersError,
  MembersErrorCode,
  MembersService,
  RequestActor,
} from '../members';
import { MessagingService } from '../messaging';
import { AuthError, AuthErrorCode, badCredentials } from './auth.errors';
import { MemberLoginCode } from './member-login-code.entity';
import { newLoginCode, safeEqualHex, sha256, verifyPassword } from './secrets';
import { AuthorityService } from './authority.service';
import { FailureWindow } from './failure-window';
import { StaffService } from './staff.service';
import { TransactionRunner } from '../../database';

export interface TokenPayload {
  sub: string;
  kind: 'staff' | 'member';
  roles?: string[];
  storeId?: string | null;
  /** Staff: the version of the user's credentials when the token was issued. */
  ver?: number;
}

const CODE_TTL_MS = 10 * 60_000;
/** Guesses per member within LIMIT_WINDOW_MS, over all the codes sent in it (issue 13). */
const CODE_MAX_ATTEMPTS = 5;
/** The window of the per-account limits: sign-in failures, codes sent, code guesses. */
export const LIMIT_WINDOW_MS = 15 * 60_000;

const tooManyAttempts = () =>
  new AuthError(
    'rate_limited',
    AuthErrorCode.TooManyAttempts,
    'too many failed attempts for this account, try again later',
  );

@Injectable()
export class AuthService {
  /** Failed staff sign-ins per email, whatever the address (issue 13, defect 8). */
  private readonly signInFailures: FailureWindow;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly jwt: JwtService,
    private readonly staff: StaffService,
    private readonly authority: AuthorityService,
    private readonly members: MembersService,
    private readonly messaging: MessagingService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.signInFailures = new FailureWindow(config.SIGN_IN_FAILURES_PER_ACCOUNT, LIMIT_WINDOW_MS);
  }

  /** The staff principal for an email and password, or a 401 that does not say which was wrong. */
  async validateStaff(email: string, password: string): Promise<StaffPrincipal> {
    const account = email.trim().toLowerCase();
    const now = this.clock.now().getTime();
    // Known or not, an email that failed too often is refused alike (no enumeration).
    if (this.signInFailures.blocked(account, now)) throw tooManyAttempts();
    const user = await this.staff.findForLogin(email);
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!user || !ok || !user.active) {
      this.signInFailures.fail(account, now);
      throw badCredentials();
    }
    this.signInFailures.reset(account);
    // The same checks as every later request (a deactivated store's staff cannot sign in).
    const principal = await this.authority
      .staff(user.id, user.tokenVersion)
      .catch(() => Promise.reject(badCredentials()));
    await this.transactions.run((tx) => this.staff.touchLogin(tx, user.id));
    return principal;
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
    const { tokenVersion } = await this.staff.get(principal.userId);
    const payload: TokenPayload = {
      sub: principal.userId,
      kind: 'staff',
      roles: principal.roles,
      storeId: principal.storeId,
      ver: tokenVersion,
    };
    const accessToken = await this.jwt.signAsync(payload, {
      expiresIn: this.config.JWT_TTL_SECONDS,
    });
    await this.transactions.run((tx) =>
      this.audit.log(tx, {
        principal,
        action: 'auth.login',
        entity: 'staff_user',
        entityId: principal.userId,
      }),
    );
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
    await this.issueCode(member, 'member-login-code', {});
  }

  /**
   * Self-service enrolment that tells a stranger nothing (issue 13, defect 9): whether the email
   * is new or already enrolled, the answer is the same "check your email". A new member gets a
   * welcome with their card number and a sign-in code; the owner of an existing email gets a
   * sign-in code and a note that no second card was made. Bad input still answers 400.
   */
  async enrolPublicly(dto: EnrolMemberDto, actor: RequestActor): Promise<void> {
    try {
      const { member, card } = await this.members.enrol(dto, { ...actor, channel: 'web' });
      await this.issueCode(member, 'member-welcome', {
        firstName: member.firstName,
        cardNumber: card.number,
      });
    } catch (err) {
      if (!(err instanceof MembersError && err.code === (MembersErrorCode.EmailTaken as string)))
        throw err;
      const owner = dto.email ? await this.members.findByEmail(dto.email) : null;
      if (owner?.email) await this.issueCode(owner, 'member-already-enrolled', {});
    }
  }

  /** A new one-time code by email (it replaces any earlier one), within the per-window limit. */
  private async issueCode(
    member: { id: string; email: string | null; locale: string },
    template: 'member-login-code' | 'member-welcome' | 'member-already-enrolled',
    payload: Record<string, unknown>,
  ): Promise<void> {
    const code = newLoginCode();
    await this.transactions.run(async (em) => {
      // At most MEMBER_CODES_PER_WINDOW codes per window; beyond, the same answer and no email.
      const [{ sent }]: { sent: number }[] = await em.query(
        `SELECT count(*)::int AS sent FROM member_login_codes WHERE member_id = $1 AND created_at > $2`,
        [member.id, new Date(this.clock.now().getTime() - LIMIT_WINDOW_MS)],
      );
      if (sent >= this.config.MEMBER_CODES_PER_WINDOW) return;
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
        createdAt: this.clock.now(),
      });
      await this.messaging.enqueue(em, {
        channel: 'email',
        recipient: member.email!,
        template,
        locale: member.locale,
        payload: { ...payload, code },
        memberId: member.id,
      });
    });
  }

  /** Exchanges a valid, unexpired, unused code for a member session token. */
  async verifyMemberCode(email: string, code: string) {
    const bad = () => new AuthError('unauthorized', AuthErrorCode.BadCode, 'wrong or expired code');
    const member = await this.members.findByEmail(email);
    if (!member) throw bad();
    const principal = await this.transactions.run(async (em) => {
      const current = await em.findOne(MemberLoginCode, {
        where: { memberId: member.id, consumedAt: IsNull() },
        order: { createdAt: 'DESC' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current || current.expiresAt <= this.clock.now()) return null;
      // The guesses of every code sent in the window count: a new code restores none.
      const [{ used }]: { used: number }[] = await em.query(
        `SELECT coalesce(sum(attempts), 0)::int AS used FROM member_login_codes
          WHERE member_id = $1 AND created_at > $2`,
        [member.id, new Date(this.clock.now().getTime() - LIMIT_WINDOW_MS)],
      );
      if (used >= CODE_MAX_ATTEMPTS) return null;
      if (!safeEqualHex(current.codeHash, sha256(`${member.id}:${code}`))) {
        current.attempts += 1;
        if (used + 1 >= CODE_MAX_ATTEMPTS) current.consumedAt = this.clock.now();
        await em.save(current);
        return null;
      }
      current.consumedAt = this.clock.now();
      await em.save(current);
      const p: MemberPrincipal = { kind: 'member', memberId: member.id, roles: [] };
      await this.audit.log(em, {
        principal: p,
        action: 'auth.member_login',
        entity: 'member',
        entityId: member.id,
        memberId: member.id,
      });
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
