import { Body, Controller, Delete, Get, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../../common';
import { SlaService } from '../sla.service';
import { CASE_KINDS, CaseKind } from '../case-rules';
import { CreateHolidayDto, ListHolidaysQuery, UpdateHolidayDto } from '../dto/holiday.dto';
import { HolidaysService } from './holidays.service';
import { SLA_UNITS, SlaUnit } from './sla-clock';

export class SlaPolicyDto {
  @ApiProperty({ enum: CASE_KINDS })
  @IsIn(CASE_KINDS, { message: `kind must be one of ${CASE_KINDS.join(', ')}` })
  kind: CaseKind;

  @ApiPropertyOptional({ description: 'none: the kind’s default' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,39}$/, { message: 'category must be a short lowercase code' })
  category?: string;

  @ApiProperty() @IsInt() @Min(1) @Max(365) amount: number;

  @ApiProperty({ enum: SLA_UNITS, description: 'cd calendar days, wd working days, m months' })
  @IsIn(SLA_UNITS, { message: 'unit must be cd, wd or m' })
  unit: SlaUnit;
}

/** The holiday calendar (regional and local days are the admins') and SLA policies. */
@ApiTags('cases')
@Controller('api')
export class CalendarController {
  constructor(
    private readonly holidays: HolidaysService,
    private readonly sla: SlaService,
  ) {}

  @Get('holidays')
  @Roles('staff')
  list(@Query() q: ListHolidaysQuery) {
    return this.holidays.list(q);
  }

  @Post('holidays')
  @Roles('admin')
  create(@Body() dto: CreateHolidayDto, @CurrentPrincipal() p: Principal) {
    return this.holidays.create(dto, p);
  }

  @Patch('holidays/:id')
  @Roles('admin')
  update(@UuidParam() id: string, @Body() dto: UpdateHolidayDto, @CurrentPrincipal() p: Principal) {
    return this.holidays.update(id, dto, p);
  }

  @Delete('holidays/:id')
  @Roles('admin')
  remove(@UuidParam() id: string, @CurrentPrincipal() p: Principal) {
    return this.holidays.remove(id, p);
  }

  @Get('sla-policies')
  @Roles('staff')
  async policies() {
    return { items: await this.sla.policies() };
  }

  /** Sets the SLA of a kind (and category); it applies to cases created from now on. */
  @Put('sla-policies')
  @Roles('admin')
  async setPolicy(@Body() dto: SlaPolicyDto, @CurrentPrincipal() p: Principal) {
    return { items: await this.sla.setPolicy(dto, p) };
  }
}
