import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { CreatePlanDto, UpdatePlanDto } from './dto/plan.dto';
import { FollowupPlansService } from './followup-plans.service';

class PlansQuery {
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

/** Follow-up plans: marketing writes, supervisors read. */
@ApiTags('followup')
@Controller('api/followup-plans')
export class FollowupPlansController {
  constructor(private readonly plans: FollowupPlansService) {}

  @Post()
  @Roles('marketing')
  @HttpCode(201)
  create(@Body() dto: CreatePlanDto, @CurrentPrincipal() principal: Principal) {
    return this.plans.create(dto, principal);
  }

  @Get()
  @Roles('marketing', 'supervisor')
  async list(@Query() q: PlansQuery) {
    return { items: await this.plans.list(q.active === true) };
  }

  @Get(':id')
  @Roles('marketing', 'supervisor')
  get(@UuidParam() id: string) {
    return this.plans.get(id);
  }

  @Patch(':id')
  @Roles('marketing')
  update(@UuidParam() id: string, @Body() dto: UpdatePlanDto) {
    return this.plans.update(id, dto);
  }
}
