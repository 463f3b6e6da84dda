import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One per member, created lazily on its first posting. `balance` (redeemable points, negative
 * while a return's debt is unpaid) and `pending` (inside the return window) cache the ledger;
 * they change only under `SELECT … FOR UPDATE` of this row (see LedgerService).
 */
@Entity('point_accounts')
export class PointAccount {
  @PrimaryColumn({ type: 'uuid' })
  memberId: string;

  @Column({ type: 'integer' })
  balance: number;

  @Column({ type: 'integer' })
  pending: number;

  @Column({ type: 'integer' })
  lifetimeEarned: number;

  @Column({ type: 'bigint' })
  version: string;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
