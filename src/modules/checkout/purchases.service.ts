import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  actorOf,
  Clock,
  DomainError,
  PersonalDataRegistry,
  PurchaseHooks,
  Principal,
  STATUS_BY_KIND,
  validateBody,
  validationFailed,
} from '../../common';
import { pipelined } from '../../database';
import { IdempotencyService, IdempotentResponse } from '../idempotency';
import { LedgerService } from '../ledger';
import { allocate } from './line-shares';
import type { PurchaseOutcome } from '../promotions';
import { SettingsService } from '../settings';
import { CheckoutRewards } from './checkout-rewards';
import { CheckoutRepository } from './checkout.repository';
import { currencyUnsupported, discountExceedsTotal } from './checkout.errors';
import { BatchItemDto, PurchaseDto } from './dto/checkout.dto';
import { EarnCalculator, EarnLine } from './earn-calculator';
import { mapStoreErrors, storeOf, TillMembers } from './till';

const PROGRAMME_CURRENCY = 'EUR';

export interface BatchResult {
  idempotencyKey: string;
  status: number;
  replayed: boolean;
  body: unknown;
}

/**
 * Purchases at the till (earn and spend in one) and the offline till's batch. Each purchase is
 * one transaction opened by IdempotencyService.execute: the key row first, then the purchase
 * rows, then the ledger under the member's account lock.
 */
@Injectable()
export class PurchasesService implements OnModuleInit {
  constructor(
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly earn: EarnCalculator,
    private readonly repo: CheckoutRepository,
    private readonly till: TillMembers,
    private readonly clock: Clock,
    private readonly personalData: PersonalDataRegistry,
    private readonly checkoutRewards: CheckoutRewards,
    private readonly purchaseHooks: PurchaseHooks,
    private readonly settings: SettingsService,
  ) {}

  onModuleInit(): void {
    this.personalData.register({
      category: 'purchases',
      export: (em, memberId) => this.repo.exportForMember(em, memberId),
      // Purchases hold no free text about the member: totals stay for the reports.
      // Totals stay for the reports; the till-supplied idempotency keys go (issue 13).
      erase: async (em, memberId) => {
        await em.query(
          `UPDATE purchases SET idempotency_key = 'erased:' || gen_random_uuid()
            WHERE member_id = $1 AND idempotency_key IS NOT NULL`,
          [memberId],
        );
        await em.query(
          `UPDATE purchase_returns r SET idempotency_key = 'erased:' || gen_random_uuid()
             FROM purchases p
            WHERE p.id = r.purchase_id AND p.member_id = $1 AND r.idempotency_key IS NOT NULL`,
          [memberId],
        );
      },
    });
  }

  /** DESIGN §6 `POST /api/checkout/purchases`: exactly once per key, and per store + externalId. */
  async purchase(dto: PurchaseDto, principal: Principal, key: string): Promise<IdempotentResponse> {
    const storeId = storeOf(principal, dto.storeId);
    return mapStoreErrors(() =>
      this.idempotency.execute(
        {
          scope: `purchase:store:${storeId}`,
          key,
          requestHash: this.idempotency.requestHash('purchase', dto),
        },
        async (em) => ({
          status: 201,
          body: await this.postPurchase(em, dto, storeId, principal, key),
        }),
      ),
    );
  }

