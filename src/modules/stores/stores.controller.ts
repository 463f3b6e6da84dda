import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { CreateStoreDto, UpdateStoreDto } from './dto/store.dto';
import { StoresService } from './stores.service';

@ApiTags('stores')
@Controller('api/stores')
export class StoresController {
  constructor(private readonly stores: StoresService) {}

  @Get()
  @Roles('staff')
  async list() {
    return { items: await this.stores.list() };
  }

  @Get(':id')
  @Roles('staff')
  get(@UuidParam() id: string) {
    return this.stores.get(id);
  }

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateStoreDto, @CurrentPrincipal() principal: Principal) {
    return this.stores.create(dto, principal);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateStoreDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.stores.update(id, dto, principal);
  }
}
