import type { TimelineContributor } from '../../common';
import type { SatisfactionRepository } from './satisfaction.repository';

/** Survey answers on the member's CRM timeline (scores, never the comment's text). */
export function satisfactionTimeline(repo: SatisfactionRepository): TimelineContributor {
  return {
    name: 'satisfaction',
    kinds: ['survey'],
    async entries(reader, q) {
      if (q.kinds && !q.kinds.includes('survey')) return [];
      const rows = await repo.responsesOfMember(reader, q.memberId, {
        before: q.before,
        from: q.from,
        to: q.to,
        limit: q.limit,
      });
      return rows.map((r) => ({
        id: `survey:${r.id}`,
        kind: 'survey',
        at: r.answered_at,
        title: {
          es: `Encuesta ${r.kind.toUpperCase()}: ${r.score}${r.escalated ? ' (escalada)' : ''}`,
          en: `${r.kind.toUpperCase()} survey: ${r.score}${r.escalated ? ' (escalated)' : ''}`,
        },
        ref: {
          responseId: r.id,
          ...(r.invitation_id ? { invitationId: r.invitation_id } : {}),
          ...(r.attempt_id ? { attemptId: r.attempt_id } : {}),
          ...(r.case_id ? { caseId: r.case_id } : {}),
        },
        data: {
          kind: r.kind,
          score: r.score,
          channel: r.channel,
          escalated: r.escalated,
          hasComment: r.comment !== null,
        },
      }));
    },
  };
}
