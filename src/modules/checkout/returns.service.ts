import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { actorOf, Clock, PurchaseHooks, Principal } from '../../common';
import { IdempotencyService, IdempotentResponse } from '../idempotency';
import { LedgerService } from '../ledger';
import { shareForReturn } from './line-shares';
import { CheckoutRepository } from './checkout.repository';
import { purchaseNotFound, returnExceedsPurchase, returnLineUnknown } from './checkout.errors';
import { ReturnDto } from './dto/checkout.dto';
import { mapStoreErrors, storeOf } from './till';

/** Returns: reverses what the returned lines earned and gives back what they spent, line by line. */
@Injectable()
export class ReturnsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly repo: CheckoutRepository,
    private readonly clock: Clock,
    private readonly purchaseHooks: PurchaseHooks,
  ) {}

  /** Returned lines: reverses what they earned and gives back what they spent, line by line. */
  async returnLines(
    purchaseId: string,
    dto: ReturnDto,
    principal: Principal,
    key: string,
  ): Promise<IdempotentResponse> {
    const storeId = storeOf(principal, dto.storeId, { optional: true });
    const actor = actorOf(principal);
    return mapStoreErrors(() =>
      this.idempotency.execute(
        {
          scope: storeId ? `return:store:${storeId}` : `return:${actor.actorType}:${actor.actorId}`,
          key,
          requestHash: this.idempotency.requestHash(`return:${purchaseId}`, dto),
        },
        async (em) => ({
          status: 201,
          body: await this.postReturn(em, purchaseId, dto, storeId, principal, key),
        }),
      ),
    );
  }

  private async postReturn(
    em: EntityManager,
    purchaseId: string,
    dto: ReturnDto,
    storeId: string | null,
    principal: Principal,
    key: string,
  ) {
    const purchase = await this.repo.lockPurchase(em, purchaseId);
    if (!purchase) throw purchaseNotFound();
    const lines = await this.repo.lines(em, purchaseId);
    const returning = new Map<number, number>(); // line_no → quantity now
    dto.lines.forEach((req, i) => {
      const left = (l: (typeof lines)[number]) =>
        l.quantity - l.returnedQuantity - (returning.get(l.lineNo) ?? 0);
      const line =
        req.lineNo !== undefined
          ? lines.find(
              (l) => l.lineNo === req.lineNo && (req.sku === undefined || l.sku === req.sku),
            )
          : (lines.find((l) => l.sku === req.sku && left(l) >= req.quantity) ??
            lines.find((l) => l.sku === req.sku));
      if (!line) throw returnLineUnknown(i);
      if (req.quantity > left(line)) throw returnExceedsPurchase(i, left(line));
      returning.set(line.lineNo, (returning.get(line.lineNo) ?? 0) + req.quantity);
    });
    const result = [...returning].map(([lineNo, quantity]) => {
      const l = lines.find((x) => x.lineNo === lineNo)!;
      return {
        lineNo,
        sku: l.sku,
        quantity,
        refundCents: shareForReturn(
          l.amountCents - l.discountCents,
          l.quantity,
          l.returnedQuantity,
          quantity,
        ),
        pointsReversed: shareForReturn(l.pointsEarned, l.quantity, l.returnedQuantity, quantity),
        pointsRecredited: shareForReturn(
          l.pointsRedeemed,
          l.quantity,
          l.returnedQuantity,
          quantity,
        ),
      };
    });
    const sum = (f: (r: (typeof result)[number]) => number) => result.reduce((s, r) => s + f(r), 0);
    const refundCents = sum((r) => r.refundCents);
    const pointsReversed = sum((r) => r.pointsReversed);
    const pointsRecredited = sum((r) => r.pointsRecredited);
    await this.repo.markReturned(em, purchaseId, result);
    const actor = actorOf(principal);
    const { memberId } = purchase;
    const ticket = purchase.externalId ? ` ${purchase.externalId}` : '';
    const ctx = { actor, storeId, purchaseId, idempotencyKey: key };
    const account = await this.ledger.lock(em, memberId);
    await this.ledger.recredit(
      em,
      { memberId, purchaseId, points: pointsRecredited },
      { ...ctx, reason: `Points given back: return on purchase${ticket}` },
      { account, notify: false },
    );
    const reversed = await this.ledger.reverseEarn(
      em,
      { memberId, purchaseId, points: pointsReversed },
      { ...ctx, reason: `Points taken back: return on purchase${ticket}` },
      { account, notify: false },
    );
    if (pointsReversed || pointsRecredited) await this.ledger.notifyChanged(em, [memberId]);
    if (!this.purchaseHooks.empty) {
      await this.purchaseHooks.afterReturn(em, {
        purchaseId,
        memberId,
        storeId: storeId ?? '',
        fullyReturned: lines.every(
          (l) => l.quantity - l.returnedQuantity - (returning.get(l.lineNo) ?? 0) <= 0,
        ),
        at: this.clock.now(),
      });
    }
    const returnId = randomUUID();
    await this.repo.insertReturn(em, {
      id: returnId,
      purchaseId,
      storeId,
      lines: result,
      refundCents,
      pointsReversed,
      pointsRecredited,
      actorType: actor.actorType,
      actorId: actor.actorId,
      idempotencyKey: key,
      createdAt: this.clock.now(),
    });
    return {
      returnId,
      purchaseId,
      memberId,
      refundCents,
      pointsReversed,
      pointsRecredited,
      balance: reversed.balance,
      pending: reversed.pending,
      lines: result,
    };
  }
}
