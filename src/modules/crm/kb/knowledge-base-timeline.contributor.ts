import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  timelineAtSql,
  TimelineEntry,
  TimelineQuery,
  TimelineRegistry,
  timelineWindowSql,
  wantsKind,
} from '../../../common';

interface Row {
  id: string;
  kind: 'article_sent';
  at: Date;
  ref: Record<string, unknown>;
  data: { channel: 'email' | 'sms'; titleEs: string; titleEn: string };
}

/** Each knowledge-base article sent to the member, on the CRM timeline. */
@Injectable()
export class KnowledgeBaseTimelineContributor implements OnModuleInit {
  constructor(private readonly registry: TimelineRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'knowledge-base',
      kinds: ['article_sent'],
      entries: (reader, query) => this.entries(reader, query),
    });
  }

  async entries(reader: EntityManager, query: TimelineQuery): Promise<TimelineEntry[]> {
    if (!wantsKind(query, 'article_sent')) return [];
    const params: unknown[] = [query.memberId];
    const idSql = `'article_sent:' || s.id`;
    const window = timelineWindowSql(query, 's.created_at', idSql, params);
    const rows: Row[] = await reader.query(
      `SELECT * FROM (
         SELECT ${idSql} AS id, 'article_sent' AS kind, ${timelineAtSql('s.created_at')} AS at,
                jsonb_build_object('articleId', s.article_id, 'version', s.version,
                                   'slug', a.slug, 'outboxId', s.outbox_id) AS ref,
                jsonb_build_object('channel', s.channel, 'locale', s.locale,
                                   'titleEs', v.title_es, 'titleEn', v.title_en,
                                   'sentByType', s.sent_by_type, 'sentById', s.sent_by_id) AS data
           FROM kb_article_sends s
           JOIN kb_articles a ON a.id = s.article_id
           JOIN kb_article_versions v ON v.article_id = s.article_id AND v.version = s.version
          WHERE s.member_id = $1 ${window}) e
        ORDER BY e.at DESC, e.id COLLATE "C" DESC
        LIMIT $${params.push(query.limit)}`,
      params,
    );
    return rows.map((r) => ({
      ...r,
      title: {
        es: `Artículo enviado por ${r.data.channel === 'email' ? 'email' : 'SMS'}: ${r.data.titleEs}`,
        en: `Article sent by ${r.data.channel === 'email' ? 'email' : 'SMS'}: ${r.data.titleEn}`,
      },
    }));
  }
}
