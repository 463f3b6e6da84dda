import { Injectable } from '@nestjs/common';
import type { LRUCache } from 'lru-cache';
import { actorOf, Clock, Principal, ttlCache } from '../../common';
import { AppConfig } from '../../config';
import { isUniqueViolation, TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { CreateCategoryDto, UpdateCategoryDto, UpdateSettingsDto } from './dto/settings.dto';
import { mergeSettings, ProgrammeSettings, SETTING_KEYS } from './programme-settings';
import { categoryCodeTaken, categoryNotFound } from './settings.errors';
import { CategoryRow, SettingsRepository } from './settings.repository';

/**
 * How long the settings are reused without reading the table. A change made through this
 * instance clears the cache at once; another instance's change shows here within this time.
 */
export const SETTINGS_CACHE_MS = 10_000;

/**
 * Programme settings (point value, expiry, the complaints' legal deadline) and the managed list
 * of product categories. The public service others read: `get()` and `categories()`.
 */
@Injectable()
export class SettingsService {
  // One entry, on the injected clock: tests move time instead of sleeping.
  private readonly cache: LRUCache<'programme', Readonly<ProgrammeSettings>>;
  /** The read under way, shared by callers that miss at the same moment. */
  private loading?: Promise<Readonly<ProgrammeSettings>>;
  /** Bumped by each change, so a read that started before it is not cached after it. */
  private generation = 0;

  constructor(
    private readonly db: TransactionRunner,
    private readonly repo: SettingsRepository,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    clock: Clock,
  ) {
    this.cache = ttlCache(clock, { max: 1, ttlMs: SETTINGS_CACHE_MS });
  }

  /** The settings: stored values over the defaults from the environment. A copy, for the API. */
  async get(): Promise<ProgrammeSettings> {
    return { ...(await this.programme()) };
  }

  /**
   * The settings as the till, the ledger and the preview read them: from the cache (no database
   * round trip) while it is fresh, otherwise read once for every waiting caller. Read-only.
   */
  programme(): Promise<Readonly<ProgrammeSettings>> {
    const hit = this.cache.get('programme');
    if (hit) return Promise.resolve(hit);
    if (!this.loading) {
      const generation = this.generation;
      this.loading = this.repo
        .readAll(this.db.reader)
        .then((stored) => {
          const settings = Object.freeze(mergeSettings(this.defaults(), stored));
          if (generation === this.generation) this.cache.set('programme', settings);
          return settings;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
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
    this.invalidate();
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

  /** Forgets the cached settings (after a change, in this instance). */
  invalidate(): void {
    this.generation++;
    this.loading = undefined;
    this.cache.clear();
  }

  private defaults(): ProgrammeSettings {
    return {
      pointValueCents: this.config.POINT_VALUE_CENTS,
      pointsExpiryMonths: this.config.POINTS_EXPIRY_MONTHS,
      complaintDeadline: 'earliest',
    };
  }
}
