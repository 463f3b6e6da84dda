import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { keysetCursor, keysetPage, DEFAULT_LIMIT, Page, PersonalDataRegistry } from '../../common';
import { TransactionRunner } from '../../database';
import { EntryRow, LedgerRepository } from './ledger.repository';

export interface PointsSummary {
  balance: number;
  pending: number;
  lifetimeEarned: number;
  expiring: { points: number; expiresAt: Date }[];
}

export type EntryView = EntryRow;

/** What the ledger answers without changing anything: balances, history, the data export. */
@Injectable()
export class LedgerQueriesService implements OnModuleInit {
  constructor(
    private readonly repo: LedgerRepository,
    private readonly transactions: TransactionRunner,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    this.personalData.register({
      category: 'points',
      export: async (em, memberId) => ({
        account: await this.balanceOf(em, memberId),
        entries: await this.repo.entriesForExport(em, memberId),
      }),
      // Sums survive erasure; the text staff wrote (adjustment reasons) and caller-supplied keys
      // go (issue 13). The trigger allows exactly this under fidelia.erasure, in this transaction.
      erase: (tx, memberId) => this.repo.redactForErasure(tx, memberId),
    });
  }

  /** Balance, pending and the next expiries (zeros for a member with no account yet). */
  async balanceOf(em: EntityManager, memberId: string): Promise<PointsSummary> {
    return (
      (await this.repo.balance(em, memberId)) ?? {
        balance: 0,
        pending: 0,
        lifetimeEarned: 0,
        expiring: [],
      }
    );
  }

  /** History, newest first, keyset-paginated on the entry id. */
  async entries(
    em: EntityManager,
    memberId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<EntryView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    // A malformed cursor is a 400 (keysetCursor), not a 500 from a bad bigint.
    const [after] = keysetCursor(query.cursor, 1, ['integer']) ?? [];
    const rows = await this.repo.entries(em, memberId, {
      before: after === undefined ? null : String(after),
      limit: limit + 1,
    });
    return keysetPage(
      rows,
      limit,
      (r) => [r.id],
      (r) => r,
    );
  }
}
