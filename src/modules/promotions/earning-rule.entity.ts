import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { LimitPeriod } from './promotion.entity';

/** Points for an event without a purchase (enrolment, birthday, survey, custom events). */
@Entity('earning_rules')
export class EarningRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The event type: `enrolment`, `birthday`, `survey_answered`, or a custom one. */
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  nameEs: string;

  @Column({ type: 'text' })
  nameEn: string;

  @Column({ type: 'integer' })
  points: number;

  @Column({ type: 'integer', nullable: true })
  limitCount: number | null;

  @Column({ type: 'text', nullable: true })
  limitPeriod: LimitPeriod | null;

  @Column({ default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
