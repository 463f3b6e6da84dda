import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../config';
import type { PromotionPoints } from '../ledger';

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
}

/**
 * THE one place that decides what a basket earns — the seam for the promotions engine. Today:
 * the programme's base rate, floor(cents paid in money / 100) × POINTS_PER_EURO, never on the
 * part paid with points. The promotions engine replaces `compute` (same input, same result
 * shape; it may read promotions through `em`, the purchase's transaction).
 */
@Injectable()
export class EarnCalculator {
  constructor(private readonly config: AppConfig) {}

  async compute(input: EarnInput, _em?: EntityManager): Promise<EarnComputation> {
    const eligible = input.lines.reduce((s, l) => s + l.amountCents - l.pointsDiscountCents, 0);
    const points = Math.floor(eligible / 100) * this.config.POINTS_PER_EURO;
    return {
      points,
      breakdown:
        points > 0 ? [{ promotionId: null, version: null, name: 'Base rate', points }] : [],
    };
  }
}
