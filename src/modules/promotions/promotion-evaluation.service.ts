import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common';
import { AppConfig } from '../../config';
import { pipelined, TransactionRunner, Tx } from '../../database';
import { MembersService } from '../members';
import { StoresService } from '../stores';
import { SimulateDto } from './dto/promotion.dto';
import { compileRules, CompiledRules, evaluate, MemberFacts, PromotionRule } from './engine';
import { toRule } from './promotion.mapper';
import { Promotion } from './promotion.entity';
import { PromotionsRepository } from './promotions.repository';
import {
  FALLBACK_BASE_ID,
  isSynthetic,
  PurchaseEvaluation,
  PurchaseEvaluationInput,
  TIER_RULE_PREFIX,
} from './promotions.types';
import { Tier } from './tier.entity';
import { TiersService } from './tiers.service';
import { dryGate, realGate, UsageGate } from './usage-gates';

interface ActiveSet {
  key: string;
  /** The repository's activeKey when this set was loaded. */
  dbKey: string;
  compiled: CompiledRules;
  rows: Map<string, Promotion>;
  names: Map<string, { es: string; en: string }>;
  rules: PromotionRule[];
  hasBase: boolean;
  /** The tiers as loaded with this set (the same key covers them). */
  tiers: Tier[];
  /** The same set plus the programme's base rate, compiled on first need. */
  withFallback?: ActiveSet;
}

interface BaseRate {
  points: number;
  perCents: number;
  name: string;
}

/**
 * What a basket earns: the evaluator fed from the database (one compiled set of active
 * promotions, recompiled only when one changes), budgets and per-member limits consumed in the
 * purchase's transaction, and simulations that answer exactly what the till would.
 */
@Injectable()
export class PromotionEvaluationService {
  private active?: ActiveSet;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly repo: PromotionsRepository,
    private readonly members: MembersService,
    private readonly stores: StoresService,
    private readonly tiers: TiersService,
  ) {}

  /** Drops the compiled set (a promotion changed in this process). */
  forget(): void {
    this.active = undefined;
  }

  /**
   * Evaluates a purchase and consumes budgets and per-member limits in the caller's transaction
   * (conditional updates: they hold under any concurrency). A promotion whose budget or limit
   * is spent is left out with that reason and the basket re-evaluated without it.
   */
  async evaluateForPurchase(tx: Tx, input: PurchaseEvaluationInput): Promise<PurchaseEvaluation> {
    const store = await this.stores.get(input.storeId);
    const now = input.now ?? this.clock.now();
    // The purchase is counted in its own transaction (a rollback uncounts it).
    const member = input.memberId
      ? await this.memberFacts(tx, input.memberId, {
          count: now,
          firstPurchase: input.firstPurchase,
        })
      : null;
    const set = this.withBaseRate(await this.activeSet(tx, [], member?.activeKey));
    const tz = store.timeZone;
    const evaluation = await this.run(
      set,
      realGate(this.repo, tx, input.memberId, now, tz),
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

  /** What a basket would earn at the till, and why the other promotions would not apply. */
  /**
   * What a basket would earn at the till, and why the other promotions would not apply. With a
   * draft (the promotion being edited, as its form stands, taken as active), the draft replaces
   * the saved promotion with its id or joins the set.
   */
  async simulate(dto: SimulateDto, draft?: Promotion) {
    const reader = this.tx.reader;
    const store = await this.stores.get(dto.storeId);
    const now = dto.at ? new Date(dto.at) : this.clock.now();
    let member: { facts: MemberFacts; locale: 'es' | 'en' } | null = null;
    if (dto.memberId) {
      member = await this.memberFacts(reader, dto.memberId, {
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
    let active = await this.activeSet(reader, dto.includePromotionIds ?? []);
    if (draft) active = this.withDraft(active, draft);
    const set = this.withBaseRate(active);
    const result = await this.run(
      set,
      dryGate(this.repo, reader, dto.memberId ?? null, now, store.timeZone),
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

  /** The active promotions, compiled; recompiled only when one of them changed. */
  private async activeSet(
    reader: EntityManager,
    extraIds: string[] = [],
    knownKey?: string,
  ): Promise<ActiveSet> {
    // One small query tells whether anything changed (a purchase reads it with the member's
    // facts: `knownKey`); the rules load only when it did.
    const dbKey = knownKey ?? (await this.repo.activeKey(reader));
    if (!extraIds.length && this.active?.dbKey === dbKey) return this.active;
    const rows = await this.repo.activeWith(reader, extraIds);
    const tiers = await this.tiers.list(reader);
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
    reader: EntityManager,
    memberId: string,
    opts: { count?: Date; firstPurchase?: boolean },
  ): Promise<{ facts: MemberFacts; locale: 'es' | 'en'; activeKey: string }> {
    // The member (members' own statement, with its tags) and this module's purchase count and the
    // active set's key: sent together (one round trip inside a transaction).
    const [m, row] = await pipelined(reader, [
      () => this.members.promotionFacts(reader, memberId),
      () => this.repo.purchaseFacts(reader, memberId, opts.count ?? null),
    ] as const);
    return {
      facts: {
        id: m.id,
        tier: m.tier,
        enrolledAt: m.createdAt,
        birthDate: m.birthDate,
        firstPurchase: opts.firstPurchase ?? row.purchases === 1,
        tags: m.tags,
        profilingConsent: m.profilingConsent,
      },
      locale: m.locale,
      activeKey: row.active_key,
    };
  }

  /** The set with a draft promotion in place of the saved one with its id (or added to it). */
  private withDraft(set: ActiveSet, draft: Promotion): ActiveSet {
    const p = Object.assign(new Promotion(), draft, {
      version: set.rows.get(draft.id)?.version || 0,
    });
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

  /**
   * While no active promotion is marked `base` (a fresh installation), the programme's rate —
   * POINTS_PER_EURO per euro — is a base rule like any other: the one place its maths lives.
   */
  private withBaseRate(set: ActiveSet): ActiveSet {
    const rate: BaseRate = {
      points: this.config.POINTS_PER_EURO,
      perCents: 100,
      name: 'Base rate',
    };
    if (set.hasBase || rate.points <= 0) return set;
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
}
