import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Condition, Effect } from './engine';

export const PROMOTION_STATUSES = ['draft', 'active', 'paused', 'ended'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];
export const LIMIT_PERIODS = ['day', 'week', 'month', 'ever'] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];

/** The current version of a promotion; each published version is kept in promotion_versions. */
@Entity('promotions')
export class Promotion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', default: 'draft' })
  status: PromotionStatus;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'text' })
  nameEs: string;

  @Column({ type: 'text' })
  nameEn: string;

  @Column({ type: 'text', nullable: true })
  descriptionEs: string | null;

  @Column({ type: 'text', nullable: true })
  descriptionEn: string | null;

  @Column({ type: 'integer', default: 0 })
  priority: number;

  @Column({ default: false })
  exclusive: boolean;

  /** Its points are the base points that multipliers multiply. */
  @Column({ default: false })
  base: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  startsAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endsAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  conditions: Condition | null;

  @Column({ type: 'jsonb' })
  effects: Effect[];

  @Column({ type: 'integer', nullable: true })
  maxPointsPerPurchase: number | null;

  /** Total points this promotion may give (null: unlimited); consumption in promotion_budgets. */
  @Column({ type: 'integer', nullable: true })
  budgetPoints: number | null;

  @Column({ type: 'integer', nullable: true })
  memberLimitCount: number | null;

  @Column({ type: 'text', nullable: true })
  memberLimitPeriod: LimitPeriod | null;

  /** Stamp card: at this many stamps the member gets `stampRewardId` and starts again. */
  @Column({ type: 'integer', nullable: true })
  stampsRequired: number | null;

  @Column({ type: 'uuid', nullable: true })
  stampRewardId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A snapshot of a promotion as it was at one version: ledger entries point at these. */
@Entity('promotion_versions')
export class PromotionVersion {
  @PrimaryColumn('uuid')
  promotionId: string;

  @PrimaryColumn('integer')
  version: number;

  @Column({ type: 'jsonb' })
  definition: Record<string, unknown>;

  @Column({ type: 'text' })
  actorType: string;

  @Column({ type: 'text', nullable: true })
  actorId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
