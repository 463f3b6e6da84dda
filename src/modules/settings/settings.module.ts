import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { AdminPagesController } from './admin-pages.controller';
import { ProductCategoriesController, SettingsController } from './settings.controller';
import { SettingsRepository } from './settings.repository';
import { SettingsService } from './settings.service';

/** Programme settings and product categories, and the admin console (/admin). */
@Module({
  imports: [AuditModule],
  controllers: [SettingsController, ProductCategoriesController, AdminPagesController],
  providers: [SettingsService, SettingsRepository],
  exports: [SettingsService],
})
export class SettingsModule {}
