import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const REWARD_KINDS = ['discount', 'free_product', 'coupon'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

/** An item of the rewards catalogue; redeeming it issues a single-use coupon. */
@Entity('rewards')
export class Reward {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  nameEs: string;

  @Column({ type: 'text' })
  nameEn: string;

  @Column({ type: 'text', nullable: true })
  descriptionEs: string | null;

  @Column({ type: 'text', nullable: true })
  descriptionEn: string | null;

  @Column({ type: 'text' })
  kind: RewardKind;

  @Column({ type: 'integer' })
  costPoints: number;

  /** For `discount`: the amount off. */
  @Column({ type: 'integer', nullable: true })
  discountCents: number | null;

  /** For `free_product`: the product given. */
  @Column({ type: 'text', nullable: true })
  sku: string | null;

  /** Units left (null: unlimited). */
  @Column({ type: 'integer', nullable: true })
  stock: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  validFrom: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  /** How long a coupon of this reward can be used after it is issued. */
  @Column({ type: 'integer', default: 30 })
  couponValidDays: number;

  @Column({ default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
