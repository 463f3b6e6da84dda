import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError, Principal } from '../../common';
import { LedgerQueriesService } from '../ledger';
import { allocate } from './line-shares';
import { CouponView, PromotionsError, PromotionsErrorCode, RewardsService } from '../promotions';

/** A coupon a purchase used, as the receipt shows it. */
export interface UsedCoupon {
  code: string;
  rewardId: string;
  kind: string;
  rewardName: { es: string; en: string };
  discountCents: number;
  /** The line a free-product coupon paid for (1-based), else null. */
  lineNo: number | null;
}

export interface CouponDiscounts {
  coupons: UsedCoupon[];
  /** Money off each line (same order as the basket's lines). */
  lineCents: number[];
  totalCents: number;
}

/**
 * The till's side of the rewards catalogue (DESIGN.md §6): a reward redeemed for its coupon,
 * and coupons used on a purchase. Both in the caller's transaction (the Idempotency-Key's), so a
 * replay answers the same and a failure issues or uses nothing.
 */
@Injectable()
export class CheckoutRewards {
  constructor(
    private readonly rewards: RewardsService,
    private readonly points: LedgerQueriesService,
  ) {}

  /** The member's coupons and the catalogue, for the scan summary (`usableWith` the balance). */
  offeredTo(em: EntityManager, memberId: string) {
    return this.rewards.offeredTo(memberId, em);
  }

  /** `POST /api/checkout/redemptions {"rewardId"}`: spends the reward's points, issues its coupon. */
  async redeemReward(
    em: EntityManager,
    input: {
      memberId: string;
      rewardId: string;
      storeId: string | null;
      principal: Principal;
      key: string;
    },
  ) {
    const { coupon, entryId, balance } = await this.rewards.redeemIn(em, {
      rewardId: input.rewardId,
      memberId: input.memberId,
      principal: input.principal,
      storeId: input.storeId,
      idempotencyKey: input.key,
    });
    return {
      redemptionId: entryId ?? coupon.id,
      memberId: input.memberId,
      rewardId: input.rewardId,
      pointsRedeemed: coupon.pointsCost,
      discountCents: 0,
      coupon,
      balance: balance ?? (await this.points.balanceOf(em, input.memberId)).balance,
    };
  }

  /**
   * Uses the purchase's coupons (each once: a coupon used twice, or at two tills at once,
   * succeeds once) and works out the money they take off: a discount coupon off the basket
   * (shared by line amount, never more than what is left), a free-product coupon off one unit
   * of the first line with its SKU. Codes are taken in sorted order so two baskets with the
   * same coupons cannot deadlock.
   */
  async useCoupons(
    em: EntityManager,
    codes: string[],
    input: {
      memberId: string;
      storeId: string;
      reference: string;
      lines: { sku: string; quantity: number; unitPriceCents: number }[];
    },
  ): Promise<CouponDiscounts> {
    const amounts = input.lines.map((l) => l.quantity * l.unitPriceCents);
    const lineCents = amounts.map(() => 0);
    const coupons: UsedCoupon[] = [];
    const sorted = [...new Set(codes.map((c) => c.trim().toUpperCase()))].sort();
    if (sorted.length !== codes.length)
      throw couponError(codes.length - 1, 'the same coupon twice in one purchase');
    for (const code of sorted) {
      const at = codes.findIndex((c) => c.trim().toUpperCase() === code);
      let coupon: CouponView;
      try {
        coupon = await this.rewards.useCoupon(em, {
          code,
          storeId: input.storeId,
          reference: input.reference,
          memberId: input.memberId,
        });
      } catch (err) {
        // Name the coupon in the body.
        if (err instanceof DomainError && err.details?.length)
          throw new PromotionsError(
            err.kind,
            err.code,
            err.message,
            err.details.map((d) => ({ ...d, field: `coupons[${at}]` })),
          );
        throw err;
      }
      const left = amounts.map((a, i) => a - lineCents[i]);
      let lineNo: number | null = null;
      let off = 0;
      if (coupon.kind === 'free_product') {
        const i = input.lines.findIndex((l, j) => l.sku === coupon.sku && left[j] > 0);
        if (i < 0) throw couponError(at, `product ${coupon.sku ?? '?'} is not in the basket`);
        off = Math.min(input.lines[i].unitPriceCents, left[i]);
        lineCents[i] += off;
        lineNo = i + 1;
      } else if (coupon.discountCents) {
        const room = left.reduce((a, b) => a + b, 0);
        off = Math.min(coupon.discountCents, room);
        allocate(off, left).forEach((c, i) => (lineCents[i] += c));
      }
      coupons.push({
        code: coupon.code,
        rewardId: coupon.rewardId,
        kind: coupon.kind,
        rewardName: coupon.rewardName,
        discountCents: off,
        lineNo,
      });
    }
    // The receipt lists them in the order given.
    coupons.sort(
      (a, b) =>
        codes.findIndex((c) => c.trim().toUpperCase() === a.code) -
        codes.findIndex((c) => c.trim().toUpperCase() === b.code),
    );
    return { coupons, lineCents, totalCents: lineCents.reduce((a, b) => a + b, 0) };
  }
}

const couponError = (at: number, reason: string) =>
  new PromotionsError('conflict', PromotionsErrorCode.CouponNotUsable, `coupon: ${reason}`, [
    { field: `coupons[${at}]`, reason },
  ]);
