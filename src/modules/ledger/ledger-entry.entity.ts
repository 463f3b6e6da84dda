import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ENTRY_KINDS = ['earn', 'redeem', 'expire', 'reverse', 'adjust', 'release'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Which promotion (and which version of it) produced how many points of an earn. */
export interface PromotionPoints {
  promotionId: string | null;
  version: number | null;
  name: string;
  points: number;
}

/**
 * Append-only (a trigger refuses UPDATE and DELETE). `points` moves the balance, `pendingPoints`
 * the pending points; a correction is a new entry, never an edit.
 */
@Entity('ledger_entries')
export class LedgerEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  memberId: string;

  @Column({ type: 'text' })
  kind: EntryKind;

  @Column({ type: 'integer' })
  points: number;

  @Column({ type: 'integer' })
  pendingPoints: number;

  @Column({ type: 'integer' })
  balanceAfter: number;

  @Column({ type: 'uuid', nullable: true })
  purchaseId: string | null;

  @Column({ type: 'jsonb' })
  promotions: PromotionPoints[];

  @Column({ type: 'text' })
  actorType: string;

  @Column({ type: 'text', nullable: true })
  actorId: string | null;

  @Column({ type: 'uuid', nullable: true })
  storeId: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
