import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database';

export interface NoticeRecipient {
  staff_id: string;
  email: string;
  case_ids: string[];
}

/**
 * Who is told when a case reaches 80 % of its time (level 1) or breaches (level 2): the active
 * supervisors of the case's store, plus store-less supervisors and admins. One
 * `case_notifications` row per case and level — its primary key makes a second notice impossible
 * even if two ticks ever marked the same case.
 */
const RECIPIENT_OF = `s.active AND (
    ('supervisor' = ANY(s.roles) AND (s.store_id IS NULL OR s.store_id = c.store_id))
    OR ('admin' = ANY(s.roles) AND s.store_id IS NULL))`;

@Injectable()
export class CaseNoticesRepository {
  /**
   * Records the notice of these cases at this level (skipping any already noticed), with a
   * `supervisors_notified` event on each case's history; answers each recipient with the cases
   * they are told about.
   */
  async record(tx: Tx, caseIds: string[], level: 1 | 2, now: Date): Promise<NoticeRecipient[]> {
    if (!caseIds.length) return [];
    return tx.query(
      `WITH fresh AS (
         INSERT INTO case_notifications (case_id, level, recipients, at)
         SELECT c.id, $2, (SELECT count(*) FROM staff_users s WHERE ${RECIPIENT_OF}), $3
           FROM cases c WHERE c.id = ANY($1::uuid[])
         ON CONFLICT (case_id, level) DO NOTHING
         RETURNING case_id, recipients),
       logged AS (
         INSERT INTO case_events (case_id, type, actor_type, data, at)
         SELECT case_id, 'supervisors_notified', 'system',
                jsonb_build_object('level', $2::int, 'recipients', recipients), $3
           FROM fresh)
       SELECT s.id AS staff_id, s.email, array_agg(c.id ORDER BY c.due_at) AS case_ids
         FROM fresh f JOIN cases c ON c.id = f.case_id
         JOIN staff_users s ON ${RECIPIENT_OF}
        GROUP BY s.id, s.email ORDER BY s.email`,
      [caseIds, level, now],
    );
  }
}
