import { Injectable } from '@nestjs/common';
import { Clock } from '../../common';
import { TransactionRunner } from '../../database';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

/**
 * The ledger's jobs: releases pending lots whose return window has passed and expires lots past
 * their expiry, member by member, each in its own transaction.
 */
@Injectable()
export class LedgerJobsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly repo: LedgerRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Idempotent: what is done is no longer due. */
  async runDueJobs(limit = 1000): Promise<{ members: number; released: number; expired: number }> {
    const total = { members: 0, released: 0, expired: 0 };
    const seen = new Set<string>();
    for (;;) {
      const due = await this.repo.dueMembers(this.transactions.reader, this.clock.now(), limit);
      const todo = due.filter((m) => !seen.has(m));
      if (todo.length === 0) return total;
      for (const memberId of todo) {
        seen.add(memberId);
        const counts = await this.transactions.run((tx) => this.ledger.settleDue(tx, memberId));
        total.members++;
        total.released += counts.released;
        total.expired += counts.expired;
      }
    }
  }
}
