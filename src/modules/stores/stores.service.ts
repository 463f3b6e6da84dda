import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { Clock, DomainError, Principal, ttlCache } from '../../common';
import { isUniqueViolation, TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { CreateStoreDto, UpdateStoreDto } from './dto/store.dto';
import { Store } from './store.entity';

export enum StoresErrorCode {
  NotFound = 'stores.not_found',
  CodeTaken = 'stores.code_taken',
}
export class StoresError extends DomainError {}

/**
 * How long a store read by `get` is reused (every purchase reads its store's time zone). An
 * update through this process takes effect at once; one made by another process within this time.
 */
export const STORE_CACHE_MS = 30_000;
const STORE_CACHE_MAX = 5_000;

@Injectable()
export class StoresService {
  private readonly cache: LRUCache<string, Store>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    clock: Clock,
  ) {
    this.cache = ttlCache(clock, { max: STORE_CACHE_MAX, ttlMs: STORE_CACHE_MS });
  }

  list(): Promise<Store[]> {
    return this.dataSource.manager.find(Store, { order: { code: 'ASC' } });
  }

  /**
   * The store (a copy: callers may change it), cached for STORE_CACHE_MS; or a 404. A cached
   * lookup, so it takes no executor: it never reads in the caller's transaction.
   */
  async get(id: string): Promise<Store> {
    const hit = this.cache.get(id);
    if (hit) return Object.assign(new Store(), hit);
    const store = await this.load(id);
    this.cache.set(id, Object.assign(new Store(), store));
    return store;
  }

  /**
   * Whether a store may act (false for one that is deactivated or unknown), from the same cache
   * as `get`: every request of a till asks, so a cached answer costs no copy.
   */
  async isActive(id: string): Promise<boolean> {
    const hit = this.cache.get(id);
    if (hit) return hit.active;
    const store = await this.get(id).catch(() => null);
    return store?.active === true;
  }

  private async load(id: string): Promise<Store> {
    const store = await this.dataSource.manager.findOne(Store, { where: { id } });
    if (!store)
      throw new StoresError('not_found', StoresErrorCode.NotFound, 'store not found', [
        { field: 'storeId', reason: 'no such store' },
      ]);
    return store;
  }

  async findByCode(code: string): Promise<Store | null> {
    return this.dataSource.manager.findOne(Store, { where: { code } });
  }

  async create(dto: CreateStoreDto, principal?: Principal): Promise<Store> {
    return this.transactions.run(async (em) => {
      try {
        const store = await em.save(
          em.create(Store, { ...dto, timeZone: dto.timeZone ?? 'Europe/Madrid' }),
        );
        await this.audit.log(em, {
          principal,
          action: 'store.create',
          entity: 'store',
          entityId: store.id,
        });
        return store;
      } catch (err) {
        if (isUniqueViolation(err)) throw this.codeTaken();
        throw err;
      }
    });
  }

  async update(id: string, dto: UpdateStoreDto, principal?: Principal): Promise<Store> {
    this.cache.delete(id);
    const updated = await this.transactions.run(async (em) => {
      const store = await this.load(id);
      Object.assign(store, dto);
      try {
        await em.save(store);
      } catch (err) {
        if (isUniqueViolation(err)) throw this.codeTaken();
        throw err;
      }
      await this.audit.log(em, {
        principal,
        action: 'store.update',
        entity: 'store',
        entityId: id,
        details: { fields: Object.keys(dto) },
      });
      return store;
    });
    // After the commit, so that a read in between cannot keep the store as it was.
    this.cache.delete(id);
    return updated;
  }

  private codeTaken() {
    return new StoresError('conflict', StoresErrorCode.CodeTaken, 'a store with this code exists', [
      { field: 'code', reason: 'already used' },
    ]);
  }
}
