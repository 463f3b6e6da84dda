import { EntityManager } from 'typeorm';

/** Who posted an entry, as `actorOf(principal)` names it ('system' for jobs). */
export interface LedgerActor {
  actorType: string;
  actorId: string | null;
}

export interface PostingContext {
  actor: LedgerActor;
  /** Why, in words a member understands ("Purchase T1-000123 at Madrid Centro"). */
  reason: string;
  storeId?: string | null;
  purchaseId?: string | null;
  idempotencyKey?: string | null;
}

export interface AccountState {
  memberId: string;
  balance: number;
  pending: number;
  lifetimeEarned: number;
  version: string;
}

export interface PostingResult {
  /** The entry posted, or null when there was nothing to post (0 points). */
  entryId: string | null;
  balance: number;
  pending: number;
}

export interface EarnResult extends PostingResult {
  /** The points went to `pending` (inside the return window) rather than to the balance. */
  pendingPoints: number;
  availableAt: Date;
  expiresAt: Date | null;
}

export type BalanceListener = (tx: EntityManager, memberIds: string[]) => Promise<void>;

export const SYSTEM: LedgerActor = { actorType: 'system', actorId: null };