  /** The offline till's queue: each item on its own, with its own key; one bad item sinks none. */
  async batch(items: BatchItemDto[], principal: Principal): Promise<BatchResult[]> {
    const results: BatchResult[] = [];
    for (const item of items) {
      const key = item.idempotencyKey;
      try {
        if (!this.idempotency.isValidKey(key)) {
          throw validationFailed([
            { field: 'idempotencyKey', reason: '8 to 255 visible ASCII characters' },
          ]);
        }
        // The same rules and options as the global ValidationPipe, fields named `purchase.…`.
        const dto = await validateBody(PurchaseDto, item.purchase, 'purchase');
        const response = await this.purchase(dto, principal, key);
        results.push({
          idempotencyKey: key,
          status: response.status,
          replayed: response.replayed,
          body: JSON.parse(response.body),
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        results.push({
          idempotencyKey: key,
          status: STATUS_BY_KIND[err.kind],
          replayed: false,
          body: { code: err.code, message: err.message, details: err.details ?? [] },
        });
      }
    }
    return results;
  }

  /**
   * The receipt this purchase would give, posted in the caller's transaction: the preview runs
   * it in one it rolls back (CheckoutPreviewService), so preview and receipt cannot differ.
   */
  async receiptIn(tx: EntityManager, dto: PurchaseDto, principal: Principal, key: string) {
    const storeId = storeOf(principal, dto.storeId);
    return mapStoreErrors(() => this.postPurchase(tx, dto, storeId, principal, key));
  }

  private async postPurchase(
    em: EntityManager,
    dto: PurchaseDto,
    storeId: string,
    principal: Principal,
    key: string,
  ) {
    if (dto.currency !== PROGRAMME_CURRENCY) throw currencyUnsupported(dto.currency);
    // A plain earn by member id: the promotions engine reads the member first thing in this
    // transaction and refuses one that is unknown or not active (404, nothing written), so it is
    // not read twice. Spending points or coupons checks the member before anything else.
    const plainEarn = !!dto.memberId && !(dto.redeemPoints ?? 0) && !dto.coupons?.length;
    const memberId = plainEarn
      ? dto.memberId!
      : await this.till.memberOf(em, dto, (dto.redeemPoints ?? 0) > 0);
    const now = this.clock.now();
    const amounts = dto.lines.map((l) => l.quantity * l.unitPriceCents);
    const subtotalCents = amounts.reduce((a, b) => a + b, 0);
    const redeemPoints = dto.redeemPoints ?? 0;
    // Reward coupons first (each used once: CheckoutRewards), then points on what is left.
    const coupons = dto.coupons?.length
      ? await this.checkoutRewards.useCoupons(em, dto.coupons, {
          memberId,
          storeId,
          reference: key,
          lines: dto.lines,
        })
      : null;
    const payable = coupons ? amounts.map((a, i) => a - coupons.lineCents[i]) : amounts;
    // The admin's point value (cached: no query on the till's path unless points are spent).
    const pointsCents = redeemPoints
      ? redeemPoints * (await this.settings.programme()).pointValueCents
      : 0;
    const dueCents = subtotalCents - (coupons?.totalCents ?? 0);
    if (pointsCents > dueCents) throw discountExceedsTotal(pointsCents, dueCents);
    const discountCents = pointsCents + (coupons?.totalCents ?? 0);
    const lineDiscounts = allocate(pointsCents, payable).map(
      (c, i) => c + (coupons?.lineCents[i] ?? 0),
    );
    const lineRedeemed = allocate(redeemPoints, payable);
    const lines: EarnLine[] = dto.lines.map((l, i) => ({
      lineNo: i + 1,
      sku: l.sku,
      category: l.category ?? null,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      amountCents: amounts[i],
      pointsDiscountCents: lineDiscounts[i],
    }));
    const earned = await this.earn.compute(
      { memberId, storeId, currency: dto.currency, at: now, lines },
      em,
    );
    const lineEarned =
      earned.perLine ??
      allocate(
        earned.points,
        lines.map((l) => l.amountCents - l.pointsDiscountCents),
      );
    const purchaseId = randomUUID();
    const actor = actorOf(principal);
    const insertPurchase = () =>
      this.repo.insertPurchase(em, {
        id: purchaseId,
        storeId,
        memberId,
        externalId: dto.externalId ?? null,
        currency: dto.currency,
        subtotalCents,
        discountCents,
        totalCents: subtotalCents - discountCents,
        pointsEarned: earned.points,
        pointsRedeemed: redeemPoints,
        actorType: actor.actorType,
        actorId: actor.actorId,
        idempotencyKey: key,
        createdAt: now,
        lines: lines.map((l, i) => ({
          lineNo: l.lineNo,
          sku: l.sku,
          category: l.category,
          quantity: l.quantity,
          unitPriceCents: l.unitPriceCents,
          amountCents: l.amountCents,
          discountCents: lineDiscounts[i],
          pointsEarned: lineEarned[i],
          pointsRedeemed: lineRedeemed[i],
        })),
      });
    const ticket = dto.externalId ? ` ${dto.externalId}` : '';
    const ctx = { actor, storeId, purchaseId, idempotencyKey: key };
    const totalCents = subtotalCents - discountCents;
    // Spending locks the account and consumes lots first, one statement after another. A plain
    // earn is independent statements (the purchase, the ledger's one-statement earn, the
    // promotions' awards row, the pass update, and other modules' reads for their purchase
    // hooks, which send their writes with the COMMIT): they go to the database together.
    let account: Awaited<ReturnType<LedgerService['lock']>> | undefined;
    if (redeemPoints > 0) {
      await insertPurchase();
      account = await this.ledger.lock(em, memberId);
      await this.ledger.redeem(
        em,
        { memberId, points: redeemPoints },
        { ...ctx, reason: `Points spent on purchase${ticket}` },
        { account, notify: false },
      );
    }
    let posting!: ReturnType<LedgerService['earn']>;
    const [, posted, outcome] = await pipelined(em, [
      () => (account ? Promise.resolve(null) : insertPurchase()),
      () =>
        (posting = this.ledger.earn(
          em,
          { memberId, points: earned.points, promotions: earned.breakdown },
          { ...ctx, reason: `Points for purchase${ticket}` },
          { account, notify: false },
        )),
      () => earned.commit?.(purchaseId, posting) ?? Promise.resolve(null),
      () => this.ledger.notifyChanged(em, [memberId]),
      // Other modules' work on a new purchase (follow-up tasks), in this transaction.
      () =>
        this.purchaseHooks.empty
          ? Promise.resolve()
          : this.purchaseHooks.afterPurchase(em, {
              purchaseId,
              memberId,
              storeId,
              externalId: dto.externalId ?? null,
              totalCents,
              categories: [...new Set(lines.flatMap((l) => (l.category ? [l.category] : [])))],
              at: now,
            }),
    ] as const);
    return {
      purchaseId,
      memberId,
      storeId,
      externalId: dto.externalId ?? null,
      currency: dto.currency,
      subtotalCents,
      totalCents,
      discountCents,
      pointsEarned: earned.points,
      pointsPending: posted.pendingPoints,
      pointsRedeemed: redeemPoints,
      balance: posted.balance,
      pending: posted.pending,
      availableAt: posted.pendingPoints > 0 ? posted.availableAt : null,
      breakdown: earned.breakdown,
      ...(coupons ? { coupons: coupons.coupons } : {}),
      // Stamp cards the purchase moved and coupons its promotions issued (the receipt lists them).
      ...receiptExtras(outcome),
      lines: lines.map((l, i) => ({
        lineNo: l.lineNo,
        sku: l.sku,
        quantity: l.quantity,
        amountCents: l.amountCents,
        discountCents: lineDiscounts[i],
        pointsEarned: lineEarned[i],
        pointsRedeemed: lineRedeemed[i],
      })),
      createdAt: now,
    };
  }
}

function receiptExtras(outcome: unknown): { stamps?: unknown[]; couponsIssued?: string[] } {
  const o = outcome as Partial<PurchaseOutcome> | null;
  if (!o) return {};
  return {
    ...(o.stamps?.length ? { stamps: o.stamps } : {}),
    ...(o.coupons?.length ? { couponsIssued: o.coupons } : {}),
  };
}
