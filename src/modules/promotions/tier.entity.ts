import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A programme level: reached by points earned in the rolling window, with a points multiplier. */
@Entity('tiers')
export class Tier {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** What members.tier and the `member_tier` condition name it by, e.g. `Oro`. */
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  nameEs: string;

  @Column({ type: 'text' })
  nameEn: string;

  @Column({ type: 'integer' })
  thresholdPoints: number;

  /** 150 = base points × 1.5. */
  @Column({ type: 'integer', default: 100 })
  multiplierPercent: number;

  @Column({ type: 'text', nullable: true })
  benefitsEs: string | null;

  @Column({ type: 'text', nullable: true })
  benefitsEn: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
