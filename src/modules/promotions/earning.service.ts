import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Clock, Principal } from '../../common';
import { isUniqueViolation } from '../../database';
import { AuditService } from '../audit';
import { LedgerService } from '../ledger';
import { MembersService } from '../members';
import { StoresService } from '../stores';
import { EarningRule } from './earning-rule.entity';
import { localTime } from './engine';
import { periodKey } from './period';
import { LimitPeriod } from './promotion.entity';
import { PromotionsError, PromotionsErrorCode } from './promotions.errors';
import { TiersService } from './tiers.service';

/** Earning rules the platform itself triggers (other rule codes are custom events). */
export const BUILT_IN_EVENTS = {
  enrolment: 'enrolment',
  birthday: 'birthday',
  survey: 'survey_answered',
  referralEnrolment: 'referral_enrolment',
  referralFirstPurchase: 'referral_first_purchase',
} as const;

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
export class EarningService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly stores: StoresService,
    private readonly tiers: TiersService,
    private readonly audit: AuditService,
  ) {}

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
    return this.dataSource.transaction(async (em) => {
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
      const { limit, ...rest } = dto;
      Object.assign(rule, rest);
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
            PromotionsErrorCode.NotFound,
            'an earning rule has this code',
            [{ field: 'code', reason: 'already used' }],
          );
        throw err;
      }
      await this.audit.record(
        {
          principal,
          action: id ? 'earning_rule.update' : 'earning_rule.create',
          entity: 'earning_rule',
          entityId: rule.id,
        },
        em,
      );
      return rule;
    });
  }

  /** `POST /api/events`: a custom event from an integration, in its own transaction. */
  async record(
    input: { memberId: string; type: string; eventId: string; storeId?: string | null },
    principal?: Principal,
  ): Promise<EarningResult> {
    return this.dataSource.transaction((em) =>
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
    await this.members.get(input.memberId, em);
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
        ? (await this.stores.get(input.storeId, em)).timeZone
        : 'Europe/Madrid';
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

  /** A survey answered, once per survey. */
  surveyAnswered(em: EntityManager, memberId: string, surveyId: string) {
    return this.award(em, {
      memberId,
      ruleCode: BUILT_IN_EVENTS.survey,
      eventKey: `survey:${surveyId}`,
    });
  }
}
