import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import {
  CreatePromotionDto,
  ListPromotionsQuery,
  SimulateDto,
  UpdatePromotionDto,
} from './dto/promotion.dto';
import { PromotionsService } from './promotions.service';
import { TransactionRunner } from '../../database';

@ApiTags('promotions')
@Controller('api')
export class PromotionsController {
  constructor(
    private readonly promotions: PromotionsService,
    private readonly db: TransactionRunner,
  ) {}

  @Get('promotions')
  @Roles('marketing', 'supervisor')
  async list(@Query() query: ListPromotionsQuery) {
    return { items: await this.promotions.list(query.status) };
  }

  @Post('promotions')
  @Roles('marketing')
  create(@Body() dto: CreatePromotionDto, @CurrentPrincipal() principal: Principal) {
    return this.promotions.create(dto, principal);
  }

  /** What a basket would earn at the till now (or `at`), and why the others would not apply. */
  @Post('promotions/simulate')
  @HttpCode(200)
  @Roles('marketing')
  simulate(@Body() dto: SimulateDto) {
    return this.promotions.simulate(dto);
  }

  @Get('promotions/:id')
  @Roles('marketing', 'supervisor')
  get(@UuidParam() id: string) {
    return this.promotions.get(this.db.reader, id);
  }

  @Get('promotions/:id/versions')
  @Roles('marketing', 'supervisor')
  async versions(@UuidParam() id: string) {
    return { items: await this.promotions.versions(id) };
  }

  @Patch('promotions/:id')
  @Roles('marketing')
  update(
    @UuidParam() id: string,
    @Body() dto: UpdatePromotionDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.promotions.update(id, dto, principal);
  }

  @Post('promotions/:id/publish')
  @HttpCode(200)
  @Roles('marketing')
  publish(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    return this.promotions.publish(id, principal);
  }

  @Post('promotions/:id/pause')
  @HttpCode(200)
  @Roles('marketing')
  pause(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    return this.promotions.pause(id, principal);
  }

  @Post('promotions/:id/end')
  @HttpCode(200)
  @Roles('marketing')
  end(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    return this.promotions.end(id, principal);
  }
}
