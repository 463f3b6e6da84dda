import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import {
  CreateCategoryDto,
  ListCategoriesQuery,
  UpdateCategoryDto,
  UpdateSettingsDto,
} from './dto/settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('admin')
@Controller('api/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @Roles('staff')
  get() {
    return this.settings.get();
  }

  @Patch()
  @Roles('admin')
  update(@Body() dto: UpdateSettingsDto, @CurrentPrincipal() principal: Principal) {
    return this.settings.update(dto, principal);
  }
}

/** The managed list of product categories: readable by all staff, kept by admins. */
@ApiTags('admin')
@Controller('api/product-categories')
export class ProductCategoriesController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @Roles('staff')
  async list(@Query() query: ListCategoriesQuery) {
    return { items: await this.settings.categories(query.all === 'true') };
  }

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateCategoryDto, @CurrentPrincipal() principal: Principal) {
    return this.settings.createCategory(dto, principal);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateCategoryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.settings.updateCategory(id, dto, principal);
  }
}
