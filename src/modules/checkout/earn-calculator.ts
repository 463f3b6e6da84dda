import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database';
import type { PromotionPoints } from '../ledger';
import { PromotionEvaluationService, PurchaseAwardsService } from '../promotions';

export interface EarnLine {
  lineNo: number;
  sku: string;
  category: string | null;
  quantity: number;
  unitPriceCents: number;
  /** quantity × unit price. */
  amountCents: number;
  /** The part of the line paid with points: it earns nothing. */
  pointsDiscountCents: number;
}

export interface EarnInput {
  memberId: string;
  storeId: string;
  currency: string;
  at: Date;
  lines: EarnLine[];
}

export interface EarnComputation {
  points: number;
  /** Every rule applied with its points (the receipt and the ledger entry show it). */
  breakdown: PromotionPoints[];
  /** Points per line (same order as `lines`), when the rules know; otherwise shared by amount. */
  perLine?: number[];
  /** Once the purchase row exists: records promotion usage, stamps, coupons, tier upgrade. */
  commit?: (purchaseId: string, posted?: Promise<unknown>) => Promise<unknown>;
}

/**
 * THE one place that decides what a basket earns: the promotions engine, in the purchase's
 * transaction (budgets and per-member limits are consumed there). It reads the member before
 * anything else and refuses an unknown or inactive one (members' 404): the purchase relies on
 * that rather than reading the member twice. The programme's base rate (before any promotion
 * exists) is the engine's too, so its rounding is the engine's.
 */
@Injectable()
export class EarnCalculator {
  constructor(
    private readonly evaluation: PromotionEvaluationService,
    private readonly awards: PurchaseAwardsService,
  ) {}

  async compute(input: EarnInput, tx: Tx): Promise<EarnComputation> {
    const ev = await this.evaluation.evaluateForPurchase(tx, {
      memberId: input.memberId,
      storeId: input.storeId,
      now: input.at,
      lines: input.lines.map((l) => ({
        sku: l.sku,
        category: l.category,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents,
        paidWithPointsCents: l.pointsDiscountCents,
      })),
    });
    return {
      points: ev.pointsEarned,
      breakdown: ev.promotions,
      perLine: ev.linePoints,
      commit: (purchaseId, posted) =>
        this.awards.commitUsage(tx, ev, purchaseId, input.memberId, posted),
    };
  }
}
