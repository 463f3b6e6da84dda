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

  /** Written in the caller's transaction when given, so the trail and the change commit together. */
  async record(
    entry: AuditRecord,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await this.log(manager, entry);
  }

  /** The trail entry, in the caller's transaction (the form new code uses). */
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

  /** Erasure: the member's own network addresses go; the trail itself stays. */
  async eraseMemberIps(tx: EntityManager, memberId: string): Promise<void> {
    await tx.query(
      `UPDATE audit_log SET ip = NULL
        WHERE member_id = $1 AND actor_type = 'member' AND actor_id = $1::text`,
      [memberId],
    );
  }
}
