import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertCanAccessMember, CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { CreateTierDto, UpdateTierDto } from './dto/tier.dto';
import { TiersService } from './tiers.service';
import { TransactionRunner } from '../../database';

@ApiTags('tiers')
@Controller('api/tiers')
export class TiersController {
  constructor(
    private readonly tiers: TiersService,
    private readonly db: TransactionRunner,
  ) {}

  @Get()
  @Roles('staff')
  async list() {
    return { items: await this.tiers.list(this.db.reader) };
  }

  @Post()
  @Roles('marketing')
  create(@Body() dto: CreateTierDto, @CurrentPrincipal() principal: Principal) {
    return this.tiers.create(dto, principal);
  }

  @Patch(':id')
  @Roles('marketing')
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateTierDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.tiers.update(id, dto, principal);
  }

  /** Runs the nightly recalculation now (after changing thresholds, say). */
  @Post('recalculate')
  @HttpCode(200)
  @Roles('marketing')
  recalculate() {
    return this.tiers.recalculate();
  }
}

/** A member's tier and the way to the next one (staff, or that member). */
@ApiTags('tiers')
@Controller('api/members/:id/tier')
export class MemberTierController {
  constructor(private readonly tiers: TiersService) {}

  @Get()
  @Roles('staff', 'member')
  progress(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessMember(principal, id);
    return this.tiers.progressOf(id);
  }
}
