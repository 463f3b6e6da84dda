/** Case kinds, channels and the status machine: pure rules, table-tested in case-rules.spec.ts. */

export const CASE_KINDS = ['query', 'incident', 'complaint', 'suggestion'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_CHANNELS = [
  'phone',
  'email',
  'sms',
  'web',
  'chat',
  'social',
  'in_person',
  'till',
] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];

export const CASE_STATUSES = [
  'open',
  'in_progress',
  'waiting',
  'escalated',
  'resolved',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses whose SLA clock runs (`waiting` stops it: the case waits on the customer). */
export const RUNNING_STATUSES: readonly CaseStatus[] = ['open', 'in_progress', 'escalated'];

export const CASE_EVENT_TYPES = ['note', 'reply', 'assign', 'escalate', 'wait', 'resume'] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

export type CaseAction = CaseEventType | 'resolve' | 'close' | 'reopen';

/**
 * Where an action takes a case, or why it may not. Notes and replies keep the status (a reply to
 * an open case starts work on it); `close` needs a resolution first.
 */
export function nextStatus(
  from: CaseStatus,
  action: CaseAction,
): { status: CaseStatus } | { refused: string } {
  const live = from !== 'resolved' && from !== 'closed';
  switch (action) {
    case 'note':
      return { status: from };
    case 'reply':
    case 'assign':
      if (!live && action === 'assign') return { refused: `a ${from} case cannot be assigned` };
      return { status: from === 'open' ? 'in_progress' : from };
    case 'escalate':
      return live ? { status: 'escalated' } : { refused: `a ${from} case cannot be escalated` };
    case 'wait':
      return live && from !== 'waiting'
        ? { status: 'waiting' }
        : { refused: `a ${from} case cannot wait on the customer` };
    case 'resume':
      return from === 'waiting'
        ? { status: 'in_progress' }
        : { refused: `only a waiting case resumes (this one is ${from})` };
    case 'resolve':
      return live ? { status: 'resolved' } : { refused: `a ${from} case cannot be resolved` };
    case 'close':
      if (from === 'resolved') return { status: 'closed' };
      return from === 'closed'
        ? { refused: 'the case is already closed' }
        : { refused: `a ${from} case needs a resolution before it is closed` };
    case 'reopen':
      return from === 'resolved'
        ? { status: 'in_progress' }
        : { refused: `only a resolved case reopens (this one is ${from})` };
  }
}

/** `REC-2026-000123`: series, year, a counter of at least six digits. */
export function registryNumber(series: 'REC' | 'DOC', year: number, value: number): string {
  return `${series}-${year}-${String(value).padStart(6, '0')}`;
}

export const REGISTRY_NUMBER = /^(REC|DOC)-\d{4}-\d{6,}$/i;

/** The deadline colour on the desk: on time, past 80 % of the time, or breached. */
export function deadlineState(
  now: Date,
  c: { dueAt: Date; escalateAt: Date; status: CaseStatus },
): 'on_time' | 'at_risk' | 'breached' | 'paused' | 'done' {
  if (c.status === 'resolved' || c.status === 'closed') return 'done';
  if (c.status === 'waiting') return 'paused';
  if (now > c.dueAt) return 'breached';
  return now >= c.escalateAt ? 'at_risk' : 'on_time';
}
