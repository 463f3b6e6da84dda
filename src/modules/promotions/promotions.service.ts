import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { actorOf, Principal, validationFailed } from '../../common';
import { pgCode, PG_ERROR, TransactionRunner, Tx } from '../../database';
import { AuditService } from '../audit';
import { CreatePromotionDto, SimulateDto, UpdatePromotionDto } from './dto/promotion.dto';
import { compileRules, Condition, Effect, RuleCompileError } from './engine';
import { PromotionEvaluationService } from './promotion-evaluation.service';
import { toRule, toView } from './promotion.mapper';
import { Promotion, PromotionStatus } from './promotion.entity';
import { PromotionsError, PromotionsErrorCode, promotionNotFound } from './promotions.errors';
import { PromotionsRepository } from './promotions.repository';
import { refuseNulls } from './rewards.service';

const ALLOWED: Record<'publish' | 'pause' | 'end', PromotionStatus[]> = {
  publish: ['draft', 'paused'],
  pause: ['active'],
  end: ['draft', 'active', 'paused'],
};

/**
 * Promotions' lifecycle and versions: create, edit (a new version once published), publish,
 * pause, end, each audited. What a basket earns is PromotionEvaluationService's; what a
 * purchase gives besides points is PurchaseAwardsService's.
 */

/** The id a simulated draft promotion carries while it has none of its own. */
const DRAFT_PROMOTION_ID = '00000000-0000-4000-8000-000000000000';

@Injectable()
export class PromotionsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: PromotionsRepository,
    private readonly audit: AuditService,
    private readonly evaluation: PromotionEvaluationService,
  ) {}

  async list(status?: PromotionStatus) {
    const rows = await this.repo.list(this.tx.reader, status);
    const used = await this.repo.budgetsUsed(
      this.tx.reader,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toView(r, used.get(r.id) ?? null));
  }

  async get(reader: EntityManager, id: string) {
    const p = await this.find(reader, id);
    const used = await this.repo.budgetsUsed(reader, [id]);
    return toView(p, used.get(id) ?? null);
  }

  async versions(id: string) {
    await this.find(this.tx.reader, id);
    const rows = await this.repo.versions(this.tx.reader, id);
    return rows.map((v) => ({
      version: v.version,
      definition: v.definition,
      actorType: v.actorType,
      actorId: v.actorId,
      createdAt: v.createdAt,
    }));
  }

  async create(dto: CreatePromotionDto, principal?: Principal) {
    return this.tx.run(async (tx) => {
      const p = tx.create(Promotion, { status: 'draft', version: 1 });
      this.apply(p, dto);
      this.checkRule(p);
      await this.repo.save(tx, p);
      await this.syncBudget(tx, p);
      await this.snapshot(tx, p, principal);
      await this.audit.log(tx, {
        principal,
        action: 'promotion.create',
        entity: 'promotion',
        entityId: p.id,
      });
      return this.get(tx, p.id);
    });
  }

  /**
   * A draft is edited in place; editing an active or paused promotion creates a new version
   * (earlier ledger entries keep pointing at the version that produced them).
   */
  async update(id: string, dto: UpdatePromotionDto, principal?: Principal) {
    const view = await this.tx.run(async (tx) => {
      const p = await this.find(tx, id, true);
      if (p.status === 'ended')
        throw new PromotionsError(
          'conflict',
          PromotionsErrorCode.Ended,
          'an ended promotion cannot change',
        );
      this.apply(p, dto);
      this.checkRule(p);
      if (p.status !== 'draft') p.version += 1;
      await this.repo.save(tx, p);
      await this.syncBudget(tx, p);
      await this.snapshot(tx, p, principal);
      await this.audit.log(tx, {
        principal,
        action: 'promotion.update',
        entity: 'promotion',
        entityId: id,
        details: { version: p.version, fields: Object.keys(dto) },
      });
      return this.get(tx, id);
    });
    this.evaluation.forget();
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

  /** What a basket would earn at the till, and why the other promotions would not apply. */
  simulate(dto: SimulateDto) {
    let draft: Promotion | undefined;
    if (dto.draft) {
      draft = Object.assign(new Promotion(), {
        id: dto.draftOf ?? DRAFT_PROMOTION_ID,
        status: 'active',
        version: 0,
      });
      this.apply(draft, dto.draft);
      this.checkRule(draft);
    }
    return this.evaluation.simulate(dto, draft);
  }

  private async transition(
    id: string,
    action: 'publish' | 'pause' | 'end',
    to: PromotionStatus,
    principal?: Principal,
  ) {
    const view = await this.tx.run(async (tx) => {
      const p = await this.find(tx, id, true);
      if (!ALLOWED[action].includes(p.status))
        throw new PromotionsError(
          'conflict',
          PromotionsErrorCode.BadTransition,
          `cannot ${action} a promotion that is ${p.status}`,
          [{ field: 'status', reason: `is ${p.status}` }],
        );
      p.status = to;
      await this.repo.save(tx, p);
      await this.audit.log(tx, {
        principal,
        action: `promotion.${action}`,
        entity: 'promotion',
        entityId: id,
        details: { version: p.version },
      });
      return this.get(tx, id);
    });
    this.evaluation.forget();
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

  private async syncBudget(tx: Tx, p: Promotion): Promise<void> {
    if (p.budgetPoints == null) return;
    try {
      await this.repo.setBudget(tx, p.id, p.budgetPoints);
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

  private async snapshot(tx: Tx, p: Promotion, principal?: Principal): Promise<void> {
    const { actorType, actorId } = actorOf(principal);
    const { createdAt: _c, updatedAt: _u, status: _s, budgetUsed: _b, ...definition } = toView(p);
    await this.repo.snapshot(tx, {
      promotionId: p.id,
      version: p.version,
      definition,
      actorType,
      actorId,
    });
  }

  private async find(reader: EntityManager, id: string, lock = false) {
    const p = await this.repo.find(reader, id, lock);
    if (!p) throw promotionNotFound();
    return p;
  }
}

/** DTO instances → plain JSON (no class prototypes, no undefined keys) for jsonb columns. */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
