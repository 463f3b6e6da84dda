import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Clock, invalid, Principal } from '../../common';
import { AppConfig } from '../../config';
import { isUniqueViolation } from '../../database';
import { AuditService } from '../audit';
import { Card, CardsService } from '../cards';
import { ageOn } from './age';
import { Consent, CONSENT_PURPOSES, ConsentPurpose } from './consent.entity';
import { EnrolMemberDto } from './dto/enrol-member.dto';
import { EnrolmentChannel, Member } from './member.entity';
import { memberNotFound, MembersError, MembersErrorCode } from './members.errors';
import { toE164 } from './phone';

/** Version of the consent texts shown at enrolment (templates/pages/join.hbs). */
export const CONSENT_TEXT_VERSION = '2026-11';

export interface EnrolResult {
  member: Member;
  card: Card;
}

@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cards: CardsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async enrol(
    dto: EnrolMemberDto,
    ctx: { principal?: Principal; channel: EnrolmentChannel; ip?: string },
  ): Promise<EnrolResult> {
    const phone = dto.phone ? toE164(dto.phone) : undefined;
    if (dto.phone && !phone) throw invalid('phone', 'must be a valid phone number');
    if (dto.birthDate) {
      const age = ageOn(dto.birthDate, this.clock.now());
      if (age < 0 || age > 120) throw invalid('birthDate', 'must be a plausible birth date');
      if (age < this.config.MEMBER_MIN_AGE && !dto.guardianName) {
        throw new MembersError(
          'invalid',
          MembersErrorCode.GuardianRequired,
          `members under ${this.config.MEMBER_MIN_AGE} need a guardian's consent`,
          [{ field: 'guardianName', reason: `required under ${this.config.MEMBER_MIN_AGE}` }],
        );
      }
    }
    try {
      return await this.dataSource.transaction(async (em) => {
        const member = await em.save(
          em.create(Member, {
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
            guardianName: dto.guardianName ?? null,
          }),
        );
        await this.recordConsents(em, member.id, dto.consents, ctx.channel, ctx.principal);
        const card = await this.cards.issue(member.id, em);
        await this.audit.record(
          {
            principal: ctx.principal,
            action: 'member.enrol',
            entity: 'member',
            entityId: member.id,
            memberId: member.id,
            ip: ctx.ip,
          },
          em,
        );
        return { member, card };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'members_email_key')) {
        throw new MembersError(
          'conflict',
          MembersErrorCode.EmailTaken,
          'this email is already enrolled',
          [{ field: 'email', reason: 'already enrolled' }],
        );
      }
      throw err;
    }
  }

  /** Appends one row per purpose given; purposes not given are not recorded. */
  async recordConsents(
    em: EntityManager,
    memberId: string,
    consents: Partial<Record<ConsentPurpose, boolean>>,
    channel: string,
    principal?: Principal,
  ): Promise<void> {
    const { actorType, actorId } = actorOf(principal);
    const rows = CONSENT_PURPOSES.filter((p) => typeof consents[p] === 'boolean').map((purpose) =>
      em.create(Consent, {
        memberId,
        purpose,
        granted: consents[purpose],
        channel,
        textVersion: CONSENT_TEXT_VERSION,
        recordedByType: actorType,
        recordedById: actorId,
      }),
    );
    if (rows.length) await em.insert(Consent, rows);
  }

  /** The latest consent per purpose (false where never given). */
  async currentConsents(memberId: string, manager: EntityManager = this.dataSource.manager) {
    const rows: { purpose: ConsentPurpose; granted: boolean }[] = await manager.query(
      `SELECT DISTINCT ON (purpose) purpose, granted FROM consents
        WHERE member_id = $1 ORDER BY purpose, id DESC`,
      [memberId],
    );
    const result = Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, false])) as Record<
      ConsentPurpose,
      boolean
    >;
    for (const row of rows) result[row.purpose] = row.granted;
    return result;
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<Member> {
    const member = await manager.findOne(Member, { where: { id } });
    if (!member) throw memberNotFound();
    return member;
  }

  async findByEmail(email: string): Promise<Member | null> {
    return this.dataSource.manager
      .createQueryBuilder(Member, 'm')
      .where('lower(m.email) = lower(:email)', { email: email.trim() })
      .andWhere(`m.status = 'active'`)
      .getOne();
  }
}
