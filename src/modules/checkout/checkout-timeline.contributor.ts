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
  kind: 'purchase' | 'return';
  at: Date;
  ref: Record<string, unknown>;
  data: { amountCents: number; currency: string; points: number };
}

const money = (cents: number, currency: string, locale: 'es' | 'en') =>
  new Intl.NumberFormat(locale === 'es' ? 'es-ES' : 'en-GB', {
    style: 'currency',
    currency,
  }).format(cents / 100);

/** Purchases and returns, on the CRM timeline. */
@Injectable()
export class CheckoutTimelineContributor implements OnModuleInit {
  constructor(private readonly registry: TimelineRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'checkout',
      kinds: ['purchase', 'return'],
      entries: (reader, query) => this.entries(reader, query),
    });
  }

  async entries(reader: EntityManager, query: TimelineQuery): Promise<TimelineEntry[]> {
    const params: unknown[] = [query.memberId];
    const parts: string[] = [];
    if (wantsKind(query, 'purchase')) {
      const window = timelineWindowSql(query, 'p.created_at', `'purchase:' || p.id`, params);
      parts.push(`
        (SELECT 'purchase:' || p.id AS id, 'purchase' AS kind, ${timelineAtSql('p.created_at')} AS at,
                jsonb_build_object('purchaseId', p.id, 'storeId', p.store_id) AS ref,
                jsonb_build_object('amountCents', p.total_cents, 'currency', p.currency,
                  'points', p.points_earned, 'pointsRedeemed', p.points_redeemed,
                  'discountCents', p.discount_cents) AS data
           FROM purchases p WHERE p.member_id = $1 ${window})`);
    }
    if (wantsKind(query, 'return')) {
      const window = timelineWindowSql(query, 'r.created_at', `'return:' || r.id`, params);
      parts.push(`
        (SELECT 'return:' || r.id AS id, 'return' AS kind, ${timelineAtSql('r.created_at')} AS at,
                jsonb_build_object('returnId', r.id, 'purchaseId', r.purchase_id,
                                   'storeId', r.store_id) AS ref,
                jsonb_build_object('amountCents', r.refund_cents, 'currency', p.currency,
                  'points', r.points_reversed, 'pointsRecredited', r.points_recredited) AS data
           FROM purchases p JOIN purchase_returns r ON r.purchase_id = p.id
          WHERE p.member_id = $1 ${window})`);
    }
    if (!parts.length) return [];
    const rows: Row[] = await reader.query(
      `SELECT * FROM (${parts.join(' UNION ALL ')}) e
        ORDER BY e.at DESC, e.id COLLATE "C" DESC LIMIT $${params.push(query.limit)}`,
      params,
    );
    return rows.map((r) => ({ ...r, title: titleOf(r) }));
  }
}

function titleOf(row: Row): { es: string; en: string } {
  const { amountCents, currency } = row.data;
  return row.kind === 'purchase'
    ? {
        es: `Compra de ${money(amountCents, currency, 'es')}`,
        en: `Purchase of ${money(amountCents, currency, 'en')}`,
      }
    : {
        es: `Devolución de ${money(amountCents, currency, 'es')}`,
        en: `Return of ${money(amountCents, currency, 'en')}`,
      };
}
