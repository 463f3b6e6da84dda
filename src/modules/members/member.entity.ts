import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type MemberStatus = 'active' | 'erased';
export type EnrolmentChannel = 'till' | 'web' | 'phone' | 'import';
export type Locale = 'es' | 'en';

@Entity('members')
export class Member {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', nullable: true })
  firstName: string | null;

  @Column({ type: 'text', nullable: true })
  lastName: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** E.164, e.g. +34600111222. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'date', nullable: true })
  birthDate: string | null;

  @Column({ type: 'text', default: 'es' })
  locale: Locale;

  @Column({ type: 'text', nullable: true })
  tier: string | null;

  @Column({ type: 'text', default: 'active' })
  status: MemberStatus;

  @Column({ type: 'text' })
  enrolmentChannel: EnrolmentChannel;

  @Column({ type: 'uuid', nullable: true })
  enrolmentStoreId: string | null;

  /** Required under the minimum age (LOPDGDD art. 7: 14 in Spain). */
  @Column({ type: 'text', nullable: true })
  guardianName: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  erasedAt: Date | null;
}
