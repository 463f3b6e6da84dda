import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, Principal } from '../../common';
import { isUniqueViolation } from '../../database';
import { AuditService } from '../audit';
import { CreateStoreDto, UpdateStoreDto } from './dto/store.dto';
import { Store } from './store.entity';

export enum StoresErrorCode {
  NotFound = 'stores.not_found',
  CodeTaken = 'stores.code_taken',
}
export class StoresError extends DomainError {}

@Injectable()
export class StoresService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<Store[]> {
    return this.dataSource.manager.find(Store, { order: { code: 'ASC' } });
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<Store> {
    const store = await manager.findOne(Store, { where: { id } });
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
    return this.dataSource.transaction(async (em) => {
      try {
        const store = await em.save(
          em.create(Store, { ...dto, timeZone: dto.timeZone ?? 'Europe/Madrid' }),
        );
        await this.audit.record(
          { principal, action: 'store.create', entity: 'store', entityId: store.id },
          em,
        );
        return store;
      } catch (err) {
        if (isUniqueViolation(err)) throw this.codeTaken();
        throw err;
      }
    });
  }

  async update(id: string, dto: UpdateStoreDto, principal?: Principal): Promise<Store> {
    return this.dataSource.transaction(async (em) => {
      const store = await this.get(id, em);
      Object.assign(store, dto);
      try {
        await em.save(store);
      } catch (err) {
        if (isUniqueViolation(err)) throw this.codeTaken();
        throw err;
      }
      await this.audit.record(
        {
          principal,
          action: 'store.update',
          entity: 'store',
          entityId: id,
          details: { fields: Object.keys(dto) },
        },
        em,
      );
      return store;
    });
  }

  private codeTaken() {
    return new StoresError('conflict', StoresErrorCode.CodeTaken, 'a store with this code exists', [
      { field: 'code', reason: 'already used' },
    ]);
  }
}
