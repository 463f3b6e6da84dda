import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { PosPrincipal, Principal } from '../../common';
import { AuditService } from '../audit';
import { StoresService } from '../stores';
import { ApiKey } from './api-key.entity';
import { AuthError, AuthErrorCode } from './auth.errors';
import { CreateApiKeyDto, UpdateApiKeyDto } from './dto/staff.dto';
import { newApiKey, sha256 } from './secrets';

const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeysService {
  private readonly lastTouched = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<ApiKey[]> {
    return this.dataSource.manager.find(ApiKey, { order: { createdAt: 'DESC' } });
  }

  /** Returns the key in clear text this once; only its hash is stored. */
  async create(dto: CreateApiKeyDto, principal?: Principal): Promise<ApiKey & { key: string }> {
    await this.stores.get(dto.storeId);
    const { key, prefix, hash } = newApiKey();
    return this.dataSource.transaction(async (em) => {
      const saved = await em.save(
        em.create(ApiKey, {
          name: dto.name,
          prefix,
          keyHash: hash,
          storeId: dto.storeId,
          createdBy: principal?.kind === 'staff' ? principal.userId : null,
        }),
      );
      await this.audit.record(
        { principal, action: 'api_key.create', entity: 'api_key', entityId: saved.id },
        em,
      );
      delete (saved as Partial<ApiKey>).keyHash;
      return { ...saved, key };
    });
  }

  async update(id: string, dto: UpdateApiKeyDto, principal?: Principal): Promise<ApiKey> {
    return this.dataSource.transaction(async (em) => {
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
      await this.audit.record(
        {
          principal,
          action: 'api_key.update',
          entity: 'api_key',
          entityId: id,
          details: { fields: Object.keys(dto) },
        },
        em,
      );
      return apiKey;
    });
  }

  /** The POS principal for a presented key, or a 401. */
  async authenticate(key: string): Promise<PosPrincipal> {
    if (typeof key !== 'string' || !/^fdl_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{32}$/.test(key))
      throw this.bad();
    const found = await this.dataSource.manager.findOne(ApiKey, {
      where: { keyHash: sha256(key), revokedAt: IsNull() },
    });
    if (!found) throw this.bad();
    const now = Date.now();
    if (now - (this.lastTouched.get(found.id) ?? 0) > TOUCH_INTERVAL_MS) {
      this.lastTouched.set(found.id, now);
      await this.dataSource.manager.update(ApiKey, { id: found.id }, { lastUsedAt: new Date(now) });
    }
    return { kind: 'pos', apiKeyId: found.id, roles: ['cashier'], storeId: found.storeId };
  }

  private bad() {
    return new AuthError('unauthorized', AuthErrorCode.BadApiKey, 'invalid or revoked API key');
  }
}
