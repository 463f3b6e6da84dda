import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { Clock, invalid, PosPrincipal, Principal, ttlCache } from '../../common';
import { AuditService } from '../audit';
import { StoresService } from '../stores';
import { ApiKey } from './api-key.entity';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AuthorityService } from './authority.service';
import { CreateApiKeyDto, UpdateApiKeyDto } from './dto/staff.dto';
import { newApiKey, sha256 } from './secrets';
import { TransactionRunner } from '../../database';

const TOUCH_INTERVAL_MS = 60_000;
/**
 * How long a verified key is trusted without asking the database again (the till sends one with
 * every request). A revocation through this process takes effect at once; one made by another
 * process within this time. Its store's active flag and the key's expiry are checked on every
 * request (issue 13).
 */
export const API_KEY_CACHE_MS = 5_000;
const API_KEY_CACHE_MAX = 10_000;

interface CachedKey {
  id: string;
  storeId: string;
  expiresAt: number | null;
}

@Injectable()
export class ApiKeysService {
  /** Keys whose last use was written less than TOUCH_INTERVAL_MS ago, by id. */
  private readonly touched: LRUCache<string, true>;
  /** Verified keys by their hash. */
  private readonly verified: LRUCache<string, CachedKey>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
    private readonly authority: AuthorityService,
    private readonly clock: Clock,
  ) {
    this.verified = ttlCache(clock, { max: API_KEY_CACHE_MAX, ttlMs: API_KEY_CACHE_MS });
    this.touched = ttlCache(clock, { max: API_KEY_CACHE_MAX, ttlMs: TOUCH_INTERVAL_MS });
  }

  list(): Promise<ApiKey[]> {
    return this.dataSource.manager.find(ApiKey, { order: { createdAt: 'DESC' } });
  }

  /** Returns the key in clear text this once; only its hash is stored. */
  async create(dto: CreateApiKeyDto, principal?: Principal): Promise<ApiKey & { key: string }> {
    await this.stores.get(dto.storeId);
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt <= this.clock.now())
      throw invalid('expiresAt', 'must be in the future');
    const { key, prefix, hash } = newApiKey();
    return this.transactions.run(async (em) => {
      const saved = await em.save(
        em.create(ApiKey, {
          name: dto.name,
          prefix,
          keyHash: hash,
          storeId: dto.storeId,
          expiresAt,
          createdBy: principal?.kind === 'staff' ? principal.userId : null,
        }),
      );
      await this.audit.log(em, {
        principal,
        action: 'api_key.create',
        entity: 'api_key',
        entityId: saved.id,
      });
      delete (saved as Partial<ApiKey>).keyHash;
      return { ...saved, key };
    });
  }

  async update(id: string, dto: UpdateApiKeyDto, principal?: Principal): Promise<ApiKey> {
    const updated = await this.transactions.run(async (em) => {
      const apiKey = await em.findOne(ApiKey, { where: { id } });
      if (!apiKey) throw new AuthError('not_found', AuthErrorCode.NotFound, 'API key not found');
      if (dto.name !== undefined) apiKey.name = dto.name;
      if (dto.revoked && !apiKey.revokedAt) apiKey.revokedAt = new Date();
      if (dto.revoked === false && apiKey.revokedAt) {
        throw new AuthError(
          'conflict',
          AuthErrorCode.BadApiKey,
          'a revoked key cannot be restored; create a new one',
          [{ field: 'revoked', reason: 'revocation is final' }],
        );
      }
      await em.save(apiKey);
      await this.audit.log(em, {
        principal,
        action: 'api_key.update',
        entity: 'api_key',
        entityId: id,
        details: { fields: Object.keys(dto) },
      });
      return apiKey;
    });
    // After the commit, so that a request in between cannot cache the key as it was.
    this.forget(id);
    return updated;
  }

  /** The POS principal for a presented key, or a 401. */
  async authenticate(key: string): Promise<PosPrincipal> {
    if (typeof key !== 'string' || !/^fdl_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{32}$/.test(key))
      throw this.bad();
    const hash = sha256(key);
    let found = this.verified.get(hash);
    if (!found) {
      const [row]: { id: string; store_id: string; expires_at: Date | null }[] =
        await this.dataSource.query(
          `SELECT id, store_id, expires_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
          [hash],
        );
      if (!row) throw this.bad();
      found = {
        id: row.id,
        storeId: row.store_id,
        expiresAt: row.expires_at ? row.expires_at.getTime() : null,
      };
      this.verified.set(hash, found);
    }
    if (found.expiresAt !== null && found.expiresAt <= this.clock.now().getTime()) throw this.bad();
    if (!(await this.authority.storeActive(found.storeId))) throw this.bad();
    if (!this.touched.has(found.id)) {
      this.touched.set(found.id, true);
      // One statement on its own: the key's last use, at most once a minute per key.
      await this.transactions.reader.update(
        ApiKey,
        { id: found.id },
        { lastUsedAt: this.clock.now() },
      );
    }
    return { kind: 'pos', apiKeyId: found.id, roles: ['cashier'], storeId: found.storeId };
  }

  /** Drops a key from the cache of verified keys (after a revocation or rename). */
  private forget(id: string): void {
    for (const [hash, cached] of this.verified) if (cached.id === id) this.verified.delete(hash);
  }

  private bad() {
    return new AuthError(
      'unauthorized',
      AuthErrorCode.BadApiKey,
      'invalid, expired or revoked API key',
    );
  }
}
