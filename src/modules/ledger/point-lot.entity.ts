import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type LotKind = 'earn' | 'adjust' | 'debt';

/**
 * Points with one availability date and one expiry. Earns and positive adjustments open a lot;
 * debits take from the lots that expire first. A member's one `debt` lot holds a negative
 * remaining while a return has taken back points that were already spent.
 */
@Entity('point_lots')
export class PointLot {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  memberId: string;

  @Column({ type: 'bigint' })
  entryId: string;

  @Column({ type: 'uuid', nullable: true })
  purchaseId: string | null;

  @Column({ type: 'text' })
  kind: LotKind;

  @Column({ type: 'integer' })
  points: number;

  @Column({ type: 'integer' })
  remaining: number;

  @Column({ type: 'timestamptz' })
  availableAt: Date;

  @Column()
  released: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
