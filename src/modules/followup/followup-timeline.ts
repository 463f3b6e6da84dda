import type { TimelineContributor } from '../../common';
import type { FollowupRepository } from './followup.repository';

const OUTCOME_TEXT: Record<string, { es: string; en: string }> = {
  reached: { es: 'localizado', en: 'reached' },
  no_answer: { es: 'no contesta', en: 'no answer' },
  busy: { es: 'comunica', en: 'busy' },
  voicemail: { es: 'buzón de voz', en: 'voicemail' },
  wrong_number: { es: 'número equivocado', en: 'wrong number' },
  callback_requested: { es: 'pide que le llamen', en: 'callback requested' },
  refused: { es: 'rechaza la llamada', en: 'refused' },
};

/** Follow-up calls on the member's timeline, with their goodwill and offer (never the notes). */
export function followupTimeline(repo: FollowupRepository): TimelineContributor {
  return {
    name: 'followup',
    kinds: ['followup_attempt'],
    async entries(reader, q) {
      if (q.kinds && !q.kinds.includes('followup_attempt')) return [];
      const rows = await repo.attemptsOfMember(reader, q.memberId, {
        before: q.before,
        from: q.from,
        to: q.to,
        limit: q.limit,
      });
      return rows.map((a) => {
        const text = OUTCOME_TEXT[a.outcome] ?? { es: a.outcome, en: a.outcome };
        const extras = {
          es: [
            a.satisfaction_kind
              ? `${a.satisfaction_kind.toUpperCase()} ${a.satisfaction_score}`
              : '',
            a.goodwill_points ? `${a.goodwill_points} puntos de cortesía` : '',
            a.offer ? (a.offer.type === 'enrolment' ? 'se une al programa' : 'cupón ofrecido') : '',
          ].filter(Boolean),
          en: [
            a.satisfaction_kind
              ? `${a.satisfaction_kind.toUpperCase()} ${a.satisfaction_score}`
              : '',
            a.goodwill_points ? `${a.goodwill_points} goodwill points` : '',
            a.offer
              ? a.offer.type === 'enrolment'
                ? 'joined the programme'
                : 'coupon offered'
              : '',
          ].filter(Boolean),
        };
        return {
          id: `followup_attempt:${a.id}`,
          kind: 'followup_attempt',
          at: a.created_at,
          title: {
            es: `Llamada de seguimiento: ${text.es}${extras.es.length ? ` · ${extras.es.join(' · ')}` : ''}`,
            en: `Follow-up call: ${text.en}${extras.en.length ? ` · ${extras.en.join(' · ')}` : ''}`,
          },
          ref: {
            attemptId: a.id,
            taskId: a.task_id,
            ...(a.case_id ? { caseId: a.case_id } : {}),
            ...(a.goodwill_entry_id ? { ledgerEntryId: a.goodwill_entry_id } : {}),
          },
          data: {
            outcome: a.outcome,
            agentId: a.agent_id,
            durationSeconds: a.duration_seconds,
            satisfaction: a.satisfaction_kind
              ? { kind: a.satisfaction_kind, score: a.satisfaction_score }
              : null,
            escalated: a.escalated,
            goodwillPoints: a.goodwill_points,
            offer: a.offer,
          },
        };
      });
    },
  };
}
