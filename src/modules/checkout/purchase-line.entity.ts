import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One line of a purchase, with its share of the points and what has come back. */
@Entity('purchase_lines')
export class PurchaseLine {
  @PrimaryColumn({ type: 'uuid' })
  purchaseId: string;

  @PrimaryColumn({ type: 'integer' })
  lineNo: number;

  @Column({ type: 'text' })
  sku: string;

  @Column({ type: 'text', nullable: true })
  category: string | null;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ type: 'integer' })
  unitPriceCents: number;

  @Column({ type: 'integer' })
  amountCents: number;

  /** The part of the points discount this line carries. */
  @Column({ type: 'integer' })
  discountCents: number;

  @Column({ type: 'integer' })
  pointsEarned: number;

  @Column({ type: 'integer' })
  pointsRedeemed: number;

  @Column({ type: 'integer' })
  returnedQuantity: number;
}
