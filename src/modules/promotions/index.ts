export { PromotionsModule } from './promotions.module';
export { PromotionsService } from './promotions.service';
export type {
  PurchaseEvaluation,
  PurchaseEvaluationInput,
  PromotionPointsRef,
  PromotionView,
} from './promotions.service';
export { PromotionsError, PromotionsErrorCode } from './promotions.errors';
export type { AppliedPromotion, BasketLine, Evaluation, LinePoints, NotApplied } from './engine';
