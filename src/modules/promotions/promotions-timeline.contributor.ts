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

type Kind = 'reward' | 'coupon' | 'coupon_used';

interface Row {
  id: string;
  kind: Kind;
  at: Date;
  ref: Record<string, unknown>;
  data: { nameEs: string; nameEn: string; source: string; status: string };
}

/**
 * Rewards taken with points (`reward`), coupons given by promotions, stamp cards or events
 * (`coupon`) and coupons used at a till (`coupon_used`), on the CRM timeline.
 */
@Injectable()
export class PromotionsTimelineContributor implements OnModuleInit {
  constructor(private readonly registry: TimelineRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'promotions',
      kinds: ['reward', 'coupon', 'coupon_used'],
      entries: (reader, query) => this.entries(reader, query),
    });
  }

  async entries(reader: EntityManager, query: TimelineQuery): Promise<TimelineEntry[]> {
    const params: unknown[] = [query.memberId];
    const parts: string[] = [];
    const facts = `jsonb_build_object('nameEs', w.name_es, 'nameEn', w.name_en,
                     'source', c.source, 'status', c.status, 'pointsCost', c.points_cost,
                     'expiresAt', c.expires_at)`;
    const issuedKind = `CASE WHEN c.source = 'redemption' THEN 'reward' ELSE 'coupon' END`;
    const issued = [wantsKind(query, 'reward'), wantsKind(query, 'coupon')];
    if (issued.some(Boolean)) {
      const idSql = `${issuedKind} || ':' || c.id`;
      const window = timelineWindowSql(query, 'c.issued_at', idSql, params);
      const only = issued.every(Boolean)
        ? ''
        : issued[0]
          ? `AND c.source = 'redemption'`
          : `AND c.source <> 'redemption'`;
      parts.push(`
        SELECT ${idSql} AS id, ${issuedKind} AS kind, ${timelineAtSql('c.issued_at')} AS at,
               jsonb_build_object('couponId', c.id, 'rewardId', c.reward_id) AS ref, ${facts} AS data
          FROM coupons c JOIN rewards w ON w.id = c.reward_id
         WHERE c.member_id = $1 ${only} ${window}`);
    }
    if (wantsKind(query, 'coupon_used')) {
      const idSql = `'coupon_used:' || c.id`;
      const window = timelineWindowSql(query, 'c.used_at', idSql, params);
      parts.push(`
        SELECT ${idSql} AS id, 'coupon_used' AS kind, ${timelineAtSql('c.used_at')} AS at,
               jsonb_strip_nulls(jsonb_build_object('couponId', c.id, 'rewardId', c.reward_id,
                                                    'storeId', c.used_store_id)) AS ref,
               ${facts} AS data
          FROM coupons c JOIN rewards w ON w.id = c.reward_id
         WHERE c.member_id = $1 AND c.used_at IS NOT NULL ${window}`);
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
  const { nameEs, nameEn } = row.data;
  switch (row.kind) {
    case 'reward':
      return { es: `Recompensa canjeada: ${nameEs}`, en: `Reward redeemed: ${nameEn}` };
    case 'coupon':
      return { es: `Cupón recibido: ${nameEs}`, en: `Coupon received: ${nameEn}` };
    case 'coupon_used':
      return { es: `Cupón usado: ${nameEs}`, en: `Coupon used: ${nameEn}` };
  }
}
