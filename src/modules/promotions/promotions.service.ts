import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { actorOf, Clock, PersonalDataRegistry, Principal, validationFailed } from '../../common';
import { AppConfig } from '../../config';
import { PG_ERROR, pgCode, pipelined, preparedQuery, TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { MembersService } from '../members';
import { StoresService } from '../stores';
import { CreatePromotionDto, SimulateDto, UpdatePromotionDto } from './dto/promotion.dto';
import {
  BasketLine,
  compileRules,
  Condition,
  Effect,
  CompiledRules,
  evaluate,
  Evaluation,
  localTime,
  MemberFacts,
  PromotionRule,
  RuleCompileError,
} from './engine';
import { periodKey } from './period';
import { LimitPeriod, Promotion, PromotionStatus, PromotionVersion } from './promotion.entity';
import { PromotionsError, PromotionsErrorCode, promotionNotFound } from './promotions.errors';
import { Reward } from './reward.entity';
import { Tier } from './tier.entity';
import { EarningService } from './earning.service';
import { refuseNulls, RewardsService } from './rewards.service';
import { TierChange, TiersService } from './tiers.service';

/** What checkout knows about a purchase when it asks what it earns. */
export interface PurchaseEvaluationInput {
  memberId: string | null;
  storeId: string;
  channel?: string;
  lines: BasketLine[];
  /** Points payment for the whole basket (cents); it earns nothing. */
  paidWithPointsCents?: number;
  /** True when this is the member's first purchase (default: counted by this module). */
  firstPurchase?: boolean;
  /**
   * The programme's base rate, applied while no active promotion is marked `base` (a fresh
   * installation); once marketing publishes a base-rate promotion, that one rules.
   */
  fallbackBaseRate?: { points: number; perCents: number; name: string };
  now?: Date;
}

/** The points a promotion gave, as the ledger records them. */
export interface PromotionPointsRef {
  promotionId: string | null;
  version: number | null;
  name: string;
  points: number;
}

export interface StampCardState {
  promotionId: string;
  name: { es: string; en: string };
  /** Stamps on the current card. */
  stamps: number;
  stampsRequired: number;
  cardsCompleted: number;
}

/** What commitUsage did besides points: coupons issued, stamp cards, a tier upgrade. */
export interface PurchaseOutcome {
  coupons: string[];
  stamps: StampCardState[];
  tierChange: TierChange | null;
}

export interface PurchaseEvaluation extends Evaluation {
  /** For the ledger entry: which promotion version produced how many points. */
  promotions: PromotionPointsRef[];
  memberId: string | null;
  /** This purchase is the member's first. */
  firstPurchase: boolean;
  /** The tiers the evaluation saw (for the immediate upgrade after the purchase). */
  tiers?: Tier[];
}

interface ActiveSet {
  key: string;
  /** ACTIVE_KEY_SQL's answer when this set was loaded. */
  dbKey: string;
  compiled: CompiledRules;
  rows: Map<string, Promotion>;
  names: Map<string, { es: string; en: string }>;
  rules: PromotionRule[];
  hasBase: boolean;
  /** The tiers as loaded with this set (the same ACTIVE_KEY_SQL answer covers them). */
  tiers: Tier[];
  /** The same set plus the programme's base rate, compiled on first need. */
  withFallback?: ActiveSet;
}

/** Changes whenever an active promotion or a tier changes (ids, versions, update times). */
const ACTIVE_KEY_EXPR = `
  coalesce((SELECT string_agg(id || ':' || version || ':' || updated_at, ',' ORDER BY id)
              FROM promotions WHERE status = 'active'), '')
      || '|' || coalesce((SELECT string_agg(id || ':' || updated_at, ',' ORDER BY id) FROM tiers), '')`;
const ACTIVE_KEY_SQL = `SELECT ${ACTIVE_KEY_EXPR} AS key`;

/** Breakdown ids of tier multipliers: `tier:<code>` (the ledger records them with no promotion id). */
export const TIER_RULE_PREFIX = 'tier:';
/** Breakdown id of the programme's base rate, used while no `base` promotion is active. */
export const FALLBACK_BASE_ID = 'programme:base';
/** Rules that are not promotions (tier multipliers, the fallback base rate) have a colon. */
const isSynthetic = (id: string) => id.includes(':');

/** Consumes (or, for simulations, only checks) budgets and per-member limits. */
interface UsageGate {
  takeUse(p: Promotion): Promise<boolean>;
  releaseUse(p: Promotion): Promise<void>;
  /** Moves the budget by `delta` points; false when it would go over the total. */
  moveBudget(p: Promotion, delta: number): Promise<boolean>;
}

export type PromotionView = ReturnType<typeof toView>;

function toView(p: Promotion, budgetUsed: number | null = null) {
  return {
    id: p.id,
    status: p.status,
    version: p.version,
    nameEs: p.nameEs,
    nameEn: p.nameEn,
    descriptionEs: p.descriptionEs,
    descriptionEn: p.descriptionEn,
    priority: p.priority,
    exclusive: p.exclusive,
    base: p.base,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    conditions: p.conditions,
    effects: p.effects,
    maxPointsPerPurchase: p.maxPointsPerPurchase,
    budgetPoints: p.budgetPoints,
    budgetUsed,
    memberLimit: p.memberLimitCount
      ? { count: p.memberLimitCount, period: p.memberLimitPeriod as LimitPeriod }
      : null,
    stampCard: p.stampsRequired
      ? { stampsRequired: p.stampsRequired, rewardId: p.stampRewardId }
      : null,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** The id a simulated draft promotion carries while it has none of its own. */
const DRAFT_PROMOTION_ID = '00000000-0000-4000-8000-000000000000';

export function toRule(p: Promotion, locale: 'es' | 'en' = 'es'): PromotionRule {
  return {
    id: p.id,
    version: p.version,
    name: locale === 'en' ? p.nameEn : p.nameEs,
    priority: p.priority,
    exclusive: p.exclusive,
    base: p.base,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    conditions: p.conditions,
    effects: p.effects,
    maxPointsPerPurchase: p.maxPointsPerPurchase,
  };
}

const ALLOWED: Record<'publish' | 'pause' | 'end', PromotionStatus[]> = {
  publish: ['draft', 'paused'],
  pause: ['active'],
  end: ['draft', 'active', 'paused'],
};

/**
 * Promotions: lifecycle and versions, the evaluator fed from the database (one compiled set of
 * active promotions, recompiled only when one changes), budgets and per-member limits consumed
 * in the caller's transaction, and simulations that answer exactly what the till would.
 */
@Injectable()
export class PromotionsService implements OnModuleInit {
  private active?: ActiveSet;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly members: MembersService,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
    private readonly tiers: TiersService,
    private readonly rewards: RewardsService,
    private readonly earning: EarningService,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    // GDPR access: the member's tier, coupons, stamp cards and points earned by event. Erasure
    // keeps the figures; tags and integration-supplied event ids can name the member (issue 13).
    this.personalData.register({
      category: 'loyalty',
      export: async (em, memberId) => ({
        tier: await this.tiers.tierOf(memberId, em),
        tags: await this.tagsOf(memberId, em),
        coupons: await this.rewards.couponsOf(memberId, undefined, em),
        stampCards: await this.stampCards(memberId, em),
        earnings: await em.query(
          `SELECT rule_code AS "ruleCode", points, created_at AS "createdAt"
             FROM earning_events WHERE member_id = $1 ORDER BY id`,
          [memberId],
        ),
      }),
      erase: async (em, memberId) => {
        await em.query(`DELETE FROM member_tags WHERE member_id = $1`, [memberId]);
        await em.query(
          `UPDATE earning_events SET event_key = 'erased:' || gen_random_uuid() WHERE member_id = $1`,
          [memberId],
        );
      },
    });
  }

  // ── Lifecycle ──────────────────────────────────────────────────────────────────────────────

  async list(status?: PromotionStatus) {
    const rows = await this.dataSource.manager.find(Promotion, {
      where: status ? { status } : {},
      order: { priority: 'DESC', createdAt: 'ASC' },
    });
    const used = await this.budgetsUsed(rows.map((r) => r.id));
    return rows.map((r) => toView(r, used.get(r.id) ?? null));
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager) {
    const p = await this.find(id, manager);
    const used = await this.budgetsUsed([id], manager);
    return toView(p, used.get(id) ?? null);
  }

  async versions(id: string) {
    await this.find(id);
    const rows = await this.dataSource.manager.find(PromotionVersion, {
      where: { promotionId: id },
      order: { version: 'DESC' },
    });
    return rows.map((v) => ({
      version: v.version,
      definition: v.definition,
      actorType: v.actorType,
      actorId: v.actorId,
      createdAt: v.createdAt,
    }));
  }

  async create(dto: CreatePromotionDto, principal?: Principal) {
    return this.transactions.run(async (em) => {
      const p = em.create(Promotion, { status: 'draft', version: 1 });
      this.apply(p, dto);
      this.checkRule(p);
      await em.save(p);
      await this.syncBudget(em, p);
      await this.snapshot(em, p, principal);
      await this.audit.log(em, {
        principal,
        action: 'promotion.create',
        entity: 'promotion',
        entityId: p.id,
      });
      return this.get(p.id, em);
    });
  }

  /**
   * A draft is edited in place; editing an active or paused promotion creates a new version
   * (earlier ledger entries keep pointing at the version that produced them).
   */
  async update(id: string, dto: UpdatePromotionDto, principal?: Principal) {
    const view = await this.transactions.run(async (em) => {
      const p = await this.find(id, em, true);
      if (p.status === 'ended')
        throw new PromotionsError(
          'conflict',
          PromotionsErrorCode.Ended,
          'an ended promotion cannot change',
        );
      this.apply(p, dto);
      this.checkRule(p);
      if (p.status !== 'draft') p.version += 1;
      await em.save(p);
      await this.syncBudget(em, p);
      await this.snapshot(em, p, principal);
      await this.audit.log(em, {
        principal,
        action: 'promotion.update',
        entity: 'promotion',
        entityId: id,
        details: { version: p.version, fields: Object.keys(dto) },
      });
      return this.get(id, em);
    });
    this.active = undefined;
    return view;
  }

  publish(id: string, principal?: Principal) {
    return this.transition(id, 'publish', 'active', principal);
  }

  pause(id: string, principal?: Principal) {
    return this.transition(id, 'pause', 'paused', principal);
  }

  end(id: string, principal?: Principal) {
    return this.transition(id, 'end', 'ended', principal);
  }

  private async transition(
    id: string,
    action: 'publish' | 'pause' | 'end',
    to: PromotionStatus,
    principal?: Principal,
  ) {
    const view = await this.transactions.run(async (em) => {
      const p = await this.find(id, em, true);
      if (!ALLOWED[action].includes(p.status))
        throw new PromotionsError(
          'conflict',
          PromotionsErrorCode.BadTransition,
          `cannot ${action} a promotion that is ${p.status}`,
          [{ field: 'status', reason: `is ${p.status}` }],
        );
      p.status = to;
      await em.save(p);
      await this.audit.log(em, {
        principal,
        action: `promotion.${action}`,
        entity: 'promotion',
        entityId: id,
        details: { version: p.version },
      });
      return this.get(id, em);
    });
    this.active = undefined;
    return view;
  }

  /**
   * Applies a create or edit body. `null` clears an optional setting (description, window,
   * conditions, cap, budget, member limit, stamp card); required fields cannot be null.
   */
  private apply(p: Promotion, dto: UpdatePromotionDto): void {
    refuseNulls(dto, ['nameEs', 'nameEn', 'priority', 'exclusive', 'base', 'effects']);
    const set = <K extends keyof Promotion>(key: K, value: Promotion[K] | undefined) => {
      if (value !== undefined) p[key] = value;
    };
    const date = (v: string | null | undefined) => (v == null ? null : new Date(v));
    set('nameEs', dto.nameEs);
    set('nameEn', dto.nameEn);
    set('descriptionEs', dto.descriptionEs ?? (dto.descriptionEs === null ? null : undefined));
    set('descriptionEn', dto.descriptionEn ?? (dto.descriptionEn === null ? null : undefined));
    set('priority', dto.priority);
    set('exclusive', dto.exclusive);
    set('base', dto.base);
    if (dto.startsAt !== undefined) p.startsAt = date(dto.startsAt);
    if (dto.endsAt !== undefined) p.endsAt = date(dto.endsAt);
    if (dto.conditions !== undefined)
      p.conditions = dto.conditions === null ? null : plain<Condition>(dto.conditions);
    if (dto.effects !== undefined) p.effects = plain<Effect[]>(dto.effects);
    if (dto.maxPointsPerPurchase !== undefined)
      p.maxPointsPerPurchase = dto.maxPointsPerPurchase ?? null;
    if (dto.budgetPoints !== undefined) p.budgetPoints = dto.budgetPoints ?? null;
    if (dto.memberLimit !== undefined) {
      p.memberLimitCount = dto.memberLimit?.count ?? null;
      p.memberLimitPeriod = dto.memberLimit?.period ?? null;
    }
    if (dto.stampCard !== undefined) {
      p.stampsRequired = dto.stampCard?.stampsRequired ?? null;
      p.stampRewardId = dto.stampCard?.rewardId ?? null;
    }
    p.priority ??= 0;
    p.exclusive ??= false;
    p.base ??= false;
  }

  /** The engine compiles the rule once more: whatever the DTO let through must compile. */
  private checkRule(p: Promotion): void {
    if (p.startsAt && p.endsAt && p.startsAt >= p.endsAt)
      throw validationFailed([{ field: 'endsAt', reason: 'must be after startsAt' }]);
    if (p.effects.some((e) => e.type === 'stamps') && !p.stampsRequired)
      throw validationFailed([
        { field: 'stampCard', reason: 'a stamps effect needs a stamp card' },
      ]);
    try {
      compileRules([toRule(p)]);
    } catch (err) {
      if (err instanceof RuleCompileError)
        throw new PromotionsError('invalid', PromotionsErrorCode.InvalidRule, err.message, [
          { field: err.path, reason: err.message.slice(err.path.length + 2) },
        ]);
      throw err;
    }
  }

  private async syncBudget(em: EntityManager, p: Promotion): Promise<void> {
    if (p.budgetPoints == null) return;
    try {
      await em.query(
        `INSERT INTO promotion_budgets (promotion_id, total) VALUES ($1, $2)
         ON CONFLICT (promotion_id) DO UPDATE SET total = EXCLUDED.total`,
        [p.id, p.budgetPoints],
      );
    } catch (err) {
      if (pgCode(err) === PG_ERROR.checkViolation)
        throw new PromotionsError(
          'conflict',
          PromotionsErrorCode.BudgetBelowUsed,
          'the budget cannot go below the points already given',
          [{ field: 'budgetPoints', reason: 'below the points already given' }],
        );
      throw err;
    }
  }

  private async snapshot(em: EntityManager, p: Promotion, principal?: Principal): Promise<void> {
    const { actorType, actorId } = actorOf(principal);
    const { createdAt: _c, updatedAt: _u, status: _s, budgetUsed: _b, ...definition } = toView(p);
    await em.query(
      `INSERT INTO promotion_versions (promotion_id, version, definition, actor_type, actor_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (promotion_id, version) DO UPDATE
         SET definition = EXCLUDED.definition, actor_type = EXCLUDED.actor_type,
             actor_id = EXCLUDED.actor_id, created_at = now()`,
      [p.id, p.version, JSON.stringify(definition), actorType, actorId],
    );
  }

  private async find(id: string, em: EntityManager = this.dataSource.manager, lock = false) {
    const p = await em.findOne(Promotion, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!p) throw promotionNotFound();
    return p;
  }

  private async budgetsUsed(ids: string[], em: EntityManager = this.dataSource.manager) {
    if (ids.length === 0) return new Map<string, number>();
    const rows: { promotion_id: string; used: number }[] = await em.query(
      `SELECT promotion_id, used FROM promotion_budgets WHERE promotion_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.promotion_id, r.used]));
  }

  // ── Evaluation ─────────────────────────────────────────────────────────────────────────────

  /** The active promotions, compiled; recompiled only when one of them changed. */
  private async activeSet(
    em: EntityManager,
    extraIds: string[] = [],
    knownKey?: string,
  ): Promise<ActiveSet> {
    // One small query tells whether anything changed (a purchase reads it with the member's
    // facts: `knownKey`); the rules load only when it did.
    const dbKey = knownKey ?? (await em.query<{ key: string }[]>(ACTIVE_KEY_SQL))[0].key;
    if (!extraIds.length && this.active?.dbKey === dbKey) return this.active;
    const rows = await em.find(Promotion, {
      where: extraIds.length
        ? [{ status: 'active' }, { id: In(extraIds), status: In(['draft', 'paused', 'active']) }]
        : { status: 'active' },
    });
    const tiers = await this.tiers.list(em);
    const key = [
      ...rows.map((r) => `${r.id}:${r.version}:${r.updatedAt.getTime()}`),
      ...tiers.map((t) => `tier:${t.id}:${t.updatedAt.getTime()}`),
    ]
      .sort()
      .join(',');
    if (!extraIds.length && this.active?.key === key) return this.active;
    const names = new Map<string, { es: string; en: string }>();
    for (const r of rows) names.set(r.id, { es: r.nameEs, en: r.nameEn });
    const tierRules: PromotionRule[] = [];
    for (const t of tiers) {
      if (t.multiplierPercent <= 100) continue;
      const id = `${TIER_RULE_PREFIX}${t.code}`;
      const factor = `×${t.multiplierPercent / 100}`;
      names.set(id, { es: `Nivel ${t.nameEs} ${factor}`, en: `${t.nameEn} tier ${factor}` });
      // A tier multiplier is a rule like any other, above every promotion (never stopped).
      tierRules.push({
        id,
        version: 0,
        name: id,
        priority: Number.MAX_SAFE_INTEGER,
        exclusive: false,
        conditions: { type: 'member_tier', op: 'eq', value: t.code },
        effects: [{ type: 'multiplier', factorPercent: t.multiplierPercent }],
      });
    }
    const rules = [...rows.map((r) => toRule(r)), ...tierRules];
    const set: ActiveSet = {
      key,
      dbKey,
      compiled: compileRules(rules),
      rows: new Map(rows.map((r) => [r.id, r])),
      names,
      rules,
      hasBase: rows.some((r) => r.base && r.status === 'active'),
      tiers,
    };
    if (!extraIds.length) this.active = set;
    return set;
  }

  /**
   * What the rules need to know about a member. `count` (a purchase): counts this purchase in
   * the same round trip, and the count that answers 1 is the first purchase; otherwise
   * `firstPurchase` as given, or "no purchase counted yet".
   */
  private async memberFacts(
    em: EntityManager,
    memberId: string,
    opts: { count?: Date; firstPurchase?: boolean },
  ): Promise<{ facts: MemberFacts; locale: 'es' | 'en'; activeKey: string }> {
    // The member (members' own statement) and, in one more, the purchase count, tier, tags and
    // the active set's key: sent together (one round trip inside a transaction).
    const [m, facts] = await pipelined(em, [
      () => this.members.promotionFacts(memberId, em),
      () =>
        preparedQuery<{
          purchases: number | null;
          tier: string | null;
          tags: string[];
          active_key: string;
        }>(
          em,
          'promotions_member_facts',
          `WITH counted AS (
               INSERT INTO member_purchase_counts (member_id, purchases, first_purchase_at)
               SELECT $1, 1, $2 WHERE $2::timestamptz IS NOT NULL
               ON CONFLICT (member_id) DO UPDATE SET purchases = member_purchase_counts.purchases + 1
               RETURNING purchases)
             SELECT COALESCE((SELECT purchases FROM counted),
                             (SELECT purchases + 1 FROM member_purchase_counts WHERE member_id = $1),
                             1) AS purchases,
                    (SELECT t.code FROM member_tiers mt JOIN tiers t ON t.id = mt.tier_id
                      WHERE mt.member_id = $1) AS tier,
                    COALESCE((SELECT array_agg(tag ORDER BY tag) FROM member_tags
                               WHERE member_id = $1), '{}') AS tags,
                    ${ACTIVE_KEY_EXPR} AS active_key`,
          [memberId, opts.count ?? null],
        ),
    ] as const);
    const row = facts.rows[0];
    const firstPurchase = opts.firstPurchase ?? row.purchases === 1;
    const tier = row.tier ?? m.tier;
    const tags = row.tags;
    return {
      facts: {
        id: m.id,
        tier,
        enrolledAt: m.createdAt,
        birthDate: m.birthDate,
        firstPurchase,
        tags,
        profilingConsent: m.profilingConsent,
      },
      locale: m.locale,
      activeKey: row.active_key,
    };
  }

  /**
   * Evaluates a purchase and consumes budgets and per-member limits in the caller's transaction
   * (conditional updates: they hold under any concurrency). A promotion whose budget or limit
   * is spent is left out with that reason and the basket re-evaluated without it.
   */
  async evaluateForPurchase(
    em: EntityManager,
    input: PurchaseEvaluationInput,
  ): Promise<PurchaseEvaluation> {
    const store = await this.stores.get(input.storeId, em);
    const now = input.now ?? this.clock.now();
    // The purchase is counted in its own transaction (a rollback uncounts it).
    const member = input.memberId
      ? await this.memberFacts(em, input.memberId, {
          count: now,
          firstPurchase: input.firstPurchase,
        })
      : null;
    let set = await this.activeSet(em, [], member?.activeKey);
    const rate = input.fallbackBaseRate ?? this.programmeRate();
    if (!set.hasBase && rate.points > 0) set = this.withFallback(set, rate);
    const tz = store.timeZone;
    const gate = this.realGate(em, input.memberId, now, tz);
    const evaluation = await this.run(
      set,
      gate,
      {
        now,
        timeZone: tz,
        storeId: input.storeId,
        channel: input.channel ?? 'till',
        basket: { lines: input.lines, paidWithPointsCents: input.paidWithPointsCents },
        member: member?.facts ?? null,
      },
      member?.locale ?? 'es',
      input.memberId,
    );
    evaluation.firstPurchase = !!member?.facts.firstPurchase;
    evaluation.tiers = set.tiers;
    return evaluation;
  }

  /** POINTS_PER_EURO per euro: the rate a programme earns at before any promotion exists. */
  private programmeRate() {
    return { points: this.config.POINTS_PER_EURO, perCents: 100, name: 'Base rate' };
  }

  /**
   * The simulator with the promotion being edited, as its form stands (not saved), taken as
   * active: it replaces the saved one it is a draft of (`draftOf`), or joins the set.
   */
  private withDraft(set: ActiveSet, draft: CreatePromotionDto, draftOf?: string): ActiveSet {
    const p = Object.assign(new Promotion(), {
      id: draftOf ?? DRAFT_PROMOTION_ID,
      status: 'active',
      version: (draftOf && set.rows.get(draftOf)?.version) || 0,
    });
    this.apply(p, draft);
    this.checkRule(p);
    const rows = [...set.rows.values()].filter((r) => r.id !== p.id);
    const others = set.rules.filter((r) => r.id !== p.id);
    const rules = [...others, toRule(p)];
    const names = new Map(set.names);
    names.set(p.id, { es: p.nameEs, en: p.nameEn });
    return {
      ...set,
      key: `${set.key}+draft`,
      compiled: compileRules(rules),
      rows: new Map([...rows, p].map((r) => [r.id, r])),
      names,
      rules,
      hasBase: rows.some((r) => r.base && r.status === 'active') || p.base,
      withFallback: undefined,
    };
  }

  private withFallback(
    set: ActiveSet,
    rate: NonNullable<PurchaseEvaluationInput['fallbackBaseRate']>,
  ): ActiveSet {
    const key = `${rate.points}/${rate.perCents}/${rate.name}`;
    if (set.withFallback?.key === key) return set.withFallback;
    const rule: PromotionRule = {
      id: FALLBACK_BASE_ID,
      version: 0,
      name: rate.name,
      priority: Number.MAX_SAFE_INTEGER,
      exclusive: false,
      base: true,
      effects: [{ type: 'points_per_unit', points: rate.points, perCents: rate.perCents }],
    };
    const names = new Map(set.names);
    names.set(FALLBACK_BASE_ID, { es: rate.name, en: rate.name });
    set.withFallback = {
      ...set,
      key,
      names,
      rules: [rule, ...set.rules],
      compiled: compileRules([rule, ...set.rules]),
      hasBase: true,
    };
    return set.withFallback;
  }

  /**
   * After the purchase row exists, in the same transaction: records what each promotion gave
   * besides points (one row per purchase, so a replay does nothing twice), the points earned (for
   * tiers), stamps (a full card issues its reward coupon and starts again), reward coupons of
   * `issue_reward` effects, and an immediate tier upgrade.
   */
  async commitUsage(
    em: EntityManager,
    evaluation: PurchaseEvaluation,
    purchaseId: string,
    memberId: string | null,
    /** The purchase's own ledger posting when it runs alongside (checkout pipelines both):
     *  what follows the awards row (referral points, the tier upgrade) waits for it. */
    posted?: Promise<unknown>,
  ): Promise<PurchaseOutcome> {
    const outcome: PurchaseOutcome = { coupons: [], stamps: [], tierChange: null };
    if (!memberId) return outcome;
    const now = this.clock.now();
    const promos = evaluation.breakdown.filter((b) => !isSynthetic(b.promotionId));
    // One row per purchase: the guard that stamps and coupons are given once (a replay finds it).
    // With the points earned (for tiers) and, on a first purchase, the referral's mark (as
    // EarningService.referralFirstPurchase makes it) in the same statement, once with the
    // awards row.
    const { rows: inserted } = await preparedQuery<{ referrer: string | null }>(
      em,
      'promotions_purchase_awards',
      `WITH aw AS (
         INSERT INTO purchase_awards (purchase_id, member_id, awards, created_at)
         VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (purchase_id) DO NOTHING RETURNING 1),
       ev AS (
         INSERT INTO earning_events (member_id, rule_code, event_key, points, created_at)
         SELECT $2, 'purchase', $6, $5, $4 FROM aw WHERE $5::int > 0
         ON CONFLICT ON CONSTRAINT earning_events_once DO NOTHING),
       rf AS (
         UPDATE referrals SET first_purchase_at = $4
          WHERE $7::boolean AND friend_member_id = $2 AND first_purchase_at IS NULL
            AND EXISTS (SELECT 1 FROM aw)
          RETURNING referrer_member_id)
       SELECT (SELECT referrer_member_id::text FROM rf LIMIT 1) AS referrer FROM aw`,
      [
        purchaseId,
        memberId,
        // Only what a promotion gave besides points: the points per promotion and version are
        // on the purchase's earn entry in the ledger (with 50 promotions, storing them here too
        // was a large share of each purchase's write).
        JSON.stringify(
          promos
            .filter((b) => b.stamps > 0 || b.rewardIds.length > 0)
            .map((b) => ({
              promotionId: b.promotionId,
              version: b.version,
              stamps: b.stamps,
              rewardIds: b.rewardIds,
            })),
        ),
        now,
        evaluation.pointsEarned,
        purchaseId,
        evaluation.firstPurchase,
      ],
    );
    await posted;
    if (!inserted.length) return outcome;
    for (const b of promos) {
      for (const rewardId of b.rewardIds) {
        const code = await this.issueReward(
          em,
          rewardId,
          memberId,
          'promotion',
          `${purchaseId}:${b.promotionId}`,
          now,
        );
        if (code) outcome.coupons.push(code);
      }
      if (b.stamps > 0) {
        const card = await this.addStamps(em, b.promotionId, memberId, b.stamps, purchaseId, now);
        if (card) {
          outcome.stamps.push(card.state);
          outcome.coupons.push(...card.coupons);
        }
      }
    }
    const referrer = inserted[0].referrer;
    if (referrer) await this.earning.referralRewards(em, memberId, referrer);
    outcome.tierChange = await this.tiers.upgradeIfQualified(em, memberId, now, evaluation.tiers);
    return outcome;
  }

  private async issueReward(
    em: EntityManager,
    rewardId: string,
    memberId: string,
    source: 'promotion' | 'stamp_card',
    sourceRef: string,
    now: Date,
  ): Promise<string | null> {
    const reward = await em.findOne(Reward, { where: { id: rewardId } });
    if (!reward) return null;
    return this.rewards.issue(em, { reward, memberId, source, sourceRef, pointsCost: 0, now });
  }

  private async addStamps(
    em: EntityManager,
    promotionId: string,
    memberId: string,
    stamps: number,
    purchaseId: string,
    now: Date,
  ): Promise<{ state: StampCardState; coupons: string[] } | null> {
    const p = await em.findOne(Promotion, { where: { id: promotionId } });
    if (!p?.stampsRequired) return null;
    const [row]: { stamps: number; cards_completed: number }[] = await em.query(
      `INSERT INTO member_stamps (member_id, promotion_id, stamps, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (member_id, promotion_id) DO UPDATE
         SET stamps = member_stamps.stamps + EXCLUDED.stamps, updated_at = EXCLUDED.updated_at
       RETURNING stamps, cards_completed`,
      [memberId, promotionId, stamps, now],
    );
    const full = Math.floor(row.stamps / p.stampsRequired);
    const coupons: string[] = [];
    let left = row.stamps;
    if (full > 0) {
      left = row.stamps - full * p.stampsRequired;
      await em.query(
        `UPDATE member_stamps SET stamps = $3, cards_completed = cards_completed + $4
          WHERE member_id = $1 AND promotion_id = $2`,
        [memberId, promotionId, left, full],
      );
      for (let i = 0; i < full; i++) {
        const code = p.stampRewardId
          ? await this.issueReward(
              em,
              p.stampRewardId,
              memberId,
              'stamp_card',
              `${purchaseId}:${promotionId}:${i}`,
              now,
            )
          : null;
        if (code) coupons.push(code);
      }
    }
    return {
      state: {
        promotionId,
        name: { es: p.nameEs, en: p.nameEn },
        stamps: left,
        stampsRequired: p.stampsRequired,
        cardsCompleted: row.cards_completed + full,
      },
      coupons,
    };
  }

  /** Marketing tags of a member (the `member_tag` condition reads them). */
  async tagsOf(memberId: string, em: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { tag: string }[] = await em.query(
      `SELECT tag FROM member_tags WHERE member_id = $1 ORDER BY tag`,
      [memberId],
    );
    return rows.map((r) => r.tag);
  }

  /** Replaces a member's tags. */
  async setTags(memberId: string, tags: string[], principal?: Principal): Promise<string[]> {
    return this.transactions.run(async (em) => {
      await this.members.get(memberId, em);
      const unique = [...new Set(tags.map((x) => x.trim()).filter(Boolean))];
      await em.query(`DELETE FROM member_tags WHERE member_id = $1`, [memberId]);
      if (unique.length)
        await em.query(`INSERT INTO member_tags (member_id, tag) SELECT $1, unnest($2::text[])`, [
          memberId,
          unique,
        ]);
      await this.audit.log(em, {
        principal,
        action: 'member.tags',
        entity: 'member',
        entityId: memberId,
        memberId,
        details: { count: unique.length },
      });
      return this.tagsOf(memberId, em);
    });
  }

  /** The member's stamp cards (for the web card and the wallet pass). */
  async stampCards(
    memberId: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<StampCardState[]> {
    const rows: {
      promotion_id: string;
      name_es: string;
      name_en: string;
      stamps: number;
      stamps_required: number;
      cards_completed: number;
    }[] = await em.query(
      `SELECT s.promotion_id, p.name_es, p.name_en, s.stamps, p.stamps_required, s.cards_completed
         FROM member_stamps s JOIN promotions p ON p.id = s.promotion_id
        WHERE s.member_id = $1 AND p.stamps_required IS NOT NULL AND p.status <> 'ended'
        ORDER BY p.name_es`,
      [memberId],
    );
    return rows.map((r) => ({
      promotionId: r.promotion_id,
      name: { es: r.name_es, en: r.name_en },
      stamps: r.stamps,
      stampsRequired: r.stamps_required,
      cardsCompleted: r.cards_completed,
    }));
  }

  /** What a basket would earn at the till, and why the other promotions would not apply. */
  async simulate(dto: SimulateDto) {
    const em = this.dataSource.manager;
    const store = await this.stores.get(dto.storeId, em);
    const now = dto.at ? new Date(dto.at) : this.clock.now();
    let member: { facts: MemberFacts; locale: 'es' | 'en' } | null = null;
    if (dto.memberId) {
      member = await this.memberFacts(em, dto.memberId, {
        firstPurchase: dto.member?.firstPurchase,
      });
    } else if (dto.member) {
      member = {
        facts: {
          tier: dto.member.tier ?? null,
          enrolledAt: dto.member.enrolledAt ?? null,
          birthDate: dto.member.birthDate ?? null,
          firstPurchase: dto.member.firstPurchase ?? false,
          tags: dto.member.tags ?? [],
          profilingConsent: dto.member.profilingConsent ?? false,
        },
        locale: 'es',
      };
    }
    let set = await this.activeSet(em, dto.includePromotionIds ?? []);
    if (dto.draft) set = this.withDraft(set, dto.draft, dto.draftOf);
    if (!set.hasBase && this.programmeRate().points > 0)
      set = this.withFallback(set, this.programmeRate());
    const gate = this.dryGate(em, dto.memberId ?? null, now, store.timeZone);
    const result = await this.run(
      set,
      gate,
      {
        now,
        timeZone: store.timeZone,
        storeId: dto.storeId,
        channel: dto.channel ?? 'till',
        basket: { lines: dto.lines, paidWithPointsCents: dto.paidWithPointsCents },
        member: member?.facts ?? null,
      },
      member?.locale ?? 'es',
      dto.memberId ?? null,
    );
    const { memberId: _m, ...body } = result;
    return body;
  }

  private async run(
    set: ActiveSet,
    gate: UsageGate,
    ctx: Parameters<typeof evaluate>[1],
    locale: 'es' | 'en',
    memberId: string | null,
  ): Promise<PurchaseEvaluation> {
    const skip = new Map<string, string>();
    const usesTaken = new Set<string>();
    const budgetTaken = new Map<string, number>();
    let ev = evaluate(set.compiled, ctx, { skip });
    for (let round = 0; round <= set.compiled.promotions.length; round++) {
      let changed = false;
      for (const b of ev.breakdown) {
        const p = set.rows.get(b.promotionId);
        if (!p) continue;
        if (p.memberLimitCount && !usesTaken.has(p.id)) {
          if (!(await gate.takeUse(p))) {
            skip.set(
              p.id,
              `member limit reached (${p.memberLimitCount} per ${p.memberLimitPeriod})`,
            );
            changed = true;
            continue;
          }
          usesTaken.add(p.id);
        }
        if (p.budgetPoints != null) {
          const delta = b.points - (budgetTaken.get(p.id) ?? 0);
          if (delta !== 0) {
            if (!(await gate.moveBudget(p, delta))) {
              skip.set(p.id, 'budget spent');
              changed = true;
              continue;
            }
            budgetTaken.set(p.id, b.points);
          }
        }
      }
      if (!changed) break;
      ev = evaluate(set.compiled, ctx, { skip });
    }
    // Give back what promotions that finally did not apply had taken.
    const applied = new Set(ev.breakdown.map((b) => b.promotionId));
    for (const id of usesTaken) if (!applied.has(id)) await gate.releaseUse(set.rows.get(id)!);
    for (const [id, taken] of budgetTaken)
      if (!applied.has(id) && taken !== 0) await gate.moveBudget(set.rows.get(id)!, -taken);

    const name = (id: string) => {
      const n = set.names.get(id);
      return n ? n[locale] : id;
    };
    for (const b of ev.breakdown) b.name = name(b.promotionId);
    for (const n of ev.notApplied) n.name = name(n.promotionId);
    return {
      ...ev,
      memberId,
      firstPurchase: !!ctx.member?.firstPurchase,
      promotions: ev.breakdown
        .filter((b) => b.points !== 0)
        .map((b) => ({
          promotionId: isSynthetic(b.promotionId) ? null : b.promotionId,
          version: isSynthetic(b.promotionId) ? null : b.version,
          name: b.name,
          points: b.points,
        })),
    };
  }

  private realGate(em: EntityManager, memberId: string | null, now: Date, tz: string): UsageGate {
    const local = localTime(now, tz);
    return {
      async takeUse(p) {
        if (!memberId) return false; // an anonymous purchase cannot count against a member
        const rows: unknown[] = await em.query(
          `INSERT INTO promotion_member_usages (promotion_id, member_id, period_key, uses)
           VALUES ($1, $2, $3, 1)
           ON CONFLICT (promotion_id, member_id, period_key) DO UPDATE
             SET uses = promotion_member_usages.uses + 1
             WHERE promotion_member_usages.uses < $4
           RETURNING uses`,
          [p.id, memberId, periodKey(p.memberLimitPeriod!, local), p.memberLimitCount],
        );
        return rows.length === 1;
      },
      async releaseUse(p) {
        await em.query(
          `UPDATE promotion_member_usages SET uses = uses - 1
            WHERE promotion_id = $1 AND member_id = $2 AND period_key = $3 AND uses > 0`,
          [p.id, memberId, periodKey(p.memberLimitPeriod!, local)],
        );
      },
      async moveBudget(p, delta) {
        // TypeORM answers an UPDATE with [rows, rowCount].
        const res: unknown[] = await em.query(
          `UPDATE promotion_budgets SET used = used + $2
            WHERE promotion_id = $1 AND used + $2 <= total AND used + $2 >= 0
          RETURNING used`,
          [p.id, delta],
        );
        const rows = Array.isArray(res[0]) ? (res[0] as unknown[]) : res;
        return rows.length === 1;
      },
    };
  }

  /** Simulations consume nothing: they only look at what is left. */
  private dryGate(em: EntityManager, memberId: string | null, now: Date, tz: string): UsageGate {
    const local = localTime(now, tz);
    const pending = new Map<string, number>();
    return {
      async takeUse(p) {
        if (!memberId) return true;
        const rows: { uses: number }[] = await em.query(
          `SELECT uses FROM promotion_member_usages
            WHERE promotion_id = $1 AND member_id = $2 AND period_key = $3`,
          [p.id, memberId, periodKey(p.memberLimitPeriod!, local)],
        );
        return (rows[0]?.uses ?? 0) < p.memberLimitCount!;
      },
      async releaseUse() {},
      async moveBudget(p, delta) {
        const rows: { used: number; total: number }[] = await em.query(
          `SELECT used, total FROM promotion_budgets WHERE promotion_id = $1`,
          [p.id],
        );
        const next = (pending.get(p.id) ?? 0) + delta;
        if (rows.length && rows[0].used + next > rows[0].total) return false;
        pending.set(p.id, next);
        return true;
      },
    };
  }
}

/** DTO instances → plain JSON (no class prototypes, no undefined keys) for jsonb columns. */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
