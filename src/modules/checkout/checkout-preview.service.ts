import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../../common';
import { TransactionRunner } from '../../database';
import { PurchasesService } from './purchases.service';
import { PurchaseDto } from './dto/checkout.dto';

type Receipt = Awaited<ReturnType<PurchasesService['receiptIn']>>;

/** Thrown to end the preview's transaction with a rollback, carrying what it worked out. */
class RolledBack extends Error {
  constructor(readonly receipt: Receipt) {
    super('preview rolled back');
  }
}

/**
 * `POST /api/checkout/preview`: what a basket earns and costs, while the cashier rings it up.
 * The purchase itself is posted — promotions, coupons, points spent, budgets, limits — in a
 * transaction that is always rolled back, so the preview is the receipt the purchase will give
 * (unless something changes in between) and nothing is written.
 */
@Injectable()
export class CheckoutPreviewService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly checkout: PurchasesService,
  ) {}

  async preview(dto: PurchaseDto, principal: Principal) {
    // No ticket number: a preview is not the sale, and its number is checked when it is made.
    const basket = Object.assign(new PurchaseDto(), dto, { externalId: undefined });
    let receipt: Receipt;
    try {
      await this.db.run(async (tx) => {
        throw new RolledBack(
          await this.checkout.receiptIn(tx, basket, principal, `preview:${randomUUID()}`),
        );
      });
      throw new Error('unreachable: the preview transaction always rolls back');
    } catch (err) {
      if (!(err instanceof RolledBack)) throw err;
      receipt = err.receipt;
    }
    const { purchaseId: _id, externalId: _ext, createdAt: _at, ...rest } = receipt;
    return { preview: true as const, ...rest };
  }
}
