export { PromotionsModule } from './promotions.module';
export { PromotionsService } from './promotions.service';
export { PromotionEvaluationService } from './promotion-evaluation.service';
export { PurchaseAwardsService } from './purchase-awards.service';
export type {
  PurchaseEvaluation,
  PurchaseEvaluationInput,
  PurchaseOutcome,
  PromotionPointsRef,
  StampCardState,
} from './promotions.types';
export type { PromotionView } from './promotion.mapper';
export { TiersService } from './tiers.service';
export type { TierChange } from './tiers.service';
export { RewardsService } from './rewards.service';
export type { CouponView, CouponSource, UsableReward } from './rewards.service';
export { EarningService } from './earning.service';
export type { EarningResult } from './earning.service';
export { PromotionsError, PromotionsErrorCode } from './promotions.errors';
export type { CreatePromotionDto, UpdatePromotionDto, SimulateDto } from './dto/promotion.dto';
// Checkout's purchase lines extend it (one validation of a basket line).
export { BasketLineDto } from './dto/basket-line.dto';
export type { AppliedPromotion, BasketLine, Evaluation, NotApplied } from './engine';
