import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  actorOf,
  Clock,
  DomainError,
  flattenValidationErrors,
  PersonalDataRegistry,
  PurchaseHooks,
  Principal,
  STATUS_BY_KIND,
  validationFailed,
} from '../../common';
import { AppConfig } from '../../config';
import { isUniqueViolation, PG_ERROR, pgCode, pipelined, preparedQuery } from '../../database';
import { CardsService } from '../cards';
import { IdempotencyService, IdempotentResponse, isValidKey, requestHash } from '../idempotency';
import { allocate, LedgerService, shareForReturn } from '../ledger';
import { MembersService } from '../members';
import { usableWith, type UsableReward } from '../promotions';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  currencyUnsupported,
  discountExceedsTotal,
  duplicateExternalId,
  memberInactive,
  purchaseNotFound,
  returnExceedsPurchase,
  returnLineUnknown,
  rotatingCodeRequired,
  notYourStore,
  storeInactive,
  storeNotFound,
  storeRequired,
  wrongStore,
} from './checkout.errors';
import { BatchItemDto, PurchaseDto, RedemptionDto, ReturnDto } from './dto/checkout.dto';
import { CheckoutRewards } from './checkout-rewards';
import { EarnCalculator, EarnLine } from './earn-calculator';

const PROGRAMME_CURRENCY = 'EUR';
const EXPIRING_SOON_DAYS = 30;

export interface ScanSummary {
  memberId: string;
  cardId: string;
  codeKind: string;
  name: string;
  firstName: string | null;
  tier: string | null;
  balance: number;
  available: number;
  pending: number;
  expiring: { points: number; expiresAt: Date }[];
  rewards: UsableReward[];
  warnings: { code: string; message: string }[];
}

export interface BatchResult {
  idempotencyKey: string;
  status: number;
  replayed: boolean;
  body: unknown;
}

/**
 * What happens at the till: scan, purchase (earn and spend in one), redemption, return, the
 * offline batch. Each posting is one transaction opened by IdempotencyService.execute: the key
 * row first, then the purchase rows, then the ledger under the member's account lock.
 */
