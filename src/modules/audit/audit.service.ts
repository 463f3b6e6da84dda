import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Principal } from '../../common';
import { AuditEntry } from './audit-entry.entity';

export interface AuditRecord {
  principal?: Principal;
  action: string;
  entity: string;
  entityId?: string | null;
  memberId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  /** Never personal data itself: names of fields changed, counts, ids. */
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The trail entry, in the caller's transaction: the trail and the change commit together. */
  async log(tx: EntityManager, entry: AuditRecord): Promise<void> {
    const { actorType, actorId } = actorOf(entry.principal);
    await tx.insert(AuditEntry, {
      actorType,
      actorId,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId ?? null,
      memberId: entry.memberId ?? null,
      ip: entry.ip ?? null,
      requestId: entry.requestId ?? null,
      details: (entry.details ?? {}) as object,
    });
  }

  async forMember(memberId: string, manager: EntityManager = this.dataSource.manager) {
    return manager.find(AuditEntry, { where: { memberId }, order: { at: 'ASC' } });
  }
}
