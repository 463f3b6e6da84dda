import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertCanAccessMember, CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { CreateRewardDto, RedeemRewardDto, UpdateRewardDto, UseCouponDto } from './dto/reward.dto';
import { PurchaseAwardsService } from './purchase-awards.service';
import { couponNotFound, RewardsService } from './rewards.service';
import { TransactionRunner } from '../../database';

const COUPON_RE = /^[A-Za-z0-9-]{4,40}$/;

@ApiTags('rewards')
@Controller()
export class RewardsController {
  constructor(
    private readonly rewards: RewardsService,
    private readonly awards: PurchaseAwardsService,
    private readonly db: TransactionRunner,
  ) {}

  @Get('api/rewards')
  @Roles('staff', 'member')
  async list(@CurrentPrincipal() principal: Principal) {
    return { items: await this.rewards.list(principal.kind === 'member') };
  }

  @Post('api/rewards')
  @Roles('marketing')
  create(@Body() dto: CreateRewardDto, @CurrentPrincipal() principal: Principal) {
    return this.rewards.create(dto, principal);
  }

  @Patch('api/rewards/:id')
  @Roles('marketing')
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateRewardDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.rewards.update(id, dto, principal);
  }

  /** Spends the member's points on a reward: a single-use coupon. */
  @Post('api/rewards/:id/redeem')
  @Roles('cashier', 'marketing', 'member')
  redeem(
    @UuidParam() id: string,
    @Body() dto: RedeemRewardDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertCanAccessMember(principal, dto.memberId);
    return this.rewards.redeem(id, dto.memberId, principal);
  }

  @Get('api/coupons/:code')
  @Roles('cashier', 'marketing', 'supervisor', 'member')
  async coupon(@Param('code') code: string, @CurrentPrincipal() principal: Principal) {
    return this.ownCoupon(code, principal);
  }

  /** At the till: uses a coupon once (twice, or from two tills at once, succeeds once). */
  @Post('api/coupons/use')
  @HttpCode(200)
  @Roles('cashier')
  use(@Body() dto: UseCouponDto, @CurrentPrincipal() principal: Principal) {
    const storeId = principal.kind === 'pos' ? principal.storeId : (dto.storeId ?? null);
    return this.rewards.useCoupon(undefined, { code: dto.code, storeId, reference: dto.reference });
  }

  /** Cancels an unused coupon; the points it cost come back. */
  @Post('api/coupons/:code/cancel')
  @HttpCode(200)
  @Roles('cashier', 'marketing', 'supervisor', 'member')
  async cancel(@Param('code') code: string, @CurrentPrincipal() principal: Principal) {
    await this.ownCoupon(code, principal);
    return this.rewards.cancelCoupon(code, principal);
  }

  /**
   * The coupon, if the caller may see it. Someone else's coupon answers exactly like a missing
   * one (issue 13, defect 9), so a member cannot learn which codes exist.
   */
  private async ownCoupon(code: string, principal: Principal) {
    if (!COUPON_RE.test(code)) throw couponNotFound();
    const c = await this.rewards.coupon(code);
    if (principal.kind === 'member' && principal.memberId !== c.memberId) throw couponNotFound();
    return c;
  }

  @Get('api/members/:id/coupons')
  @Roles('staff', 'member')
  async memberCoupons(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessMember(principal, id);
    return { items: await this.rewards.couponsOf(id) };
  }

  @Get('api/members/:id/stamps')
  @Roles('staff', 'member')
  async memberStamps(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessMember(principal, id);
    return { items: await this.awards.stampCards(this.db.reader, id) };
  }
}
