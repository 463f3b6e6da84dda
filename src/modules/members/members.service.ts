import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, EnrolmentHooks, invalid, invalidField, Principal } from '../../common';
import { AppConfig } from '../../config';
import { isUniqueViolation, TransactionRunner, Tx } from '../../database';
import { AuditService } from '../audit';
import { CardRecord, CardsService } from '../cards';
import { ageOn } from './age';
import { ConsentsService } from './consents.service';
import { EnrolMemberDto } from './dto/enrol-member.dto';
import { UpdateMemberDto } from './dto/update-member.dto';
import { EnrolmentChannel, Member } from './member.entity';
import { emailTaken, guardianRequired, memberNotFound, nothingToUpdate } from './members.errors';
import { CurrentConsents, MemberView, presentMember } from './members.presenter';
import { MembersRepository } from './members.repository';
import { toE164 } from './phone';
import { auditBase, RequestActor } from './request-actor';

export interface EnrolResult {
  member: Member;
  card: CardRecord;
}

export interface MemberDetail extends MemberView {
  consents: CurrentConsents;
}

/** What the promotions engine's conditions look at about a member. */
export interface PromotionFacts {
  id: string;
  tier: string | null;
  createdAt: Date;
  birthDate: string | null;
  locale: Member['locale'];
  profilingConsent: boolean;
  /** Marketing tags, sorted. */
  tags: string[];
}

const PROFILE_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'locale',
  'birthDate',
  'guardianName',
] as const;

