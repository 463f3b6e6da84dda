import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CONSENT_PURPOSES = [
  'terms',
  'followup',
  'marketing_email',
  'marketing_sms',
  'calls',
  'profiling',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Append-only: the current consent for a purpose is its latest row. */
@Entity('consents')
export class Consent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  memberId: string;

  @Column({ type: 'text' })
  purpose: ConsentPurpose;

  @Column()
  granted: boolean;

  /** Where it was given or withdrawn: till, web, phone, email link, sms keyword… */
  @Column()
  channel: string;

  /** Version of the text the member saw, so what they agreed to can be shown later. */
  @Column()
  textVersion: string;

  @Column()
  recordedByType: string;

  @Column({ type: 'text', nullable: true })
  recordedById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
