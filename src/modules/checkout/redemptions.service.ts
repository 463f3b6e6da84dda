import { Injectable } from '@nestjs/common';
import { actorOf, Principal } from '../../common';
import { IdempotencyService, IdempotentResponse } from '../idempotency';
import { LedgerService } from '../ledger';
import { SettingsService } from '../settings';
import { CheckoutRewards } from './checkout-rewards';
import { RedemptionDto } from './dto/checkout.dto';
import { storeOf, TillMembers } from './till';

/** Redemptions at the till: points for a discount now, or a catalogue reward for its coupon. */
@Injectable()
export class RedemptionsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly till: TillMembers,
    private readonly settings: SettingsService,
    private readonly checkoutRewards: CheckoutRewards,
  ) {}

  /** Points for a discount now, or a reward of the catalogue for its coupon (CheckoutRewards). */
  async redeem(dto: RedemptionDto, principal: Principal, key: string): Promise<IdempotentResponse> {
    const storeId = storeOf(principal, dto.storeId, { optional: true });
    const actor = actorOf(principal);
    return this.idempotency.execute(
      {
        scope: storeId
          ? `redemption:store:${storeId}`
          : `redemption:${actor.actorType}:${actor.actorId}`,
        key,
        requestHash: this.idempotency.requestHash('redemption', dto),
      },
      async (em) => {
        const memberId = await this.till.memberOf(em, dto, true);
        if (dto.rewardId !== undefined) {
          const { rewardId } = dto;
          const input = { memberId, rewardId, storeId, principal, key };
          return { status: 201, body: await this.checkoutRewards.redeemReward(em, input) };
        }
        const points = dto.points!;
        const { pointValueCents } = await this.settings.programme();
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
            discountCents: points * pointValueCents,
            balance: result.balance,
          },
        };
      },
    );
  }
}
