import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common';
import { TransactionRunner, Tx } from '../../database';
import { EarningService } from './earning.service';
import { Promotion } from './promotion.entity';
import {
  isSynthetic,
  PurchaseEvaluation,
  PurchaseOutcome,
  StampCardState,
} from './promotions.types';
import { PurchaseAwardsRepository } from './purchase-awards.repository';
import { Reward } from './reward.entity';
import { RewardsService } from './rewards.service';
import { TiersService } from './tiers.service';

/**
 * What a purchase gives besides points, after its row exists and in its transaction: reward
 * coupons of `issue_reward` effects, stamps (a full card issues its reward and starts again),
 * the referrer's reward on a friend's first purchase and an immediate tier upgrade.
 */
@Injectable()
export class PurchaseAwardsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly repo: PurchaseAwardsRepository,
    private readonly rewards: RewardsService,
    private readonly earning: EarningService,
    private readonly tiers: TiersService,
  ) {}

  /**
   * Records what each promotion gave besides points (one row per purchase, so a replay does
   * nothing twice), the points earned (for tiers), stamps, coupons and the tier upgrade.
   */
  async commitUsage(
    tx: Tx,
    evaluation: PurchaseEvaluation,
    purchaseId: string,
    memberId: string | null,
    /** The purchase's own ledger posting when it runs alongside (checkout pipelines both):
     *  what follows the awards row (referral points, the tier upgrade) waits for it. */
    posted?: Promise<unknown>,
  ): Promise<PurchaseOutcome> {
    const outcome: PurchaseOutcome = { coupons: [], stamps: [], tierChange: null };
    if (!memberId) return outcome;
    const now = this.clock.now();
    const promos = evaluation.breakdown.filter((b) => !isSynthetic(b.promotionId));
    const inserted = await this.repo.record(tx, {
      purchaseId,
      memberId,
      // Only what a promotion gave besides points: the points per promotion and version are
      // on the purchase's earn entry in the ledger (with 50 promotions, storing them here too
      // was a large share of each purchase's write).
      awards: promos
        .filter((b) => b.stamps > 0 || b.rewardIds.length > 0)
        .map((b) => ({
          promotionId: b.promotionId,
          version: b.version,
          stamps: b.stamps,
          rewardIds: b.rewardIds,
        })),
      at: now,
      pointsEarned: evaluation.pointsEarned,
      firstPurchase: evaluation.firstPurchase,
    });
    await posted;
    if (!inserted) return outcome;
    for (const b of promos) {
      for (const rewardId of b.rewardIds) {
        const code = await this.issueReward(
          tx,
          rewardId,
          memberId,
          'promotion',
          `${purchaseId}:${b.promotionId}`,
          now,
        );
        if (code) outcome.coupons.push(code);
      }
      if (b.stamps > 0) {
        const card = await this.addStamps(tx, b.promotionId, memberId, b.stamps, purchaseId, now);
        if (card) {
          outcome.stamps.push(card.state);
          outcome.coupons.push(...card.coupons);
        }
      }
    }
    if (inserted.referrer) await this.earning.referralRewards(tx, memberId, inserted.referrer);
    outcome.tierChange = await this.tiers.upgradeIfQualified(tx, memberId, now, evaluation.tiers);
    return outcome;
  }

  /** The member's stamp cards (for the web card and the wallet pass). */
  async stampCards(reader: EntityManager, memberId: string): Promise<StampCardState[]> {
    const rows = await this.repo.stampCards(reader, memberId);
    return rows.map((r) => ({
      promotionId: r.promotion_id,
      name: { es: r.name_es, en: r.name_en },
      stamps: r.stamps,
      stampsRequired: r.stamps_required,
      cardsCompleted: r.cards_completed,
    }));
  }

  /** Points earned by event and purchase (the personal-data export). */
  earnings(reader: EntityManager, memberId: string) {
    return this.repo.earnings(reader, memberId);
  }

  private async issueReward(
    tx: Tx,
    rewardId: string,
    memberId: string,
    source: 'promotion' | 'stamp_card',
    sourceRef: string,
    now: Date,
  ): Promise<string | null> {
    const reward = await tx.findOne(Reward, { where: { id: rewardId } });
    if (!reward) return null;
    return this.rewards.issue(tx, { reward, memberId, source, sourceRef, pointsCost: 0, now });
  }

  private async addStamps(
    tx: Tx,
    promotionId: string,
    memberId: string,
    stamps: number,
    purchaseId: string,
    now: Date,
  ): Promise<{ state: StampCardState; coupons: string[] } | null> {
    const p = await tx.findOne(Promotion, { where: { id: promotionId } });
    if (!p?.stampsRequired) return null;
    const row = await this.repo.addStamps(tx, memberId, promotionId, stamps, now);
    const full = Math.floor(row.stamps / p.stampsRequired);
    const coupons: string[] = [];
    let left = row.stamps;
    if (full > 0) {
      left = row.stamps - full * p.stampsRequired;
      await this.repo.completeCards(tx, memberId, promotionId, left, full);
      for (let i = 0; i < full; i++) {
        const code = p.stampRewardId
          ? await this.issueReward(
              tx,
              p.stampRewardId,
              memberId,
              'stamp_card',
              `${purchaseId}:${promotionId}:${i}`,
              now,
            )
          : null;
        if (code) coupons.push(code);
      }
    }
    return {
      state: {
        promotionId,
        name: { es: p.nameEs, en: p.nameEn },
        stamps: left,
        stampsRequired: p.stampsRequired,
        cardsCompleted: row.cards_completed + full,
      },
      coupons,
    };
  }

  /** Erasure: event ids supplied by integrations can name the member; the points stay. */
  async eraseEventKeys(tx: Tx, memberId: string): Promise<void> {
    await this.repo.eraseEventKeys(tx, memberId);
  }
}
