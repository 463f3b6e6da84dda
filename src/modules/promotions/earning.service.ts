import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Clock, EnrolmentHooks, Principal } from '../../common';
import { isUniqueViolation, TransactionRunner } from '../../database';
import { AppConfig } from '../../config';
import { AuditService } from '../audit';
import { LedgerService } from '../ledger';
import { MembersService } from '../members';
import { StoresService } from '../stores';
import { EarningRule } from './earning-rule.entity';
import { localTime } from './engine';
import { periodKey } from './period';
import { LimitPeriod } from './promotion.entity';
import { PromotionsError, PromotionsErrorCode } from './promotions.errors';
import { PromotionsRepository } from './promotions.repository';
import { referralRefusal } from './referral-rules';
import { refuseNulls } from './rewards.service';
import { TiersService } from './tiers.service';

/** Earning rules the platform itself triggers (other rule codes are custom events). */
export const BUILT_IN_EVENTS = {
  enrolment: 'enrolment',
  birthday: 'birthday',
  survey: 'survey_answered',
  /** Refer-a-friend: the referrer when the friend enrols / makes a first purchase. */
  referralEnrolment: 'referral_enrolment',
  referralFirstPurchase: 'referral_first_purchase',
  /** Refer-a-friend: the friend, on enrolling with a code / on the first purchase. */
  referredEnrolment: 'referred_enrolment',
  referredFirstPurchase: 'referred_first_purchase',
} as const;

/** Where calendar days (birthdays) are counted when no store says otherwise. */
const PROGRAMME_TIME_ZONE = 'Europe/Madrid';

/** Codes the platform uses itself: never a custom rule (`purchase` counts purchases for tiers). */
const RESERVED_CODES = ['purchase', ...Object.values(BUILT_IN_EVENTS)];

// Crockford base32 without I, L, O, U.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newReferralCode = () => {
  const bytes = randomBytes(8);
  let s = '';
  for (const b of bytes) s += CODE_ALPHABET[b & 31];
  return s;
};

export interface EarningResult {
  ruleCode: string;
  eventKey: string;
  points: number;
  /** False when this event had already been counted (idempotent replay). */
  created: boolean;
}

/**
 * Earning without a purchase: each event (rule code + the caller's key) counts once per member,
 * within the rule's per-member limit per period, and goes through the ledger with its reason.
 */
