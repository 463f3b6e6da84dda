import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto, CreateStaffDto, UpdateApiKeyDto, UpdateStaffDto } from './dto/staff.dto';
import { StaffService } from './staff.service';

@ApiTags('admin')
@Controller('api/staff')
@Roles('admin')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  async list() {
    return { items: await this.staff.list() };
  }

  @Get(':id')
  get(@UuidParam() id: string) {
    return this.staff.get(id);
  }

  @Post()
  create(@Body() dto: CreateStaffDto, @CurrentPrincipal() principal: Principal) {
    return this.staff.create(dto, principal);
  }

  @Patch(':id')
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateStaffDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.staff.update(id, dto, principal);
  }
}

@ApiTags('admin')
@Controller('api/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  async list() {
    return { items: await this.apiKeys.list() };
  }

  /** The key itself is in this response only. */
  @Post()
  create(@Body() dto: CreateApiKeyDto, @CurrentPrincipal() principal: Principal) {
    return this.apiKeys.create(dto, principal);
  }

  @Patch(':id')
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateApiKeyDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.apiKeys.update(id, dto, principal);
  }
}
