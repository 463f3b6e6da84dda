import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Clock, Principal, validationFailed } from '../../common';
import { isUniqueViolation, preparedQuery, TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { LedgerService } from '../ledger';
import { MembersService } from '../members';
import { CreateRewardDto, UpdateRewardDto } from './dto/reward.dto';
import { PromotionsError, PromotionsErrorCode } from './promotions.errors';
import { Reward } from './reward.entity';

export type CouponSource = 'redemption' | 'promotion' | 'stamp_card' | 'event';

/** A coupon the member holds, or a catalogue reward their balance covers. */
export interface UsableReward {
  source: 'coupon' | 'catalogue';
  /** The coupon's code (null for a catalogue reward: redeem it first). */
  code: string | null;
  rewardId: string;
  name: { es: string; en: string };
  kind: string;
  costPoints: number;
  discountCents: number | null;
  sku: string | null;
  expiresAt: Date | null;
}

export interface CouponView {
  id: string;
  code: string;
  rewardId: string;
  rewardName: { es: string; en: string };
  kind: string;
  discountCents: number | null;
  sku: string | null;
  memberId: string;
  status: 'issued' | 'used' | 'cancelled';
  source: CouponSource;
  pointsCost: number;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

// Crockford base32 without I, L, O, U: easy to read out and type at a till.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random coupon code such as `FDC-7K3M-Q9XA-2B`: 60 bits, never sequential. */
export function newCouponCode(): string {
  const bytes = randomBytes(12);
  let s = '';
  for (let i = 0; i < 12; i++) s += ALPHABET[bytes[i] & 31];
  return `FDC-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

const COUPON_SELECT = `
  SELECT c.id, c.code, c.reward_id AS "rewardId", r.name_es AS "nameEs", r.name_en AS "nameEn",
         r.kind, r.discount_cents AS "discountCents", r.sku, c.member_id AS "memberId", c.status,
         c.source, c.points_cost AS "pointsCost", c.issued_at AS "issuedAt",
         c.expires_at AS "expiresAt", c.used_at AS "usedAt"
    FROM coupons c JOIN rewards r ON r.id = c.reward_id`;

type CouponRow = Omit<CouponView, 'rewardName'> & { nameEs: string; nameEn: string };
const toCoupon = ({ nameEs, nameEn, ...r }: CouponRow): CouponView => ({
  ...r,
  rewardName: { es: nameEs, en: nameEn },
});

/**
 * The rewards catalogue and its single-use coupons. Redeeming spends points through the ledger
 * and takes one unit of stock with a conditional update; using a coupon is one conditional
 * UPDATE (`status = 'issued'`), so two tills using it at once succeed once; cancelling an unused
 * coupon gives the points back through the ledger.
 */
@Injectable()
export class RewardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly audit: AuditService,
  ) {}

  list(activeOnly = false): Promise<Reward[]> {
    return this.dataSource.manager.find(Reward, {
      where: activeOnly ? { active: true } : {},
      order: { costPoints: 'ASC', createdAt: 'ASC' },
    });
  }

  async get(id: string, em: EntityManager = this.dataSource.manager): Promise<Reward> {
    const r = await em.findOne(Reward, { where: { id } });
    if (!r)
      throw new PromotionsError(
        'not_found',
        PromotionsErrorCode.RewardNotFound,
        'reward not found',
        [{ field: 'rewardId', reason: 'no such reward' }],
      );
    return r;
  }

  async create(dto: CreateRewardDto, principal?: Principal): Promise<Reward> {
    return this.transactions.run(async (em) => {
      const r = em.create(Reward, {
        ...dto,
        validFrom: dto.validFrom ? new Date(dto.validFrom) : null,
        validUntil: dto.validUntil ? new Date(dto.validUntil) : null,
      });
      assertWindow(r);
      await em.save(r);
      await this.audit.log(em, {
        principal,
        action: 'reward.create',
        entity: 'reward',
        entityId: r.id,
      });
      return r;
    });
  }

  async update(id: string, dto: UpdateRewardDto, principal?: Principal): Promise<Reward> {
    return this.transactions.run(async (em) => {
      const r = await this.get(id, em);
      refuseNulls(dto, ['nameEs', 'nameEn', 'kind', 'costPoints', 'couponValidDays', 'active']);
      const { validFrom, validUntil, ...rest } = dto;
      Object.assign(r, rest);
      if (validFrom !== undefined) r.validFrom = validFrom === null ? null : new Date(validFrom);
      if (validUntil !== undefined)
        r.validUntil = validUntil === null ? null : new Date(validUntil);
      assertWindow(r);
      await em.save(r);
      await this.audit.log(em, {
        principal,
        action: 'reward.update',
        entity: 'reward',
        entityId: id,
        details: { fields: Object.keys(dto) },
      });
      return r;
    });
  }

  /** Spends the reward's points and issues a coupon, in one transaction. */
  async redeem(rewardId: string, memberId: string, principal?: Principal): Promise<CouponView> {
    return this.transactions.run(
      async (em) => (await this.redeemIn(em, { rewardId, memberId, principal })).coupon,
    );
  }

  /**
   * `redeem` in the caller's transaction (the till's, under its Idempotency-Key): the coupon,
   * the ledger entry that paid for it (null for a reward that costs nothing) and the balance.
   * Too few points: the ledger's 409, and nothing is issued.
   */
  async redeemIn(
    em: EntityManager,
    input: {
      rewardId: string;
      memberId: string;
      principal?: Principal;
      storeId?: string | null;
      idempotencyKey?: string;
    },
  ): Promise<{ coupon: CouponView; entryId: string | null; balance: number | null }> {
    const { rewardId, memberId, principal } = input;
    await this.members.get(em, memberId);
    const reward = await this.get(rewardId, em);
    const now = this.clock.now();
    const { actorType, actorId } = actorOf(principal);
    const code = await this.issue(em, {
      reward,
      memberId,
      source: 'redemption',
      sourceRef: null,
      pointsCost: reward.costPoints,
      now,
    });
    if (!code)
      throw new PromotionsError(
        'conflict',
        PromotionsErrorCode.OutOfStock,
        'this reward is out of stock',
        [{ field: 'rewardId', reason: 'out of stock' }],
      );
    const paid =
      reward.costPoints > 0
        ? await this.ledger.redeem(
            em,
            { memberId, points: reward.costPoints },
            {
              actor: { actorType, actorId },
              reason: `Reward: ${reward.nameEs} (${code})`,
              storeId: input.storeId ?? null,
              idempotencyKey: input.idempotencyKey,
            },
          )
        : null;
    // Remembered so a cancellation restores those very lots (issue 13, defect 7).
    if (paid?.entryId)
      await em.query(`UPDATE coupons SET paid_entry_id = $2 WHERE code = $1`, [code, paid.entryId]);
    await this.audit.log(em, {
      principal,
      action: 'reward.redeem',
      entity: 'reward',
      entityId: rewardId,
      memberId,
    });
    return {
      coupon: await this.coupon(code, em),
      entryId: paid?.entryId ?? null,
      balance: paid?.balance ?? null,
    };
  }

  /**
   * Issues a coupon of `reward` (stock permitting) in the caller's transaction; null when the
   * reward is inactive, outside its validity or out of stock. For promotions and stamp cards the
   * (source, sourceRef, reward) triple is unique, so a replay issues nothing twice.
   */
  async issue(
    em: EntityManager,
    input: {
      reward: Reward;
      memberId: string;
      source: CouponSource;
      sourceRef: string | null;
      pointsCost: number;
      now: Date;
    },
  ): Promise<string | null> {
    const { reward, now } = input;
    if (
      !reward.active ||
      (reward.validFrom && now < reward.validFrom) ||
      (reward.validUntil && now >= reward.validUntil)
    ) {
      if (input.source === 'redemption')
        throw new PromotionsError(
          'conflict',
          PromotionsErrorCode.RewardUnavailable,
          'this reward is not available now',
          [{ field: 'rewardId', reason: 'not available' }],
        );
      return null;
    }
    const res: unknown[] = await em.query(
      `UPDATE rewards SET stock = stock - 1 WHERE id = $1 AND stock IS NOT NULL AND stock > 0 RETURNING stock`,
      [reward.id],
    );
    const took = (Array.isArray(res[0]) ? (res[0] as unknown[]) : res).length === 1;
    if (reward.stock !== null && !took) return null;
    const expiresAt = new Date(now.getTime() + reward.couponValidDays * 86_400_000);
    for (let attempt = 0; ; attempt++) {
      const code = newCouponCode();
      try {
        const rows: { code: string }[] = await em.query(
          `INSERT INTO coupons (code, reward_id, member_id, source, source_ref, points_cost, issued_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT ON CONSTRAINT coupons_source_once DO NOTHING
           RETURNING code`,
          [
            code,
            reward.id,
            input.memberId,
            input.source,
            input.sourceRef,
            input.pointsCost,
            now,
            expiresAt,
          ],
        );
        if (!rows.length && took)
          await em.query(`UPDATE rewards SET stock = stock + 1 WHERE id = $1`, [reward.id]);
        return rows[0]?.code ?? null;
      } catch (err) {
        if (isUniqueViolation(err, 'coupons_code_key') && attempt < 5) continue;
        throw err;
      }
    }
  }

  async coupon(code: string, em: EntityManager = this.dataSource.manager): Promise<CouponView> {
    const rows: CouponRow[] = await em.query(`${COUPON_SELECT} WHERE c.code = $1`, [
      code.toUpperCase(),
    ]);
    if (!rows.length) throw couponNotFound();
    return toCoupon(rows[0]);
  }

  /**
   * What the till may offer a member (DESIGN §6 scan: "usable rewards"), before the balance is
   * known: their unused, unexpired coupons, then the catalogue rewards in stock and in date,
   * cheapest first; `usableWith` keeps those the balance covers. One query, which the till
   * sends together with the balance's.
   */
  async offeredTo(
    memberId: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<UsableReward[]> {
    const { rows } = await preparedQuery<
      Omit<UsableReward, 'name'> & { nameEs: string; nameEn: string }
    >(
      em,
      'rewards_usable_by',
      `SELECT * FROM (
           SELECT 'coupon' AS source, c.code, r.id AS "rewardId", r.name_es AS "nameEs",
                  r.name_en AS "nameEn", r.kind, c.points_cost AS "costPoints",
                  r.discount_cents AS "discountCents", r.sku, c.expires_at AS "expiresAt"
             FROM coupons c JOIN rewards r ON r.id = c.reward_id
            WHERE c.member_id = $1 AND c.status = 'issued' AND c.expires_at > $2
           UNION ALL
           SELECT 'catalogue', NULL, r.id, r.name_es, r.name_en, r.kind, r.cost_points,
                  r.discount_cents, r.sku, r.valid_until
             FROM rewards r
            WHERE r.active AND (r.stock IS NULL OR r.stock > 0)
              AND (r.valid_from IS NULL OR r.valid_from <= $2)
              AND (r.valid_until IS NULL OR r.valid_until > $2)
         ) u ORDER BY source DESC, "costPoints" ASC LIMIT 50`,
      [memberId, this.clock.now()],
    );
    return rows.map(({ nameEs, nameEn, ...r }) => ({ ...r, name: { es: nameEs, en: nameEn } }));
  }

  async couponsOf(
    memberId: string,
    status?: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<CouponView[]> {
    const rows: CouponRow[] = await em.query(
      `${COUPON_SELECT} WHERE c.member_id = $1 AND ($2::text IS NULL OR c.status = $2)
       ORDER BY c.issued_at DESC LIMIT 200`,
      [memberId, status ?? null],
    );
    return rows.map(toCoupon);
  }

  /**
   * Uses a coupon once: one conditional UPDATE, so the same code at two tills at once, or twice,
   * succeeds exactly once. In the caller's transaction (checkout passes its own).
   */
  async useCoupon(
    manager: EntityManager | undefined,
    input: {
      code: string;
      storeId?: string | null;
      reference?: string | null;
      memberId?: string | null;
    },
  ): Promise<CouponView> {
    const em = manager ?? this.dataSource.manager;
    const now = this.clock.now();
    const res: unknown[] = await em.query(
      `UPDATE coupons SET status = 'used', used_at = $2, used_store_id = $3, used_ref = $4
        WHERE code = $1 AND status = 'issued' AND expires_at > $2
          AND ($5::uuid IS NULL OR member_id = $5)
        RETURNING id`,
      [
        input.code.toUpperCase(),
        now,
        input.storeId ?? null,
        input.reference ?? null,
        input.memberId ?? null,
      ],
    );
    const rows = Array.isArray(res[0]) ? (res[0] as unknown[]) : res;
    if (rows.length === 1) return this.coupon(input.code, em);
    const existing = await this.coupon(input.code, em); // 404 when unknown
    const why =
      input.memberId && existing.memberId !== input.memberId
        ? 'belongs to another member'
        : existing.status !== 'issued'
          ? `already ${existing.status}`
          : 'expired';
    throw new PromotionsError('conflict', PromotionsErrorCode.CouponNotUsable, `coupon ${why}`, [
      { field: 'code', reason: why },
    ]);
  }

  /** Cancels an unused coupon and gives back the points it cost. */
  async cancelCoupon(code: string, principal?: Principal): Promise<CouponView> {
    return this.transactions.run(async (em) => {
      const now = this.clock.now();
      const rows: {
        member_id: string;
        points_cost: number;
        reward_id: string;
        paid_entry_id: string | null;
      }[] = await em.query(
        `UPDATE coupons SET status = 'cancelled', cancelled_at = $2
          WHERE code = $1 AND status = 'issued'
          RETURNING member_id, points_cost, reward_id, paid_entry_id::text AS paid_entry_id`,
        [code.toUpperCase(), now],
      );
      const row = (Array.isArray(rows[0]) ? (rows[0] as unknown as typeof rows) : rows)[0];
      if (!row) {
        const existing = await this.coupon(code, em);
        throw new PromotionsError(
          'conflict',
          PromotionsErrorCode.CouponNotUsable,
          `coupon already ${existing.status}`,
          [{ field: 'code', reason: `already ${existing.status}` }],
        );
      }
      await em.query(`UPDATE rewards SET stock = stock + 1 WHERE id = $1 AND stock IS NOT NULL`, [
        row.reward_id,
      ]);
      if (row.points_cost > 0) {
        const { actorType, actorId } = actorOf(principal);
        const ctx = {
          actor: { actorType, actorId },
          reason: `Coupon ${code.toUpperCase()} cancelled: points returned`,
        };
        // The points go back onto the lots they were taken from, keeping their expiry; coupons
        // issued before that was remembered get a new lot, as they always did.
        if (row.paid_entry_id)
          await this.ledger.refundRedemption(
            em,
            { memberId: row.member_id, entryId: row.paid_entry_id },
            ctx,
          );
        else
          await this.ledger.adjust(em, { memberId: row.member_id, points: row.points_cost }, ctx);
      }
      await this.audit.log(em, {
        principal,
        action: 'coupon.cancel',
        entity: 'coupon',
        entityId: code.toUpperCase(),
        memberId: row.member_id,
      });
      return this.coupon(code, em);
    });
  }
}

export const couponNotFound = () =>
  new PromotionsError('not_found', PromotionsErrorCode.CouponNotFound, 'coupon not found', [
    { field: 'code', reason: 'no such coupon' },
  ]);

/** PATCH bodies: `null` may clear optional fields, never required ones (400 naming them). */
export function refuseNulls(dto: object, required: string[]): void {
  const body = dto as Record<string, unknown>;
  const nulls = required.filter((k) => body[k] === null);
  if (nulls.length)
    throw validationFailed(nulls.map((field) => ({ field, reason: 'cannot be null' })));
}

/** A validity window that ends before it starts is nonsense (issue 13, defect 12). */
function assertWindow(r: { validFrom: Date | null; validUntil: Date | null }): void {
  if (r.validFrom && r.validUntil && r.validUntil <= r.validFrom)
    throw validationFailed([{ field: 'validUntil', reason: 'must be after validFrom' }]);
}
