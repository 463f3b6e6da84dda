import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  actorOf,
  decodeCursor,
  DEFAULT_LIMIT,
  encodeCursor,
  invalid,
  Principal,
} from '../../common';
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

export interface AuditFilter {
  actorId?: string;
  memberId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit?: number;
}

interface AuditRow {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  memberId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
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

  /** `GET /api/audit`: newest first, keyset on id; each filter uses an index of its own. */
  async query(filter: AuditFilter) {
    const limit = filter.limit ?? DEFAULT_LIMIT;
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (filter.actorId) where.push(`actor_id = ${p(filter.actorId)}`);
    if (filter.memberId) where.push(`member_id = ${p(filter.memberId)}`);
    if (filter.action) where.push(`action = ${p(filter.action)}`);
    if (filter.from) where.push(`at >= ${p(filter.from)}`);
    if (filter.to) where.push(`at < ${p(filter.to)}`);
    if (filter.cursor !== undefined) {
      const [id] = decodeCursor(filter.cursor) ?? [];
      if (typeof id !== 'string' || !/^\d+$/.test(id))
        throw invalid('cursor', 'is not a cursor from this list');
      where.push(`audit_log.id < ${p(id)}::bigint`);
    }
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT id::text AS id, at, actor_type AS "actorType", actor_id AS "actorId", action, entity,
              entity_id AS "entityId", member_id AS "memberId", ip, request_id AS "requestId",
              details
         FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY audit_log.id DESC LIMIT ${p(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit);
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].id]) : null,
      limit,
    };
  }

  async forMember(manager: EntityManager, memberId: string) {
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