@Injectable()
export class EarningService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly stores: StoresService,
    private readonly tiers: TiersService,
    private readonly audit: AuditService,
    private readonly enrolmentHooks: EnrolmentHooks,
    private readonly config: AppConfig,
    private readonly promotionsRepo: PromotionsRepository,
  ) {}

  /** Every enrolment (till, web, phone): the enrolment bonus and the referral, in its transaction. */
  onModuleInit(): void {
    this.enrolmentHooks.register({
      name: 'promotions.earning',
      afterEnrol: async ({ memberId, referralCode, principal }, em) => {
        await this.enrolmentBonus(em, memberId);
        if (!referralCode) return;
        try {
          await this.referInTransaction(em, memberId, referralCode, principal);
        } catch (err) {
          // At enrolment the code is a field of the enrolment body.
          if (
            err instanceof PromotionsError &&
            err.code === (PromotionsErrorCode.ReferralCodeUnknown as string)
          )
            throw new PromotionsError(
              'invalid',
              PromotionsErrorCode.ReferralCodeUnknown,
              err.message,
              [{ field: 'referralCode', reason: 'no such referral code' }],
            );
          throw err;
        }
      },
    });
  }

  listRules(): Promise<EarningRule[]> {
    return this.dataSource.manager.find(EarningRule, { order: { code: 'ASC' } });
  }

  async saveRule(
    id: string | null,
    dto: Partial<Pick<EarningRule, 'code' | 'nameEs' | 'nameEn' | 'points' | 'active'>> & {
      limit?: { count: number; period: LimitPeriod } | null;
    },
    principal?: Principal,
  ): Promise<EarningRule> {
    return this.transactions.run(async (em) => {
      let rule: EarningRule;
      if (id) {
        const found = await em.findOne(EarningRule, { where: { id } });
        if (!found)
          throw new PromotionsError(
            'not_found',
            PromotionsErrorCode.NotFound,
            'earning rule not found',
          );
        rule = found;
      } else rule = em.create(EarningRule, { active: true, limitCount: null, limitPeriod: null });
      refuseNulls(dto, ['code', 'nameEs', 'nameEn', 'points', 'active']);
      const { limit, ...rest } = dto;
      Object.assign(rule, rest);
      if (rule.code === 'purchase')
        throw new PromotionsError(
          'invalid',
          PromotionsErrorCode.ReservedEventType,
          'reserved code',
          [{ field: 'code', reason: 'reserved by the platform' }],
        );
      if (limit !== undefined) {
        rule.limitCount = limit?.count ?? null;
        rule.limitPeriod = limit?.period ?? null;
      }
      try {
        await em.save(rule);
      } catch (err) {
        if (isUniqueViolation(err))
          throw new PromotionsError(
            'conflict',
            PromotionsErrorCode.EarningRuleCodeTaken,
            'an earning rule has this code',
            [{ field: 'code', reason: 'already used' }],
          );
        throw err;
      }
      await this.audit.log(em, {
        principal,
        action: id ? 'earning_rule.update' : 'earning_rule.create',
        entity: 'earning_rule',
        entityId: rule.id,
      });
      return rule;
    });
  }

  /** `POST /api/events`: a custom event from an integration, in its own transaction. */
  async record(
    input: { memberId: string; type: string; eventId: string; storeId?: string | null },
    principal?: Principal,
  ): Promise<EarningResult> {
    if (RESERVED_CODES.includes(input.type))
      throw new PromotionsError(
        'invalid',
        PromotionsErrorCode.ReservedEventType,
        'this event type is raised by the platform itself',
        [{ field: 'type', reason: 'reserved by the platform' }],
      );
    return this.transactions.run((em) =>
      this.award(
        em,
        {
          memberId: input.memberId,
          ruleCode: input.type,
          eventKey: input.eventId,
          storeId: input.storeId,
        },
        principal,
      ),
    );
  }

  /**
   * Awards the rule's points for one event in the caller's transaction. Unknown or inactive
   * rule: 404 (built-in events quietly give nothing when their rule is missing or inactive).
   */
  async award(
    em: EntityManager,
    input: { memberId: string; ruleCode: string; eventKey: string; storeId?: string | null },
    principal?: Principal,
  ): Promise<EarningResult> {
    const builtIn = (Object.values(BUILT_IN_EVENTS) as string[]).includes(input.ruleCode);
    const rule = await em.findOne(EarningRule, { where: { code: input.ruleCode } });
    const none: EarningResult = {
      ruleCode: input.ruleCode,
      eventKey: input.eventKey,
      points: 0,
      created: false,
    };
    if (!rule || !rule.active) {
      if (builtIn) return none;
      throw new PromotionsError(
        'not_found',
        PromotionsErrorCode.NotFound,
        'no active earning rule for this event type',
        [{ field: 'type', reason: 'unknown event type' }],
      );
    }
    await this.members.get(em, input.memberId);
    const now = this.clock.now();
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO earning_events (member_id, rule_code, event_key, points, created_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT earning_events_once DO NOTHING RETURNING id`,
      [input.memberId, rule.code, input.eventKey, rule.points, now],
    );
    if (!inserted.length) {
      const [prior]: { points: number }[] = await em.query(
        `SELECT points FROM earning_events WHERE member_id = $1 AND rule_code = $2 AND event_key = $3`,
        [input.memberId, rule.code, input.eventKey],
      );
      return { ...none, points: prior?.points ?? 0 };
    }
    if (rule.limitCount && rule.limitPeriod) {
      const tz = input.storeId
        ? (await this.stores.get(input.storeId)).timeZone
        : PROGRAMME_TIME_ZONE;
      const key = periodKey(rule.limitPeriod, localTime(now, tz));
      const took: unknown[] = await em.query(
        `INSERT INTO earning_rule_usages (rule_code, member_id, period_key, uses) VALUES ($1, $2, $3, 1)
         ON CONFLICT (rule_code, member_id, period_key) DO UPDATE
           SET uses = earning_rule_usages.uses + 1 WHERE earning_rule_usages.uses < $4
         RETURNING uses`,
        [rule.code, input.memberId, key, rule.limitCount],
      );
      if (!took.length) {
        if (builtIn) {
          await em.query(`DELETE FROM earning_events WHERE id = $1`, [inserted[0].id]);
          return none;
        }
        throw new PromotionsError(
          'conflict',
          PromotionsErrorCode.EventLimitReached,
          `limit reached: ${rule.limitCount} per ${rule.limitPeriod}`,
          [
            {
              field: 'type',
              reason: `limit of ${rule.limitCount} per ${rule.limitPeriod} reached`,
            },
          ],
        );
      }
    }
    const { actorType, actorId } = actorOf(principal);
    const posted = await this.ledger.earn(
      em,
      { memberId: input.memberId, points: rule.points, promotions: [] },
      {
        actor: { actorType, actorId },
        reason: `${rule.nameEs} / ${rule.nameEn}`,
        storeId: input.storeId ?? null,
        idempotencyKey: `event:${rule.code}:${input.memberId}:${input.eventKey}`.slice(0, 200),
      },
    );
    await em.query(`UPDATE earning_events SET ledger_entry_id = $2 WHERE id = $1`, [
      inserted[0].id,
      posted.entryId,
    ]);
    await this.tiers.upgradeIfQualified(em, input.memberId, now);
    return { ruleCode: rule.code, eventKey: input.eventKey, points: rule.points, created: true };
  }

  /** Enrolment bonus, once per member. */
  enrolmentBonus(em: EntityManager, memberId: string) {
    return this.award(em, { memberId, ruleCode: BUILT_IN_EVENTS.enrolment, eventKey: 'enrolment' });
  }

  /** Birthday bonus, once per member and year. */
  birthdayBonus(em: EntityManager, memberId: string, year: number) {
    return this.award(em, {
      memberId,
      ruleCode: BUILT_IN_EVENTS.birthday,
      eventKey: `birthday:${year}`,
    });
  }

  /**
   * The daily birthday run: every active member whose birthday is `on` (a calendar day in the
   * programme's time zone, today by default) gets the birthday bonus, once per member and year
   * (a second run, or a run for another day of the same year, gives nothing twice). Members born
   * on Feb 29 celebrate on Feb 28 in common years. Each member in its own short transaction.
   */
  async birthdayRun(on?: {
    year: number;
    month: number;
    day: number;
  }): Promise<{ date: string; members: number; awarded: number }> {
    const local = localTime(this.clock.now(), PROGRAMME_TIME_ZONE);
    const { year, month, day } = on ?? { ...local, day: local.dayKey % 100 };
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const rule = await this.dataSource.manager.findOne(EarningRule, {
      where: { code: BUILT_IN_EVENTS.birthday },
    });
    if (!rule?.active) return { date, members: 0, awarded: 0 };
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const ids = await this.members.membersWithBirthdayOn(this.transactions.reader, month, day);
    if (month === 2 && day === 28 && !leap)
      ids.push(...(await this.members.membersWithBirthdayOn(this.transactions.reader, 2, 29)));
    let awarded = 0;
    for (const id of ids) {
      const r = await this.transactions.run((em) => this.birthdayBonus(em, id, year));
      if (r.created) awarded++;
    }
    return { date, members: ids.length, awarded };
  }

  /** A survey answered, once per survey. */
  surveyAnswered(em: EntityManager, memberId: string, surveyId: string) {
    return this.award(em, {
      memberId,
      ruleCode: BUILT_IN_EVENTS.survey,
      eventKey: `survey:${surveyId}`,
    });
  }

  /** The member's referral code, made on first request. */
  async referralCode(memberId: string): Promise<string> {
    return this.transactions.run(async (em) => {
      await this.members.get(em, memberId);
      for (let attempt = 0; ; attempt++) {
        try {
          await em.query(
            `INSERT INTO referral_codes (member_id, code) VALUES ($1, $2)
             ON CONFLICT (member_id) DO NOTHING`,
            [memberId, newReferralCode()],
          );
          break;
        } catch (err) {
          if (!isUniqueViolation(err, 'referral_codes_code_key') || attempt > 4) throw err;
        }
      }
      const [row]: { code: string }[] = await em.query(
        `SELECT code FROM referral_codes WHERE member_id = $1`,
        [memberId],
      );
      return row.code;
    });
  }

  /**
   * A friend enrolled with a member's referral code: once per friend (never oneself). Rewards
   * the referrer (`referral_enrolment`) and the friend (`referred_enrolment`) when those rules
   * are active; the first purchase rewards are given by `referralFirstPurchase`.
   */
  async recordReferral(friendId: string, code: string, principal?: Principal) {
    return this.transactions.run((em) => this.referInTransaction(em, friendId, code, principal));
  }

  /** `recordReferral` in the caller's transaction (the enrolment's, when enrolling with a code). */
  async referInTransaction(
    em: EntityManager,
    friendId: string,
    code: string,
    principal?: Principal,
  ): Promise<{ referrerPoints: number; friendPoints: number }> {
    const newcomer = await this.members.get(em, friendId);
    const refusal = referralRefusal({
      enrolledAt: newcomer.createdAt,
      now: this.clock.now(),
      windowDays: this.config.REFERRAL_WINDOW_DAYS,
      purchases: await this.promotionsRepo.purchaseCount(em, friendId),
    });
    if (refusal)
      throw new PromotionsError(
        'conflict',
        PromotionsErrorCode.ReferralNotEligible,
        'referrals count only for new members before their first purchase',
        [{ field: 'friendMemberId', reason: refusal }],
      );
    const [owner]: { member_id: string }[] = await em.query(
      `SELECT member_id FROM referral_codes WHERE code = $1`,
      [code.trim().toUpperCase()],
    );
    // Never oneself, and never back and forth (A refers B, B refers A).
    const mutual: unknown[] = owner
      ? await em.query(
          `SELECT 1 FROM referrals WHERE friend_member_id = $1 AND referrer_member_id = $2`,
          [owner.member_id, friendId],
        )
      : [];
    if (!owner || owner.member_id === friendId || mutual.length)
      throw new PromotionsError(
        'not_found',
        PromotionsErrorCode.ReferralCodeUnknown,
        'unknown referral code',
        [{ field: 'code', reason: 'no such referral code' }],
      );
    const inserted: unknown[] = await em.query(
      `INSERT INTO referrals (friend_member_id, referrer_member_id, code, created_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (friend_member_id) DO NOTHING RETURNING 1`,
      [friendId, owner.member_id, code.trim().toUpperCase(), this.clock.now()],
    );
    if (!inserted.length)
      throw new PromotionsError(
        'conflict',
        PromotionsErrorCode.AlreadyReferred,
        'this member was already referred',
        [{ field: 'memberId', reason: 'already referred' }],
      );
    const referrer = await this.award(
      em,
      {
        memberId: owner.member_id,
        ruleCode: BUILT_IN_EVENTS.referralEnrolment,
        eventKey: `friend:${friendId}`,
      },
      principal,
    );
    const friend = await this.award(
      em,
      { memberId: friendId, ruleCode: BUILT_IN_EVENTS.referredEnrolment, eventKey: 'referred' },
      principal,
    );
    return { referrerPoints: referrer.points, friendPoints: friend.points };
  }

  /** After a referred friend's first purchase (in its transaction): both rewards, once. */
  async referralFirstPurchase(em: EntityManager, friendId: string): Promise<void> {
    const rows: { referrer_member_id: string }[] = await em.query(
      `UPDATE referrals SET first_purchase_at = $2
        WHERE friend_member_id = $1 AND first_purchase_at IS NULL
        RETURNING referrer_member_id`,
      [friendId, this.clock.now()],
    );
    const row = (Array.isArray(rows[0]) ? (rows[0] as unknown as typeof rows) : rows)[0];
    if (!row) return;
    await this.referralRewards(em, friendId, row.referrer_member_id);
  }

  /**
   * The rewards of a friend's first purchase, once its referral is marked (a purchase marks it
   * in its awards statement, as `referralFirstPurchase` does, and passes the referrer).
   */
  async referralRewards(em: EntityManager, friendId: string, referrerId: string): Promise<void> {
    await this.award(em, {
      memberId: referrerId,
      ruleCode: BUILT_IN_EVENTS.referralFirstPurchase,
      eventKey: `friend:${friendId}`,
    });
    await this.award(em, {
      memberId: friendId,
      ruleCode: BUILT_IN_EVENTS.referredFirstPurchase,
      eventKey: 'first-purchase',
    });
  }
}
