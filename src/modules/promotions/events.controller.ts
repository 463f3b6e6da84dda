import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertCanAccessMember, CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import {
  CreateEarningRuleDto,
  PostEventDto,
  ReferralDto,
  UpdateEarningRuleDto,
} from './dto/earning.dto';
import { EarningService } from './earning.service';

@ApiTags('events')
@Controller()
export class EventsController {
  constructor(private readonly earning: EarningService) {}

  /** An integration reports an event (app review, check-in…): points once per event id. */
  @Post('api/events')
  @HttpCode(200)
  @Roles('cashier', 'marketing')
  post(@Body() dto: PostEventDto, @CurrentPrincipal() principal: Principal) {
    const storeId = principal.kind === 'pos' ? principal.storeId : (dto.storeId ?? null);
    return this.earning.record({ ...dto, storeId }, principal);
  }

  @Get('api/earning-rules')
  @Roles('marketing', 'supervisor')
  async rules() {
    return { items: await this.earning.listRules() };
  }

  @Post('api/earning-rules')
  @Roles('marketing')
  create(@Body() dto: CreateEarningRuleDto, @CurrentPrincipal() principal: Principal) {
    return this.earning.saveRule(null, dto, principal);
  }

  @Patch('api/earning-rules/:id')
  @Roles('marketing')
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateEarningRuleDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.earning.saveRule(id, dto, principal);
  }

  /** The member's refer-a-friend code (made on first request). */
  @Get('api/members/:id/referral-code')
  @Roles('staff', 'member')
  async referralCode(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessMember(principal, id);
    return { code: await this.earning.referralCode(id) };
  }

  /** A friend enrolled with a referral code: rewards as the referral rules say, once. */
  @Post('api/referrals')
  @Roles('cashier', 'marketing', 'member')
  referral(@Body() dto: ReferralDto, @CurrentPrincipal() principal: Principal) {
    assertCanAccessMember(principal, dto.friendMemberId);
    return this.earning.recordReferral(dto.friendMemberId, dto.code, principal);
  }
}
