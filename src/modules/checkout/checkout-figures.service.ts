import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database';
import { LedgerQueriesService } from '../ledger';
import type { UsableReward } from '../promotions';
import { SettingsService } from '../settings';
import { usableWith } from './usable-rewards';
import { CheckoutRewards } from './checkout-rewards';

export interface TillFigures {
  memberId: string;
  balance: number;
  available: number;
  pending: number;
  expiring: { points: number; expiresAt: Date }[];
  rewards: UsableReward[];
  /** What one point is worth when spent (programme settings), and what `available` is worth. */
  pointValueCents: number;
  availableCents: number;
}

/**
 * The figures the till shows beside the member, read again after each operation so that the
 * balance, what can be spent, what is pending and the rewards offered never go stale.
 */
@Injectable()
export class CheckoutFiguresService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly ledger: LedgerQueriesService,
    private readonly rewards: CheckoutRewards,
    private readonly settings: SettingsService,
  ) {}

  async of(memberId: string): Promise<TillFigures> {
    const reader = this.db.reader;
    const [points, offered, programme] = await Promise.all([
      this.ledger.balanceOf(reader, memberId),
      this.rewards.offeredTo(reader, memberId),
      this.settings.programme(),
    ]);
    const available = Math.max(0, points.balance);
    return {
      memberId,
      balance: points.balance,
      available,
      pending: points.pending,
      expiring: points.expiring,
      rewards: usableWith(offered, points.balance),
      pointValueCents: programme.pointValueCents,
      availableCents: available * programme.pointValueCents,
    };
  }
}
