import { DomainError } from '../../common';

export enum PromotionsErrorCode {
  NotFound = 'promotions.not_found',
  InvalidRule = 'promotions.invalid_rule',
  BadTransition = 'promotions.bad_transition',
  Ended = 'promotions.ended',
  BudgetBelowUsed = 'promotions.budget_below_used',
  StoreNotFound = 'promotions.store_not_found',
  TierNotFound = 'promotions.tier_not_found',
  TierCodeTaken = 'promotions.tier_code_taken',
  RewardNotFound = 'promotions.reward_not_found',
  RewardUnavailable = 'promotions.reward_unavailable',
  OutOfStock = 'promotions.out_of_stock',
  CouponNotFound = 'promotions.coupon_not_found',
  CouponNotUsable = 'promotions.coupon_not_usable',
  EventLimitReached = 'promotions.event_limit_reached',
  EarningRuleCodeTaken = 'promotions.earning_rule_code_taken',
  ReservedEventType = 'promotions.reserved_event_type',
  ReferralCodeUnknown = 'promotions.referral_code_unknown',
  AlreadyReferred = 'promotions.already_referred',
  ReferralNotEligible = 'promotions.referral_not_eligible',
}

export class PromotionsError extends DomainError {}

export const promotionNotFound = () =>
  new PromotionsError('not_found', PromotionsErrorCode.NotFound, 'promotion not found');