/**
 * Members: enrolment (with the card and the consents given), the profile and the reads other
 * modules make. Consents, search and the data-protection rights have services of their own.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: MembersRepository,
    private readonly consents: ConsentsService,
    private readonly cards: CardsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly enrolmentHooks: EnrolmentHooks,
  ) {}

  async enrol(
    dto: EnrolMemberDto,
    ctx: { principal?: Principal; channel: EnrolmentChannel; ip?: string; requestId?: string },
  ): Promise<EnrolResult> {
    try {
      return await this.tx.run((tx) => this.enrolIn(tx, dto, ctx));
    } catch (err) {
      if (isUniqueViolation(err, 'members_email_key')) throw emailTaken();
      throw err;
    }
  }

  /**
   * Enrolment in the caller's transaction (a follow-up contact who joins on the phone: the
   * contact's history moves to the member in the same transaction).
   */
  async enrolIn(
    tx: Tx,
    dto: EnrolMemberDto,
    ctx: { principal?: Principal; channel: EnrolmentChannel; ip?: string; requestId?: string },
  ): Promise<EnrolResult> {
    const phone = dto.phone ? toE164(dto.phone) : undefined;
    if (dto.phone && !phone) throw invalidField('phone', 'isPhone', 'must be a valid phone number');
    this.checkAge(dto.birthDate ?? null, dto.guardianName ?? null);
    const member = await this.repo.insert(tx, {
      firstName: dto.firstName.trim(),
      lastName: dto.lastName.trim(),
      email: dto.email.trim(),
      phone: phone ?? null,
      birthDate: dto.birthDate ?? null,
      locale: dto.locale ?? 'es',
      status: 'active',
      enrolmentChannel: ctx.channel,
      enrolmentStoreId:
        dto.storeId ?? (ctx.principal?.kind === 'pos' ? ctx.principal.storeId : null),
      guardianName: dto.guardianName?.trim() ?? null,
    });
    // Self-service: the member records their own consent.
    const recorder: Principal = ctx.principal ?? {
      kind: 'member',
      memberId: member.id,
      roles: [],
    };
    await this.consents.record(tx, member.id, dto.consents, ctx.channel, recorder);
    const card = await this.cards.issue(tx, member.id);
    await this.audit.log(tx, {
      principal: ctx.principal,
      action: 'member.enrol',
      entity: 'member',
      entityId: member.id,
      memberId: member.id,
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { channel: ctx.channel },
    });
    // Enrolment bonus, refer-a-friend (promotions): in this transaction, once per member.
    await this.enrolmentHooks.run(
      { memberId: member.id, referralCode: dto.referralCode ?? null, principal: ctx.principal },
      tx,
    );
    return { member, card };
  }

  /** Under the configured minimum age (LOPDGDD art. 7) a guardian must consent. */
  private checkAge(birthDate: string | null, guardianName: string | null): void {
    if (!birthDate) return;
    const age = ageOn(birthDate, this.clock.now());
    if (age < 0 || age > 120) throw invalid('birthDate', 'must be a plausible birth date');
    if (age < this.config.MEMBER_MIN_AGE && !guardianName) {
      throw guardianRequired(this.config.MEMBER_MIN_AGE);
    }
  }

  /** An active (not erased) member; erased members cannot be found. */
  async get(reader: EntityManager, id: string): Promise<Member> {
    const member = await this.repo.find(reader, id);
    if (!member || member.status !== 'active') throw memberNotFound();
    return member;
  }

  /**
   * Read path for the till: an active member's name and tier in one plain query (no entity to
   * build); a 404 like `get` otherwise.
   */
  async brief(
    reader: EntityManager,
    id: string,
  ): Promise<Pick<Member, 'id' | 'firstName' | 'lastName' | 'tier' | 'status'>> {
    const row = await this.repo.brief(reader, id);
    if (!row || row.status !== 'active') throw memberNotFound();
    return {
      id: row.id,
      firstName: row.first_name,
      lastName: row.last_name,
      tier: row.tier,
      status: row.status,
    };
  }

  /**
   * Writes the member's tier code (the tiers programme decides it): staff views, search, the
   * till's scan and the wallet pass show it.
   */
  async setTier(tx: Tx, memberId: string, tier: string | null): Promise<void> {
    await this.repo.setTier(tx, memberId, tier, this.clock.now());
  }

  /** The member's tier code (erased members keep theirs), or null. */
  tierOf(reader: EntityManager, memberId: string): Promise<string | null> {
    return this.repo.tierOf(reader, memberId);
  }

  /** A tier's code changed: its members show the new one. */
  async renameTier(tx: Tx, from: string, to: string): Promise<void> {
    await this.repo.renameTier(tx, from, to, this.clock.now());
  }

  /**
   * Active members born on this month and day (any year): ids only, for the birthday bonus.
   * Feb 29 birthdays are the caller's choice (it asks for 2/29 on Feb 28 of common years).
   */
  membersWithBirthdayOn(reader: EntityManager, month: number, day: number): Promise<string[]> {
    return this.repo.withBirthdayOn(reader, month, day);
  }

  /**
   * Read path for the promotions engine at the till: what conditions look at (tier, enrolment,
   * birth date, language, the current `profiling` consent, tags) of an active member, in one
   * prepared statement sent at once (pipelined callers rely on it); a 404 like `get` otherwise.
   */
  async promotionFacts(reader: EntityManager, id: string): Promise<PromotionFacts> {
    const row = await this.repo.promotionFacts(reader, id);
    if (!row || row.status !== 'active') throw memberNotFound();
    return {
      id: row.id,
      tier: row.tier,
      createdAt: row.created_at,
      birthDate: row.birth_date,
      locale: row.locale,
      profilingConsent: row.profiling === true,
      tags: row.tags,
    };
  }

  /** Profile, card and current consents; the read is audited. */
  async read(id: string, actor: RequestActor): Promise<MemberDetail> {
    const member = await this.get(this.tx.reader, id);
    const card = await this.cards.activeCardOf(this.tx.reader, id);
    const consents = await this.consents.current(this.tx.reader, id);
    await this.tx.run((tx) =>
      this.audit.log(tx, { ...auditBase(actor, id), action: 'member.read', entity: 'member' }),
    );
    return { ...presentMember(member, card), consents };
  }

  findByEmail(email: string): Promise<Member | null> {
    return this.repo.findActiveByEmail(this.tx.reader, email);
  }

  /** Changes profile fields; `null` clears optional ones. The audit names fields, not values. */
  async update(id: string, dto: UpdateMemberDto, actor: RequestActor): Promise<MemberDetail> {
    const given = PROFILE_FIELDS.filter((f) => dto[f] !== undefined);
    if (!given.length) throw nothingToUpdate();
    let phone: string | null | undefined;
    if (dto.phone !== undefined) {
      phone = dto.phone === null ? null : toE164(dto.phone);
      if (phone === undefined)
        throw invalidField('phone', 'isPhone', 'must be a valid phone number');
    }
    try {
      await this.tx.run(async (tx) => {
        const member = await this.repo.lock(tx, id);
        if (!member || member.status !== 'active') throw memberNotFound();
        const next: Partial<Member> = {
          firstName: dto.firstName?.trim(),
          lastName: dto.lastName?.trim(),
          email: dto.email?.trim(),
          phone,
          locale: dto.locale,
          birthDate: dto.birthDate,
          guardianName: dto.guardianName === null ? null : dto.guardianName?.trim(),
        };
        const changes: Partial<Member> = {};
        for (const field of PROFILE_FIELDS) {
          const value = next[field];
          if (value !== undefined && value !== member[field]) {
            (changes as Record<string, unknown>)[field] = value;
          }
        }
        const fields = Object.keys(changes);
        if (!fields.length) return;
        if ('birthDate' in changes || 'guardianName' in changes) {
          this.checkAge(
            changes.birthDate !== undefined ? changes.birthDate : member.birthDate,
            changes.guardianName !== undefined ? changes.guardianName : member.guardianName,
          );
        }
        await this.repo.change(tx, id, changes);
        // The wallet pass shows the name and speaks the member's language.
        if ('firstName' in changes || 'lastName' in changes || 'locale' in changes) {
          await this.cards.passChanged(tx, id);
        }
        await this.audit.log(tx, {
          ...auditBase(actor, id),
          action: 'member.update',
          entity: 'member',
          details: { fields },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err, 'members_email_key')) throw emailTaken();
      throw err;
    }
    const member = await this.get(this.tx.reader, id);
    return {
      ...presentMember(member, await this.cards.activeCardOf(this.tx.reader, id)),
      consents: await this.consents.current(this.tx.reader, id),
    };
  }
}