@Injectable()
export class CheckoutService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly cards: CardsService,
    private readonly members: MembersService,
    private readonly idempotency: IdempotencyService,
    private readonly earn: EarnCalculator,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly personalData: PersonalDataRegistry,
    private readonly checkoutRewards: CheckoutRewards,
    private readonly purchaseHooks: PurchaseHooks,
  ) {}

  onModuleInit(): void {
    this.personalData.register({
      category: 'purchases',
      export: async (em, memberId) =>
        em.query(
          `SELECT p.id, p.store_id AS "storeId", p.external_id AS "externalId", p.currency,
                  p.subtotal_cents AS "subtotalCents", p.discount_cents AS "discountCents",
                  p.total_cents AS "totalCents", p.points_earned AS "pointsEarned",
                  p.points_redeemed AS "pointsRedeemed", p.created_at AS "createdAt",
                  coalesce((SELECT json_agg(json_build_object('lineNo', l.line_no, 'sku', l.sku,
                    'category', l.category, 'quantity', l.quantity,
                    'unitPriceCents', l.unit_price_cents, 'returnedQuantity', l.returned_quantity)
                    ORDER BY l.line_no) FROM purchase_lines l WHERE l.purchase_id = p.id), '[]')
                    AS lines
             FROM purchases p WHERE p.member_id = $1 ORDER BY p.created_at`,
          [memberId],
        ),
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

  /** Card number or code → who it is and what they can spend, or the card's refusal. */
  async scan(code: string): Promise<ScanSummary> {
    // One connection for the whole scan: the card first, then the member, the points and the
    // rewards together in one round trip.
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const em = runner.manager;
      const resolved = await this.cards.resolveCode(code, { manager: em });
      const [member, points, offered] = await pipelined(em, [
        () => this.members.brief(resolved.memberId, em),
        () => this.ledger.balanceOf(resolved.memberId, em),
        () => this.checkoutRewards.offeredTo(resolved.memberId, em),
      ] as const);
      return this.scanSummary(resolved, member, points, usableWith(offered, points.balance));
    } finally {
      await runner.release();
    }
  }

  private scanSummary(
    resolved: Awaited<ReturnType<CardsService['resolveCode']>>,
    member: Awaited<ReturnType<MembersService['brief']>>,
    points: Awaited<ReturnType<LedgerService['balanceOf']>>,
    rewards: UsableReward[],
  ): ScanSummary {
    if (member.status !== 'active') throw memberInactive();
    const warnings: ScanSummary['warnings'] = [];
    if (points.balance < 0) {
      warnings.push({
        code: 'negative_balance',
        message: `the balance is ${points.balance}: points cannot be redeemed until it is repaid`,
      });
    }
    const soon = this.clock.now().getTime() + EXPIRING_SOON_DAYS * 86400000;
    const expiringSoon = points.expiring
      .filter((e) => new Date(e.expiresAt).getTime() <= soon)
      .reduce((s, e) => s + e.points, 0);
    if (expiringSoon > 0) {
      warnings.push({
        code: 'points_expiring_soon',
        message: `${expiringSoon} points expire within ${EXPIRING_SOON_DAYS} days`,
      });
    }
    if (points.pending > 0) {
      warnings.push({
        code: 'pending_points',
        message: `${points.pending} points become available after the return window`,
      });
    }
    return {
      memberId: member.id,
      cardId: resolved.card.id,
      codeKind: resolved.kind,
      name: [member.firstName, member.lastName].filter(Boolean).join(' '),
      firstName: member.firstName,
      tier: member.tier,
      balance: points.balance,
      available: Math.max(0, points.balance),
      pending: points.pending,
      expiring: points.expiring,
      rewards,
      warnings,
    };
  }

  /** DESIGN §6 `POST /api/checkout/purchases`: exactly once per key, and per store + externalId. */
  async purchase(dto: PurchaseDto, principal: Principal, key: string): Promise<IdempotentResponse> {
    const storeId = this.storeOf(principal, dto.storeId);
    return this.mapStoreErrors(() =>
      this.idempotency.execute(
        { scope: `purchase:store:${storeId}`, key, requestHash: requestHash('purchase', dto) },
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
        if (!isValidKey(key)) {
          throw validationFailed([
            { field: 'idempotencyKey', reason: '8 to 255 visible ASCII characters' },
          ]);
        }
        const dto = plainToInstance(PurchaseDto, item.purchase);
        const errors = await validate(dto, {
          whitelist: true,
          forbidNonWhitelisted: true,
          forbidUnknownValues: true,
          stopAtFirstError: true,
        });
        if (errors.length) throw validationFailed(flattenValidationErrors(errors, 'purchase'));
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

  /** Points for a discount now, or a reward of the catalogue for its coupon (CheckoutRewards). */
  async redeem(dto: RedemptionDto, principal: Principal, key: string): Promise<IdempotentResponse> {
    const storeId = this.storeOf(principal, dto.storeId, { optional: true });
    const actor = actorOf(principal);
    return this.idempotency.execute(
      {
        scope: storeId
          ? `redemption:store:${storeId}`
          : `redemption:${actor.actorType}:${actor.actorId}`,
        key,
        requestHash: requestHash('redemption', dto),
      },
      async (em) => {
        const memberId = await this.memberOf(dto, em, true);
        if (dto.rewardId !== undefined) {
          const { rewardId } = dto;
          const input = { memberId, rewardId, storeId, principal, key };
          return { status: 201, body: await this.checkoutRewards.redeemReward(em, input) };
        }
        const points = dto.points!;
        const result = await this.ledger.redeem(
          em,
          { memberId, points },
          {
            actor,
            storeId,
            reason: `Redeemed ${points} points for a discount`,
            idempotencyKey: key,
          },
        );
        return {
          status: 201,
          body: {
            redemptionId: result.entryId,
            memberId,
            pointsRedeemed: points,
            discountCents: points * this.config.POINT_VALUE_CENTS,
            balance: result.balance,
          },
        };
      },
    );
  }

  /** Returned lines: reverses what they earned and gives back what they spent, line by line. */
  async returnLines(
    purchaseId: string,
    dto: ReturnDto,
    principal: Principal,
    key: string,
  ): Promise<IdempotentResponse> {
    const storeId = this.storeOf(principal, dto.storeId, { optional: true });
    const actor = actorOf(principal);
    return this.mapStoreErrors(() =>
      this.idempotency.execute(
        {
          scope: storeId ? `return:store:${storeId}` : `return:${actor.actorType}:${actor.actorId}`,
          key,
          requestHash: requestHash(`return:${purchaseId}`, dto),
        },
        async (em) => ({
          status: 201,
          body: await this.postReturn(em, purchaseId, dto, storeId, principal, key),
        }),
      ),
    );
  }

  // --- internals -------------------------------------------------------------------------------

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
      : await this.memberOf(dto, em, (dto.redeemPoints ?? 0) > 0);
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
    const pointsCents = redeemPoints * this.config.POINT_VALUE_CENTS;
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
      preparedQuery(
        em,
        'checkout_purchase_insert',
        `WITH p AS (
             INSERT INTO purchases (id, store_id, member_id, external_id, currency, subtotal_cents,
               discount_cents, total_cents, points_earned, points_redeemed, actor_type,
               actor_id, idempotency_key, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
             RETURNING id)
           INSERT INTO purchase_lines (purchase_id, line_no, sku, category, quantity,
             unit_price_cents, amount_cents, discount_cents, points_earned, points_redeemed)
           SELECT p.id, l.* FROM p,
             unnest($15::int[], $16::text[], $17::text[], $18::int[], $19::int[], $20::int[],
                    $21::int[], $22::int[], $23::int[]) AS l`,
        [
          purchaseId,
          storeId,
          memberId,
          dto.externalId ?? null,
          dto.currency,
          subtotalCents,
          discountCents,
          subtotalCents - discountCents,
          earned.points,
          redeemPoints,
          actor.actorType,
          actor.actorId,
          key,
          now,
          lines.map((l) => l.lineNo),
          lines.map((l) => l.sku),
          lines.map((l) => l.category),
          lines.map((l) => l.quantity),
          lines.map((l) => l.unitPriceCents),
          lines.map((l) => l.amountCents),
          lineDiscounts,
          lineEarned,
          lineRedeemed,
        ],
      ).catch((err: unknown) => {
        if (isUniqueViolation(err, 'purchases_store_external_key')) throw duplicateExternalId();
        throw err;
      });
    const ticket = dto.externalId ? ` ${dto.externalId}` : '';
    const ctx = { actor, storeId, purchaseId, idempotencyKey: key };
    // Spending locks the account and consumes lots first, one statement after another. A plain
    // earn is four independent statements (the purchase, the ledger's one-statement earn, the
    // promotions' awards row, the pass update): they go to the database together.
    let account: Awaited<ReturnType<LedgerService['lock']>> | undefined;
    if (redeemPoints > 0) {
      await insertPurchase();
      account = await this.ledger.lock(memberId, em);
      await this.ledger.redeem(
        em,
        { memberId, points: redeemPoints },
        { ...ctx, reason: `Points spent on purchase${ticket}` },
        { account, notify: false },
      );
    }
    let posting!: ReturnType<LedgerService['earn']>;
    const [, posted] = await pipelined(em, [
      () => (account ? Promise.resolve(null) : insertPurchase()),
      () =>
        (posting = this.ledger.earn(
          em,
          { memberId, points: earned.points, promotions: earned.breakdown },
          { ...ctx, reason: `Points for purchase${ticket}` },
          { account, notify: false },
        )),
      () => earned.commit?.(purchaseId, posting) ?? Promise.resolve(null),
      () => this.ledger.notifyChanged([memberId], em),
    ] as const);
    // Other modules' work on a new purchase (follow-up tasks), in this transaction.
    if (!this.purchaseHooks.empty) {
      await this.purchaseHooks.afterPurchase(em, {
        purchaseId,
        memberId,
        storeId,
        externalId: dto.externalId ?? null,
        totalCents: subtotalCents - discountCents,
        categories: [...new Set(lines.flatMap((l) => (l.category ? [l.category] : [])))],
        at: now,
      });
    }
    return {
      purchaseId,
      memberId,
      storeId,
      externalId: dto.externalId ?? null,
      currency: dto.currency,
      subtotalCents,
      totalCents: subtotalCents - discountCents,
      discountCents,
      pointsEarned: earned.points,
      pointsPending: posted.pendingPoints,
      pointsRedeemed: redeemPoints,
      balance: posted.balance,
      pending: posted.pending,
      availableAt: posted.pendingPoints > 0 ? posted.availableAt : null,
      breakdown: earned.breakdown,
      ...(coupons ? { coupons: coupons.coupons } : {}),
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

  private async postReturn(
    em: EntityManager,
    purchaseId: string,
    dto: ReturnDto,
    storeId: string | null,
    principal: Principal,
    key: string,
  ) {
    const [purchase]: { member_id: string; external_id: string | null }[] = await em.query(
      `SELECT member_id, external_id FROM purchases WHERE id = $1 FOR UPDATE`,
      [purchaseId],
    );
    if (!purchase) throw purchaseNotFound();
    const lines: {
      line_no: number;
      sku: string;
      quantity: number;
      amount_cents: number;
      discount_cents: number;
      points_earned: number;
      points_redeemed: number;
      returned_quantity: number;
    }[] = await em.query(
      `SELECT line_no, sku, quantity, amount_cents, discount_cents, points_earned,
              points_redeemed, returned_quantity
         FROM purchase_lines WHERE purchase_id = $1 ORDER BY line_no`,
      [purchaseId],
    );
    const returning = new Map<number, number>(); // line_no → quantity now
    dto.lines.forEach((req, i) => {
      const left = (l: (typeof lines)[number]) =>
        l.quantity - l.returned_quantity - (returning.get(l.line_no) ?? 0);
      const line =
        req.lineNo !== undefined
          ? lines.find(
              (l) => l.line_no === req.lineNo && (req.sku === undefined || l.sku === req.sku),
            )
          : (lines.find((l) => l.sku === req.sku && left(l) >= req.quantity) ??
            lines.find((l) => l.sku === req.sku));
      if (!line) throw returnLineUnknown(i);
      if (req.quantity > left(line)) throw returnExceedsPurchase(i, left(line));
      returning.set(line.line_no, (returning.get(line.line_no) ?? 0) + req.quantity);
    });
    const result = [...returning].map(([lineNo, quantity]) => {
      const l = lines.find((x) => x.line_no === lineNo)!;
      return {
        lineNo,
        sku: l.sku,
        quantity,
        refundCents: shareForReturn(
          l.amount_cents - l.discount_cents,
          l.quantity,
          l.returned_quantity,
          quantity,
        ),
        pointsReversed: shareForReturn(l.points_earned, l.quantity, l.returned_quantity, quantity),
        pointsRecredited: shareForReturn(
          l.points_redeemed,
          l.quantity,
          l.returned_quantity,
          quantity,
        ),
      };
    });
    const sum = (f: (r: (typeof result)[number]) => number) => result.reduce((s, r) => s + f(r), 0);
    const refundCents = sum((r) => r.refundCents);
    const pointsReversed = sum((r) => r.pointsReversed);
    const pointsRecredited = sum((r) => r.pointsRecredited);
    await em.query(
      `UPDATE purchase_lines pl SET returned_quantity = pl.returned_quantity + r.q
         FROM unnest($2::int[], $3::int[]) AS r(line_no, q)
        WHERE pl.purchase_id = $1 AND pl.line_no = r.line_no`,
      [purchaseId, result.map((r) => r.lineNo), result.map((r) => r.quantity)],
    );
    const actor = actorOf(principal);
    const memberId = purchase.member_id;
    const ticket = purchase.external_id ? ` ${purchase.external_id}` : '';
    const ctx = { actor, storeId, purchaseId, idempotencyKey: key };
    const account = await this.ledger.lock(memberId, em);
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
    if (pointsReversed || pointsRecredited) await this.ledger.notifyChanged([memberId], em);
    if (!this.purchaseHooks.empty) {
      await this.purchaseHooks.afterReturn(em, {
        purchaseId,
        memberId,
        storeId: storeId ?? '',
        fullyReturned: lines.every(
          (l) => l.quantity - l.returned_quantity - (returning.get(l.line_no) ?? 0) <= 0,
        ),
        at: this.clock.now(),
      });
    }
    const returnId = randomUUID();
    await em.query(
      `INSERT INTO purchase_returns (id, purchase_id, store_id, lines, refund_cents, points_reversed,
         points_recredited, actor_type, actor_id, idempotency_key, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11)`,
      [
        returnId,
        purchaseId,
        storeId,
        JSON.stringify(result),
        refundCents,
        pointsReversed,
        pointsRecredited,
        actor.actorType,
        actor.actorId,
        key,
        this.clock.now(),
      ],
    );
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

  /** The member a code or a member id names (a code's refusal is the card's CardsError). */
  private async memberOf(
    dto: { code?: string; memberId?: string },
    em: EntityManager,
    spending = false,
  ): Promise<string> {
    const requireRotating = spending && this.config.REDEMPTION_REQUIRES_ROTATING_CODE;
    if (requireRotating && !dto.code) throw rotatingCodeRequired();
    if (dto.memberId && !requireRotating) {
      const member = await this.members.brief(dto.memberId, em);
      if (member.status !== 'active') throw memberInactive();
      return member.id;
    }
    return (await this.cards.resolveCode(dto.code!, { manager: em, requireRotating })).memberId;
  }

  /**
   * The store of the operation: a POS key's or a store-bound user's own (another is a 403), else
   * the body's.
   */
  private storeOf(principal: Principal, storeId: string | undefined): string;
  private storeOf(
    principal: Principal,
    storeId: string | undefined,
    opts: { optional: true },
  ): string | null;
  private storeOf(
    principal: Principal,
    storeId: string | undefined,
    opts: { optional?: boolean } = {},
  ): string | null {
    if (principal.kind === 'pos') {
      if (storeId && storeId !== principal.storeId) throw wrongStore();
      return principal.storeId;
    }
    const own = principal.kind === 'staff' ? principal.storeId : null;
    if (own && storeId && storeId !== own) throw notYourStore();
    const store = storeId ?? own ?? null;
    if (!store && !opts.optional) throw storeRequired();
    return store;
  }

  private async mapStoreErrors<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (pgCode(err) === PG_ERROR.foreignKeyViolation && /store/.test(constraintOf(err))) {
        throw storeNotFound();
      }
      if (pgCode(err) === PG_ERROR.checkViolation && constraintOf(err) === 'purchases_store_active')
        throw storeInactive();
      throw err;
    }
  }
}

function constraintOf(err: unknown): string {
  const e = err as { constraint?: string; driverError?: { constraint?: string } };
  return e.driverError?.constraint ?? e.constraint ?? '';
}
