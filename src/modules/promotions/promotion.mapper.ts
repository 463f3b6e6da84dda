import type { PromotionRule } from './engine';
import type { LimitPeriod, Promotion } from './promotion.entity';

export type PromotionView = ReturnType<typeof toView>;

/** A promotion as the API shows it (and as its version snapshot stores it). */
export function toView(p: Promotion, budgetUsed: number | null = null) {
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

/** A promotion as the rule engine compiles it. */
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
