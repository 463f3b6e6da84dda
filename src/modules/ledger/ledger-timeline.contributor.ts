import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  timelineAtSql,
  TimelineEntry,
  TimelineQuery,
  TimelineRegistry,
  timelineWindowSql,
  wantsKind,
} from '../../common';

interface Row {
  id: string;
  kind: 'points';
  at: Date;
  ref: Record<string, unknown>;
  data: { entryKind: string; points: number; pendingPoints: number; balanceAfter: number };
}

const TITLES: Record<string, { es: string; en: string }> = {
  earn: { es: 'Puntos ganados', en: 'Points earned' },
  redeem: { es: 'Puntos canjeados', en: 'Points redeemed' },
  expire: { es: 'Puntos caducados', en: 'Points expired' },
  reverse: { es: 'Puntos retirados por devolución', en: 'Points reversed by a return' },
  adjust: { es: 'Ajuste de puntos', en: 'Points adjustment' },
  release: { es: 'Puntos disponibles', en: 'Points released' },
};

/** Every points entry of the member's ledger, on the CRM timeline. */
@Injectable()
export class LedgerTimelineContributor implements OnModuleInit {
  constructor(private readonly registry: TimelineRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'ledger',
      kinds: ['points'],
      entries: (reader, query) => this.entries(reader, query),
    });
  }

  async entries(reader: EntityManager, query: TimelineQuery): Promise<TimelineEntry[]> {
    if (!wantsKind(query, 'points')) return [];
    const params: unknown[] = [query.memberId];
    // Ids padded so that byte order is numeric order (the keyset compares them as text).
    const idSql = `'points:' || lpad(e.id::text, 19, '0')`;
    const window = timelineWindowSql(query, 'e.created_at', idSql, params);
    const rows: Row[] = await reader.query(
      `SELECT ${idSql} AS id, 'points' AS kind, ${timelineAtSql('e.created_at')} AS at,
              jsonb_strip_nulls(jsonb_build_object('entryId', e.id, 'purchaseId', e.purchase_id,
                                                   'storeId', e.store_id)) AS ref,
              jsonb_build_object('entryKind', e.kind, 'points', e.points,
                'pendingPoints', e.pending_points, 'balanceAfter', e.balance_after,
                'reason', e.reason) AS data
         FROM ledger_entries e
        WHERE e.member_id = $1 ${window}
        ORDER BY ${timelineAtSql('e.created_at')} DESC, e.id DESC
        LIMIT $${params.push(query.limit)}`,
      params,
    );
    return rows.map((r) => ({ ...r, title: titleOf(r) }));
  }
}

function titleOf(row: Row): { es: string; en: string } {
  const base = TITLES[row.data.entryKind] ?? { es: 'Puntos', en: 'Points' };
  const points = row.data.points + row.data.pendingPoints;
  const signed = points > 0 ? `+${points}` : String(points);
  return { es: `${base.es}: ${signed}`, en: `${base.en}: ${signed}` };
}
