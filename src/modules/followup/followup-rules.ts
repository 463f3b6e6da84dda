import { addDuration, Duration } from './iso-duration';

export type FollowupChannel = 'call' | 'email' | 'sms';
export const FOLLOWUP_CHANNELS: readonly FollowupChannel[] = ['call', 'email', 'sms'];

export type TaskStatus = 'scheduled' | 'due' | 'claimed' | 'done' | 'failed' | 'cancelled';
export const TASK_STATUSES: readonly TaskStatus[] = [
  'scheduled',
  'due',
  'claimed',
  'done',
  'failed',
  'cancelled',
];

export type Outcome =
  | 'reached'
  | 'no_answer'
  | 'busy'
  | 'voicemail'
  | 'wrong_number'
  | 'callback_requested'
  | 'refused';
export const OUTCOMES: readonly Outcome[] = [
  'reached',
  'no_answer',
  'busy',
  'voicemail',
  'wrong_number',
  'callback_requested',
  'refused',
];

export interface PlanConditions {
  storeIds?: string[];
  categories?: string[];
  minTotalCents?: number;
  tiers?: string[];
  firstPurchase?: boolean;
}

/** What the till's purchase tells about itself (no database read). */
export interface PurchaseFacts {
  storeId: string;
  categories: string[];
  totalCents: number;
}

/** The conditions a purchase decides alone: store, categories (any of), minimum total. */
export function matchesPurchase(c: PlanConditions, p: PurchaseFacts): boolean {
  if (c.storeIds?.length && !c.storeIds.includes(p.storeId)) return false;
  if (c.categories?.length && !c.categories.some((cat) => p.categories.includes(cat))) return false;
  if (c.minTotalCents !== undefined && p.totalCents < c.minTotalCents) return false;
  return true;
}

/** The conditions that need the customer: tier (a contact has none) and first purchase. */
export function matchesCustomer(
  c: PlanConditions,
  customer: { tier: string | null; firstPurchase: boolean },
): boolean {
  if (c.tiers?.length && (!customer.tier || !c.tiers.includes(customer.tier))) return false;
  if (c.firstPurchase && !customer.firstPurchase) return false;
  return true;
}

/** Whom a plan may contact: the `followup` consent, `calls` for calls, a phone or an email. */
export function reachable(
  channel: FollowupChannel,
  r: { followup: boolean; calls: boolean; email: boolean; phone: boolean },
): boolean {
  if (!r.followup) return false;
  switch (channel) {
    case 'call':
      return r.calls && r.phone;
    case 'sms':
      return r.phone;
    case 'email':
      return r.email;
  }
}

export interface NextStep {
  status: TaskStatus;
  dueAt: Date | null;
}

/**
 * Where a call task goes after an attempt. No answer, busy or voicemail: again after the retry
 * delay until the plan's attempts are used up, then failed. A callback: at the asked time.
 * Reached or refused: done. Wrong number: failed.
 */
export function nextStep(input: {
  outcome: Outcome;
  attempts: number;
  maxAttempts: number;
  retryDelay: Duration;
  callbackAt: Date | null;
  now: Date;
}): NextStep {
  switch (input.outcome) {
    case 'reached':
    case 'refused':
      return { status: 'done', dueAt: null };
    case 'wrong_number':
      return { status: 'failed', dueAt: null };
    case 'callback_requested':
      return {
        status: 'scheduled',
        dueAt: input.callbackAt ?? addDuration(input.now, input.retryDelay),
      };
    case 'no_answer':
    case 'busy':
    case 'voicemail':
      return input.attempts >= input.maxAttempts
        ? { status: 'failed', dueAt: null }
        : { status: 'scheduled', dueAt: addDuration(input.now, input.retryDelay) };
  }
}

/** The most goodwill points a caller with these roles may give on one call. */
export function goodwillCap(
  roles: readonly string[],
  caps: { agent: number; supervisor: number },
): number {
  let cap = 0;
  if (roles.includes('agent')) cap = Math.max(cap, caps.agent);
  if (roles.includes('supervisor') || roles.includes('admin')) cap = Math.max(cap, caps.supervisor);
  return cap;
}
