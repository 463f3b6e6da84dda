import { deadlineState } from './case-rules';
import type { CaseEventRow, CaseRow } from './cases.repository';

export interface CaseView {
  id: string;
  registryNumber: string;
  kind: CaseRow['kind'];
  channel: CaseRow['channel'];
  category: string | null;
  department: string | null;
  status: CaseRow['status'];
  memberId: string | null;
  contact: { name: string | null; email: string | null; phone: string | null } | null;
  locale: string;
  storeId: string | null;
  purchaseId: string | null;
  assigneeId: string | null;
  subject: string;
  description: string;
  resolution: string | null;
  customerConfirmed: boolean | null;
  source: { type: string; id: string } | null;
  satisfaction: Record<string, unknown> | null;
  sla: string;
  dueAt: string;
  escalateAt: string;
  deadline: ReturnType<typeof deadlineState>;
  escalationLevel: number;
  breachedAt: string | null;
  deadlineCandidates: CaseRow['deadline_candidates'];
  receiptUrl: string;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  events?: CaseEventView[];
}

export interface CaseEventView {
  id: string;
  type: string;
  visibility: 'internal' | 'customer';
  actor: { type: string; id: string | null };
  text: string | null;
  data: Record<string, unknown>;
  at: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentCase(c: CaseRow, now: Date, receiptUrl?: string): CaseView {
  const hasContact = c.contact_name || c.contact_email || c.contact_phone;
  return {
    id: c.id,
    registryNumber: c.registry_number,
    kind: c.kind,
    channel: c.channel,
    category: c.category,
    department: c.department,
    status: c.status,
    memberId: c.member_id,
    contact: hasContact
      ? { name: c.contact_name, email: c.contact_email, phone: c.contact_phone }
      : null,
    locale: c.locale,
    storeId: c.store_id,
    purchaseId: c.purchase_id,
    assigneeId: c.assignee_id,
    subject: c.subject,
    description: c.description,
    resolution: c.resolution,
    customerConfirmed: c.customer_confirmed,
    source: c.source_type && c.source_id ? { type: c.source_type, id: c.source_id } : null,
    satisfaction: c.satisfaction,
    sla: `${c.sla_amount}${c.sla_unit}`,
    dueAt: c.due_at.toISOString(),
    escalateAt: c.escalate_at.toISOString(),
    deadline: deadlineState(now, { dueAt: c.due_at, escalateAt: c.escalate_at, status: c.status }),
    escalationLevel: c.escalation_level,
    breachedAt: iso(c.breached_at),
    deadlineCandidates: c.deadline_candidates,
    receiptUrl: receiptUrl ?? `/api/cases/${c.id}/receipt.pdf`,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
    resolvedAt: iso(c.resolved_at),
    closedAt: iso(c.closed_at),
  };
}

export function presentEvent(e: CaseEventRow): CaseEventView {
  return {
    id: String(e.id),
    type: e.type,
    visibility: e.visibility,
    actor: { type: e.actor_type, id: e.actor_id },
    text: e.text,
    data: e.data,
    at: e.at.toISOString(),
  };
}

/** What a member sees of their own case: no internal notes, no staff ids, no SLA internals. */
export function presentForMember(c: CaseRow, events: CaseEventRow[], now: Date) {
  return {
    id: c.id,
    registryNumber: c.registry_number,
    kind: c.kind,
    status: c.status,
    subject: c.subject,
    description: c.description,
    resolution: c.resolution,
    customerConfirmed: c.customer_confirmed,
    dueAt: c.due_at.toISOString(),
    createdAt: c.created_at.toISOString(),
    resolvedAt: iso(c.resolved_at),
    receiptUrl: `/api/me/cases/${c.id}/receipt.pdf`,
    deadline: deadlineState(now, { dueAt: c.due_at, escalateAt: c.escalate_at, status: c.status }),
    replies: events
      .filter((e) => e.visibility === 'customer')
      .map((e) => ({ type: e.type, text: e.text, at: e.at.toISOString() })),
  };
}
