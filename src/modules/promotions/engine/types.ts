/**
 * The promotion rule language: typed conditions and effects, shared by the evaluator, the DTOs
 * that validate them at the edge and the marketing page.
 *
 * Units: money in integer minor units (cents), points and quantities integers, dates
 * `YYYY-MM-DD` and times `HH:MM` in the store's time zone, weekdays ISO (1 = Monday … 7 = Sunday).
 */

export const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'between'] as const;
export type Operator = (typeof OPERATORS)[number];

/** What a value is compared as; numbers are compared as numbers, never as strings. */
export type ValueKind = 'number' | 'string' | 'date' | 'time' | 'boolean';

export const CONDITION_TYPES = [
  'basket_total',
  'line_sku',
  'line_category',
  'line_quantity',
  'store',
  'channel',
  'date',
  'weekday',
  'time_of_day',
  'member_tier',
  'days_since_enrolment',
  'birthday_month',
  'first_purchase',
  'member_tag',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

const NUMERIC_OPS: readonly Operator[] = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'between',
];
const SET_OPS: readonly Operator[] = ['eq', 'ne', 'in', 'nin'];

export interface ConditionSpec {
  kind: ValueKind;
  ops: readonly Operator[];
  /** Accepts a `target` (SKUs/categories) restricting the lines it looks at. */
  targeted?: boolean;
  /** Uses personal data beyond the programme itself: needs the member's `profiling` consent. */
  personalised?: boolean;
  /** Needs a member: fails for an anonymous basket. */
  member?: boolean;
  min?: number;
  max?: number;
}

/** Per condition type: the kind of value, the operators it accepts and its data needs. */
export const CONDITION_SPECS: Record<ConditionType, ConditionSpec> = {
  basket_total: { kind: 'number', ops: NUMERIC_OPS, targeted: true, min: 0 },
  line_sku: { kind: 'string', ops: SET_OPS },
  line_category: { kind: 'string', ops: SET_OPS },
  line_quantity: { kind: 'number', ops: NUMERIC_OPS, targeted: true, min: 0 },
  store: { kind: 'string', ops: SET_OPS },
  channel: { kind: 'string', ops: SET_OPS },
  date: { kind: 'date', ops: NUMERIC_OPS },
  weekday: { kind: 'number', ops: NUMERIC_OPS, min: 1, max: 7 },
  time_of_day: { kind: 'time', ops: ['gt', 'gte', 'lt', 'lte', 'between'] },
  member_tier: { kind: 'string', ops: SET_OPS, member: true },
  days_since_enrolment: {
    kind: 'number',
    ops: NUMERIC_OPS,
    min: 0,
    member: true,
    personalised: true,
  },
  birthday_month: { kind: 'boolean', ops: ['eq', 'ne'], member: true, personalised: true },
  first_purchase: { kind: 'boolean', ops: ['eq', 'ne'], member: true },
  member_tag: { kind: 'string', ops: SET_OPS, member: true, personalised: true },
};

/** Lines a condition or an effect looks at: any listed SKU or category, minus the exclusions. */
export interface LineTarget {
  skus?: string[];
  categories?: string[];
  excludeSkus?: string[];
  excludeCategories?: string[];
}

export type ConditionValue = number | string | boolean | (number | string)[];

export interface LeafCondition {
  type: ConditionType;
  op: Operator;
  value: ConditionValue;
  target?: LineTarget;
}
export interface AllCondition {
  all: Condition[];
}
export interface AnyCondition {
  any: Condition[];
}
export type Condition = LeafCondition | AllCondition | AnyCondition;

export const EFFECT_TYPES = [
  'points_per_unit',
  'multiplier',
  'fixed_bonus',
  'bonus_per_unit',
  'percent_of_value',
  'issue_reward',
  'stamps',
] as const;
export type EffectType = (typeof EFFECT_TYPES)[number];

/** `points` for every `perCents` of eligible value (1 point per euro: points 1, perCents 100). */
export interface PointsPerUnitEffect {
  type: 'points_per_unit';
  points: number;
  perCents: number;
  target?: LineTarget;
}
/** Extra points on the base points (those of `base` promotions): 200 = double points. */
export interface MultiplierEffect {
  type: 'multiplier';
  factorPercent: number;
}
export interface FixedBonusEffect {
  type: 'fixed_bonus';
  points: number;
  target?: LineTarget;
}
/** `points` per unit bought of the target SKUs/categories. */
export interface BonusPerUnitEffect {
  type: 'bonus_per_unit';
  points: number;
  target: LineTarget;
}
/** `percent` % of the eligible value of matching lines, in currency units, as points. */
export interface PercentOfValueEffect {
  type: 'percent_of_value';
  percent: number;
  target?: LineTarget;
}
/** Issue a coupon for a reward of the catalogue. */
export interface IssueRewardEffect {
  type: 'issue_reward';
  rewardId: string;
}
/** Stamps on the promotion's stamp card: `stamps` per purchase, or per unit when `perUnit`. */
export interface StampsEffect {
  type: 'stamps';
  stamps: number;
  perUnit?: boolean;
  target?: LineTarget;
}
export type Effect =
  | PointsPerUnitEffect
  | MultiplierEffect
  | FixedBonusEffect
  | BonusPerUnitEffect
  | PercentOfValueEffect
  | IssueRewardEffect
  | StampsEffect;

/** One promotion version as the evaluator sees it. */
export interface PromotionRule {
  id: string;
  version: number;
  name: string;
  /** Higher first; ties by id. */
  priority: number;
  /** When it applies, promotions below it are not evaluated. */
  exclusive: boolean;
  /** Its points are the "base points" that multipliers multiply (the base rate promotion). */
  base?: boolean;
  startsAt?: Date | string | null;
  endsAt?: Date | string | null;
  conditions?: Condition | null;
  effects: Effect[];
  /** Cap on the points this promotion gives in one purchase. */
  maxPointsPerPurchase?: number | null;
}

export interface BasketLine {
  sku: string;
  category?: string | null;
  quantity: number;
  unitPriceCents: number;
  /** Price reductions on the line (never earn points). */
  discountCents?: number;
  /** The part of the line paid with points (never earns points). */
  paidWithPointsCents?: number;
}

export interface Basket {
  lines: BasketLine[];
  /** Points payment for the whole basket, spread over lines in proportion to their value. */
  paidWithPointsCents?: number;
}

export interface MemberFacts {
  id?: string;
  tier?: string | null;
  enrolledAt?: Date | string | null;
  /** `YYYY-MM-DD`. */
  birthDate?: string | null;
  /** True when this purchase is the member's first. */
  firstPurchase?: boolean;
  tags?: string[];
  /** Latest `profiling` consent: personalised conditions need it. */
  profilingConsent?: boolean;
}

export interface EvaluationContext {
  now: Date;
  timeZone: string;
  storeId?: string | null;
  channel?: string | null;
  basket: Basket;
  member?: MemberFacts | null;
}

export interface AppliedPromotion {
  promotionId: string;
  version: number;
  name: string;
  points: number;
  /** Points per basket line (same order as the basket); they add up to `points`. */
  lines: number[];
  stamps: number;
  rewardIds: string[];
  /** Set when the cap per purchase cut the points. */
  capped?: boolean;
}

export interface NotApplied {
  promotionId: string;
  version: number;
  name: string;
  reason: string;
}

export interface Evaluation {
  pointsEarned: number;
  breakdown: AppliedPromotion[];
  notApplied: NotApplied[];
  /** Points per basket line, all promotions together. */
  linePoints: number[];
}
