/** The follow-up tables' rows as the repository reads and writes them. */
import type { FollowupChannel, Outcome, PlanConditions, TaskStatus } from './followup-rules';

export interface PlanRow {
  id: string;
  name: string;
  channel: FollowupChannel;
  delay: string;
  survey_kind: 'csat' | 'nps' | null;
  conditions: PlanConditions;
  max_attempts: number;
  retry_delay: string;
  quiet_from: string | null;
  quiet_to: string | null;
  active: boolean;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TaskRow {
  id: string;
  plan_id: string;
  purchase_id: string;
  member_id: string | null;
  contact_id: string | null;
  store_id: string;
  channel: FollowupChannel;
  survey_kind: 'csat' | 'nps' | null;
  status: TaskStatus;
  due_at: Date;
  attempts: number;
  max_attempts: number;
  claimed_by: string | null;
  claim_expires_at: Date | null;
  categories: string[];
  total_cents: number;
  invitation_id: string | null;
  last_outcome: string | null;
  escalated: boolean;
  case_id: string | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export interface NewTask {
  id: string;
  planId: string;
  purchaseId: string;
  memberId: string | null;
  contactId: string | null;
  storeId: string;
  channel: FollowupChannel;
  surveyKind: 'csat' | 'nps' | null;
  dueAt: Date;
  maxAttempts: number;
  categories: string[];
  totalCents: number;
}

export interface AttemptRow {
  id: string;
  task_id: string;
  member_id: string | null;
  contact_id: string | null;
  agent_id: string;
  outcome: Outcome;
  notes: string | null;
  duration_seconds: number | null;
  callback_at: Date | null;
  satisfaction_kind: 'csat' | 'nps' | null;
  satisfaction_score: number | null;
  response_id: string | null;
  escalated: boolean;
  case_id: string | null;
  goodwill_points: number | null;
  goodwill_reason: string | null;
  goodwill_entry_id: string | null;
  offer: Record<string, unknown> | null;
  created_at: Date;
}

export interface ContactRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  store_id: string | null;
  followup_consent: boolean;
  calls_consent: boolean;
  recorded_by_type: string;
  recorded_by_id: string | null;
  member_id: string | null;
  created_at: Date;
  enrolled_at: Date | null;
}

export interface QueueFilter {
  statuses: TaskStatus[];
  storeId?: string;
  planId?: string;
  assignee?: string;
  memberId?: string;
  after?: { dueAt: Date; id: string };
  limit: number;
  now: Date;
}

/** The dispatch outcome of one claimed task, written back in one statement per batch. */
export interface DispatchUpdate {
  id: string;
  status: TaskStatus;
  dueAt: Date;
  invitationId: string | null;
  lastOutcome: string | null;
}
