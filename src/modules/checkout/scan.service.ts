import { Injectable } from '@nestjs/common';
import { Clock } from '../../common';
import { pipelined, TransactionRunner } from '../../database';
import { CardsService } from '../cards';
import { LedgerQueriesService } from '../ledger';
import { MembersService } from '../members';
import type { UsableReward } from '../promotions';
import { usableWith } from './usable-rewards';
import { CheckoutRewards } from './checkout-rewards';
import { memberInactive } from './checkout.errors';

const EXPIRING_SOON_DAYS = 30;

export interface ScanSummary {
  memberId: string;
  cardId: string;
  codeKind: string;
  name: string;
  firstName: string | null;
  tier: string | null;
  balance: number;
  available: number;
  pending: number;
  expiring: { points: number; expiresAt: Date }[];
  rewards: UsableReward[];
  warnings: { code: string; message: string }[];
}

/** The till's scan: who the card is, what they hold and can spend, and what to tell them. */
@Injectable()
export class ScanService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly points: LedgerQueriesService,
    private readonly cards: CardsService,
    private readonly members: MembersService,
    private readonly clock: Clock,
    private readonly checkoutRewards: CheckoutRewards,
  ) {}

  /** Card number or code → who it is and what they can spend, or the card's refusal. */
  async scan(code: string): Promise<ScanSummary> {
    // One connection for the whole scan: the card first, then the member, the points and the
    // rewards together in one round trip.
    return this.transactions.connection(async (em) => {
      const resolved = await this.cards.resolveCode(em, code);
      const [member, points, offered] = await pipelined(em, [
        () => this.members.brief(em, resolved.memberId),
        () => this.points.balanceOf(em, resolved.memberId),
        () => this.checkoutRewards.offeredTo(em, resolved.memberId),
      ] as const);
      return this.scanSummary(resolved, member, points, usableWith(offered, points.balance));
    });
  }

  private scanSummary(
    resolved: Awaited<ReturnType<CardsService['resolveCode']>>,
    member: Awaited<ReturnType<MembersService['brief']>>,
    points: Awaited<ReturnType<LedgerQueriesService['balanceOf']>>,
    rewards: UsableReward[],
  ): ScanSummary {
    if (member.status !== 'active') throw memberInactive();
    const warnings: ScanSummary['warnings'] = [];
    if (points.balance < 0) {
      warnings.push({
        code: 'negative_balance',
        message: `the balance is ${points.balance}: points cannot be redeemed until it is repaid`,
      });
    }
    const soon = this.clock.now().getTime() + EXPIRING_SOON_DAYS * 86400000;
    const expiringSoon = points.expiring
      .filter((e) => new Date(e.expiresAt).getTime() <= soon)
      .reduce((s, e) => s + e.points, 0);
    if (expiringSoon > 0) {
      warnings.push({
        code: 'points_expiring_soon',
        message: `${expiringSoon} points expire within ${EXPIRING_SOON_DAYS} days`,
      });
    }
    if (points.pending > 0) {
      warnings.push({
        code: 'pending_points',
        message: `${points.pending} points become available after the return window`,
      });
    }
    return {
      memberId: member.id,
      cardId: resolved.card.id,
      codeKind: resolved.kind,
      name: [member.firstName, member.lastName].filter(Boolean).join(' '),
      firstName: member.firstName,
      tier: member.tier,
      balance: points.balance,
      available: Math.max(0, points.balance),
      pending: points.pending,
      expiring: points.expiring,
      rewards,
      warnings,
    };
  }
}
