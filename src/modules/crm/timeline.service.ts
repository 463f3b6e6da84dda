import { Injectable } from '@nestjs/common';
import {
  compareTimeline,
  decodeCursor,
  DEFAULT_LIMIT,
  encodeCursor,
  TimelineEntry,
  TimelineRegistry,
} from '../../common';
import { TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { MembersService, RequestActor } from '../members';
import { TimelineQueryDto } from './dto/timeline-query.dto';
import { badCursor, unknownKinds } from './crm.errors';

export interface TimelineItem {
  id: string;
  kind: string;
  at: string;
  title: string;
  titles: { es: string; en: string };
  ref: Record<string, unknown>;
  data?: Record<string, unknown>;
}

export interface TimelinePage {
  items: TimelineItem[];
  nextCursor: string | null;
  limit: number;
}

/**
 * The member's CRM timeline: every registered contributor answers its newest entries older than
 * the cursor; the merge keeps the newest `limit` in (at DESC, id DESC) order and the last one
 * becomes the next cursor, so each entry shows exactly once across pages and kinds.
 */
@Injectable()
export class TimelineService {
  constructor(
    private readonly registry: TimelineRegistry,
    private readonly members: MembersService,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
  ) {}

  /** Every kind some module contributes. */
  kinds(): string[] {
    return [...new Set(this.registry.all().flatMap((c) => c.kinds))].sort();
  }

  async page(
    memberId: string,
    query: TimelineQueryDto,
    actor: RequestActor,
    audience: 'staff' | 'member',
  ): Promise<TimelinePage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const kinds = this.parseKinds(query.kinds);
    const before = this.parseCursor(query.cursor);
    await this.members.get(this.tx.reader, memberId);
    const contributors = this.registry
      .all()
      .filter((c) => !kinds || c.kinds.some((k) => kinds.includes(k)));
    const q = {
      memberId,
      kinds,
      from: query.from,
      to: query.to,
      before,
      limit: limit + 1,
      audience,
    };
    const lists = await Promise.all(contributors.map((c) => c.entries(this.tx.reader, q)));
    // The contributors filter already; filtering again keeps a sloppy one from repeating entries.
    const seen = new Set<string>();
    const merged = lists
      .flat()
      .map((e) => ({ ...e, at: new Date(e.at) }))
      .filter((e) => !kinds || kinds.includes(e.kind))
      .filter((e) => !query.from || e.at >= query.from)
      .filter((e) => !query.to || e.at < query.to)
      .filter((e) => !before || compareTimeline(before, e) < 0)
      .sort(compareTimeline)
      .filter((e) => !seen.has(e.id) && seen.add(e.id));
    const items = merged.slice(0, limit);
    if (audience === 'staff') {
      await this.audit.log(this.tx.reader, {
        principal: actor.principal,
        ip: actor.ip,
        requestId: actor.requestId,
        action: 'member.timeline.read',
        entity: 'member',
        entityId: memberId,
        memberId,
        details: { entries: items.length, ...(kinds ? { kinds } : {}) },
      });
    }
    const last = items[items.length - 1];
    return {
      items: items.map((e) => present(e, query.lang ?? 'es')),
      nextCursor:
        merged.length > limit && last ? encodeCursor([last.at.toISOString(), last.id]) : null,
      limit,
    };
  }

  private parseKinds(raw: string | undefined): string[] | undefined {
    if (!raw) return undefined;
    const kinds = [...new Set(raw.split(','))];
    const known = this.kinds();
    const unknown = kinds.filter((k) => !known.includes(k));
    if (unknown.length) throw unknownKinds('kinds', unknown, known);
    return kinds;
  }

  private parseCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
    if (cursor === undefined) return undefined;
    const values = decodeCursor(cursor);
    if (!values || values.length !== 2 || typeof values[1] !== 'string') throw badCursor();
    const at = new Date(String(values[0]));
    if (Number.isNaN(at.getTime())) throw badCursor();
    return { at, id: values[1] };
  }
}

function present(e: TimelineEntry, lang: 'es' | 'en'): TimelineItem {
  return {
    id: e.id,
    kind: e.kind,
    at: new Date(e.at).toISOString(),
    title: e.title[lang],
    titles: e.title,
    ref: e.ref,
    ...(e.data ? { data: e.data } : {}),
  };
}
