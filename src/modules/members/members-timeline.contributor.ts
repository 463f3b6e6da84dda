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

const PURPOSE_LABELS: Record<string, { es: string; en: string }> = {
  terms: { es: 'condiciones del programa', en: 'programme terms' },
  followup: { es: 'seguimiento posventa', en: 'post-sale follow-up' },
  marketing_email: { es: 'publicidad por email', en: 'marketing by email' },
  marketing_sms: { es: 'publicidad por SMS', en: 'marketing by SMS' },
  calls: { es: 'llamadas', en: 'calls' },
  profiling: { es: 'perfilado', en: 'profiling' },
};

interface Row {
  id: string;
  kind: 'enrolment' | 'consent';
  at: Date;
  ref: Record<string, unknown>;
  data: Record<string, unknown>;
}

/** The member's enrolment and each consent decision, on the CRM timeline. */
@Injectable()
export class MembersTimelineContributor implements OnModuleInit {
  constructor(private readonly registry: TimelineRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'members',
      kinds: ['enrolment', 'consent'],
      entries: (reader, query) => this.entries(reader, query),
    });
  }

  async entries(reader: EntityManager, query: TimelineQuery): Promise<TimelineEntry[]> {
    const params: unknown[] = [query.memberId];
    const parts: string[] = [];
    if (wantsKind(query, 'enrolment')) {
      const window = timelineWindowSql(query, 'm.created_at', `'enrolment:' || m.id`, params);
      parts.push(`
        SELECT 'enrolment:' || m.id AS id, 'enrolment' AS kind, ${timelineAtSql('m.created_at')} AS at,
               jsonb_build_object('memberId', m.id) AS ref,
               jsonb_build_object('channel', m.enrolment_channel, 'storeId', m.enrolment_store_id) AS data
          FROM members m WHERE m.id = $1 ${window}`);
    }
    if (wantsKind(query, 'consent')) {
      const window = timelineWindowSql(
        query,
        'c.created_at',
        `'consent:' || lpad(c.id::text, 19, '0')`,
        params,
      );
      parts.push(`
        (SELECT 'consent:' || lpad(c.id::text, 19, '0') AS id, 'consent' AS kind,
                ${timelineAtSql('c.created_at')} AS at,
                jsonb_build_object('consentId', c.id, 'purpose', c.purpose) AS ref,
                jsonb_build_object('purpose', c.purpose, 'granted', c.granted, 'channel', c.channel,
                                   'textVersion', c.text_version, 'by', c.recorded_by_type) AS data
           FROM consents c WHERE c.member_id = $1 ${window})`);
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
  if (row.kind === 'enrolment') return { es: 'Alta en el programa', en: 'Joined the programme' };
  const label = PURPOSE_LABELS[String(row.data.purpose)] ?? {
    es: String(row.data.purpose),
    en: String(row.data.purpose),
  };
  return row.data.granted
    ? { es: `Consentimiento dado: ${label.es}`, en: `Consent given: ${label.en}` }
    : { es: `Consentimiento retirado: ${label.es}`, en: `Consent withdrawn: ${label.en}` };
}
