import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../config';
import type { PromotionPoints } from '../ledger';
import { PromotionsService } from '../promotions';

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
 * transaction (budgets and per-member limits are consumed there). With a transaction it reads
 * the member before anything else and refuses an unknown or inactive one (members' 404): the
 * purchase relies on that rather than reading the member twice. Without a transaction (or
 * before any promotion exists) the programme's base rate applies: floor(cents paid in money /
 * 100) × POINTS_PER_EURO, never on the part paid with points.
 */
@Injectable()
export class EarnCalculator {
  constructor(
    private readonly config: AppConfig,
    private readonly promotions: PromotionsService,
  ) {}

  async compute(input: EarnInput, em?: EntityManager): Promise<EarnComputation> {
    if (em) {
      const ev = await this.promotions.evaluateForPurchase(em, {
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
          this.promotions.commitUsage(em, ev, purchaseId, input.memberId, posted),
      };
    }
    const eligible = input.lines.reduce((s, l) => s + l.amountCents - l.pointsDiscountCents, 0);
    const points = Math.floor(eligible / 100) * this.config.POINTS_PER_EURO;
    return {
      points,
      breakdown:
        points > 0 ? [{ promotionId: null, version: null, name: 'Base rate', points }] : [],
    };
  }
}
