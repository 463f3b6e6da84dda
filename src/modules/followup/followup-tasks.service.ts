import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, PurchaseEvent, PurchaseHooks, ReturnEvent } from '../../common';
import { pipelined, Tx, withTheCommit } from '../../database';
import { PurchaseHistoryService } from '../checkout';
import { MemberReachService } from '../members';
import { FollowupPlansService } from './followup-plans.service';
import { FollowupRepository } from './followup.repository';
import { matchesCustomer, matchesPurchase, reachable } from './followup-rules';
import { addDuration } from './iso-duration';

/**
 * Tasks are born in the purchase's own transaction (PurchaseHooks): the active plans are
 * matched in memory, so a purchase no plan wants costs no statement; one that some plan wants
 * costs the customer's reach (consents, contact data) and one insert. A full return cancels the
 * purchase's open tasks.
 */
@Injectable()
export class FollowupTasksService implements OnModuleInit {
  constructor(
    private readonly repo: FollowupRepository,
    private readonly plans: FollowupPlansService,
    private readonly reach: MemberReachService,
    private readonly history: PurchaseHistoryService,
    private readonly purchaseHooks: PurchaseHooks,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.purchaseHooks.register({
      name: 'followup',
      afterPurchase: (tx, event) => this.afterPurchase(tx, event),
      afterReturn: (tx, event) => this.afterReturn(tx, event),
    });
  }

  async afterPurchase(tx: Tx, e: PurchaseEvent): Promise<void> {
    const candidates = (await this.plans.activePlans()).filter((p) =>
      matchesPurchase(p.row.conditions, e),
    );
    if (!candidates.length) return;
    let customer: {
      tier: string | null;
      firstPurchase: boolean;
      followup: boolean;
      calls: boolean;
      email: boolean;
      phone: boolean;
    };
    if (e.memberId) {
      const memberId = e.memberId;
      const needFirst = candidates.some((p) => p.row.conditions.firstPurchase);
      const [reaches, first] = await pipelined(tx, [
        () => this.reach.reach(tx, [memberId]),
        () =>
          needFirst
            ? this.history.isFirstPurchase(tx, memberId, e.purchaseId)
            : Promise.resolve(false),
      ] as const);
      const m = reaches.get(memberId);
      if (!m) return;
      customer = {
        tier: m.tier,
        firstPurchase: first,
        followup: m.followup,
        calls: m.calls,
        email: !!m.email,
        phone: !!m.phone,
      };
    } else if (e.contactId) {
      const c = (await this.repo.contacts(tx, [e.contactId])).get(e.contactId);
      if (!c) return;
      customer = {
        tier: null,
        firstPurchase: true,
        followup: c.followup_consent,
        calls: c.calls_consent,
        email: !!c.email,
        phone: !!c.phone,
      };
    } else return;
    const chosen = candidates.filter(
      (p) => matchesCustomer(p.row.conditions, customer) && reachable(p.row.channel, customer),
    );
    if (!chosen.length) return;
    const now = this.clock.now();
    // The tasks leave with the purchase's COMMIT: no round trip of their own on the till's path
    // (nothing in the purchase reads them back); if the insert fails, the purchase rolls back.
    withTheCommit(tx, () =>
      this.repo.insertTasks(
        tx,
        chosen.map((p) => ({
          id: randomUUID(),
          planId: p.row.id,
          purchaseId: e.purchaseId,
          memberId: e.memberId,
          contactId: e.contactId ?? null,
          storeId: e.storeId,
          channel: p.row.channel,
          surveyKind: p.row.survey_kind,
          dueAt: addDuration(e.at, p.delay),
          maxAttempts: p.row.max_attempts,
          categories: e.categories,
          totalCents: e.totalCents,
        })),
        now,
      ),
    );
  }

  async afterReturn(tx: Tx, e: ReturnEvent): Promise<void> {
    if (!e.fullyReturned) return;
    await this.repo.cancelOpenForPurchase(tx, e.purchaseId, this.clock.now());
  }
}
