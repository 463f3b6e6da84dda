import { Injectable } from '@nestjs/common';
import { actorOf, Principal } from '../../common';
import { AppConfig } from '../../config';
import { isUniqueViolation, TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { CreateCategoryDto, UpdateCategoryDto, UpdateSettingsDto } from './dto/settings.dto';
import { mergeSettings, ProgrammeSettings, SETTING_KEYS } from './programme-settings';
import { categoryCodeTaken, categoryNotFound } from './settings.errors';
import { CategoryRow, SettingsRepository } from './settings.repository';

/** How long settings read by `get` are reused (another instance's change shows within this). */
const SETTINGS_CACHE_MS = 30_000;

/**
 * Programme settings (point value, expiry, the complaints' legal deadline) and the managed list
 * of product categories. The public service others read: `get()` and `categories()`.
 */
@Injectable()
export class SettingsService {
  private cached?: { settings: ProgrammeSettings; until: number };

  constructor(
    private readonly db: TransactionRunner,
    private readonly repo: SettingsRepository,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** The settings: stored values over the defaults from the environment. */
  async get(): Promise<ProgrammeSettings> {
    const now = Date.now();
    if (this.cached && this.cached.until > now) return { ...this.cached.settings };
    const settings = mergeSettings(this.defaults(), await this.repo.readAll(this.db.reader));
    this.cached = { settings, until: now + SETTINGS_CACHE_MS };
    return { ...settings };
  }

  async update(dto: UpdateSettingsDto, principal: Principal): Promise<ProgrammeSettings> {
    const changed = SETTING_KEYS.filter((k) => dto[k] !== undefined);
    const actor = actorOf(principal);
    await this.db.run(async (tx) => {
      for (const key of changed) await this.repo.write(tx, key, dto[key], actor.actorId ?? '');
      await this.audit.log(tx, {
        principal,
        action: 'settings.update',
        entity: 'programme_settings',
        details: { fields: changed },
      });
    });
    this.cached = undefined;
    return this.get();
  }

  /** Active categories (or all, for the admin's list), by code. */
  categories(includeInactive = false): Promise<CategoryRow[]> {
    return this.repo.listCategories(this.db.reader, includeInactive);
  }

  async createCategory(dto: CreateCategoryDto, principal: Principal): Promise<CategoryRow> {
    return this.db.run(async (tx) => {
      const row = await this.repo.insertCategory(tx, dto).catch((err: unknown) => {
        if (isUniqueViolation(err)) throw categoryCodeTaken();
        throw err;
      });
      await this.audit.log(tx, {
        principal,
        action: 'category.create',
        entity: 'product_category',
        entityId: row.id,
      });
      return row;
    });
  }

  async updateCategory(
    id: string,
    dto: UpdateCategoryDto,
    principal: Principal,
  ): Promise<CategoryRow> {
    return this.db.run(async (tx) => {
      const row = await this.repo.updateCategory(tx, id, dto);
      if (!row) throw categoryNotFound();
      await this.audit.log(tx, {
        principal,
        action: 'category.update',
        entity: 'product_category',
        entityId: id,
        details: { fields: Object.keys(dto) },
      });
      return row;
    });
  }

  private defaults(): ProgrammeSettings {
    return {
      pointValueCents: this.config.POINT_VALUE_CENTS,
      pointsExpiryMonths: this.config.POINTS_EXPIRY_MONTHS,
      complaintDeadline: 'earliest',
    };
  }
}
