import type { BasketLine, Evaluation } from './engine';
import type { Tier } from './tier.entity';
import type { TierChange } from './tiers.service';

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

/** Breakdown ids of tier multipliers: `tier:<code>` (the ledger records them with no promotion id). */
export const TIER_RULE_PREFIX = 'tier:';
/** Breakdown id of the programme's base rate, used while no `base` promotion is active. */
export const FALLBACK_BASE_ID = 'programme:base';
/** Rules that are not promotions (tier multipliers, the fallback base rate) have a colon. */
export const isSynthetic = (id: string) => id.includes(':');
