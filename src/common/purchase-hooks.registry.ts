import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What a purchase hook learns, in the purchase's own transaction. */
export interface PurchaseEvent {
  purchaseId: string;
  /** The member, or null for a purchase recorded for a contact without a card. */
  memberId: string | null;
  /** A follow-up contact (no card, no points) the purchase was recorded for, if any. */
  contactId?: string | null;
  storeId: string;
  externalId: string | null;
  totalCents: number;
  /** Distinct product categories of the basket's lines. */
  categories: string[];
  at: Date;
}

export interface ReturnEvent {
  purchaseId: string;
  memberId: string | null;
  storeId: string;
  /** Every line of the purchase is now fully returned. */
  fullyReturned: boolean;
  at: Date;
}

/**
 * Work other modules do when a purchase or a return is recorded (e.g. follow-up tasks), in that
 * transaction: a hook that throws rolls the purchase back. A replayed purchase (same idempotency
 * key) runs no hook. Modules register at start (onModuleInit); checkout depends on none of them.
 * Hooks sit on the till's hot path: the purchase starts them together with its own writes, so a
 * hook's first statement should leave at once (no await before it) and its writes go with the
 * COMMIT (`withTheCommit`); none when nothing applies.
 */
export interface PurchaseHook {
  name: string;
  afterPurchase?(tx: EntityManager, event: PurchaseEvent): Promise<void>;
  afterReturn?(tx: EntityManager, event: ReturnEvent): Promise<void>;
}

@Injectable()
export class PurchaseHooks {
  private readonly hooks = new Map<string, PurchaseHook>();

  register(hook: PurchaseHook): void {
    this.hooks.set(hook.name, hook);
  }

  get empty(): boolean {
    return this.hooks.size === 0;
  }

  afterPurchase(tx: EntityManager, event: PurchaseEvent): Promise<void> {
    return this.inTurn((hook) => hook.afterPurchase?.(tx, event));
  }

  afterReturn(tx: EntityManager, event: ReturnEvent): Promise<void> {
    return this.inTurn((hook) => hook.afterReturn?.(tx, event));
  }

  /**
   * Each hook after the one before. The first starts now, so its first statement leaves with the
   * caller's batch; with one hook its promise is returned as it is (no wrapper on the till's path).
   */
  private inTurn(call: (hook: PurchaseHook) => Promise<void> | undefined): Promise<void> {
    let chain: Promise<void> | undefined;
    for (const hook of this.hooks.values()) {
      if (chain) chain = chain.then(() => call(hook));
      else {
        try {
          chain = call(hook);
        } catch (err) {
          chain = Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
    }
    return chain ?? Promise.resolve();
  }
}
