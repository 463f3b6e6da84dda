import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { StaffRole } from '../../common';

@Entity('staff_users')
export class StaffUser {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  email: string;

  @Column()
  name: string;

  /** argon2id (PHC string); never leaves the service. */
  @Column({ select: false })
  passwordHash: string;

  @Column({ type: 'text', array: true })
  roles: StaffRole[];

  @Column({ type: 'uuid', nullable: true })
  storeId: string | null;

  @Column({ default: true })
  active: boolean;

  /** Bumped by a password change or deactivation: tokens naming an older version are refused. */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
