import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A till ticket for a member: amounts in cents, the points it earned and spent. */
@Entity('purchases')
export class Purchase {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  storeId: string;

  @Column({ type: 'uuid' })
  memberId: string;

  /** The till's ticket number: unique per store. */
  @Column({ type: 'text', nullable: true })
  externalId: string | null;

  @Column({ type: 'text' })
  currency: string;

  @Column({ type: 'integer' })
  subtotalCents: number;

  /** Paid with points. */
  @Column({ type: 'integer' })
  discountCents: number;

  /** Paid in money: subtotal − discount. */
  @Column({ type: 'integer' })
  totalCents: number;

  @Column({ type: 'integer' })
  pointsEarned: number;

  @Column({ type: 'integer' })
  pointsRedeemed: number;

  @Column({ type: 'text' })
  actorType: string;

  @Column({ type: 'text', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
