import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxChannel = 'email' | 'sms' | 'push' | 'webhook';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';
export type MessagePurpose = 'service' | 'marketing';
export const OUTBOX_STATUSES: OutboxStatus[] = [
  'pending',
  'sending',
  'sent',
  'failed',
  'cancelled',
];

/** A message to send after commit: written in the same transaction as the change behind it. */
@Entity('outbox')
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  channel: OutboxChannel;

  @Column()
  recipient: string;

  @Column()
  template: string;

  @Column({ default: 'es' })
  locale: string;

  @Column({ type: 'jsonb', default: {} })
  payload: Record<string, unknown>;

  @Column({ type: 'uuid', nullable: true })
  memberId: string | null;

  @Column({ type: 'text', default: 'service' })
  purpose: MessagePurpose;

  @Column({ type: 'text', default: 'pending' })
  status: OutboxStatus;

  @Column({ default: 0 })
  attempts: number;

  /** When a pending row is due; for a 'sending' row, when its claim lapses (the lease). */
  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** The SMTP message id or the SMS provider's id. */
  @Column({ type: 'text', nullable: true })
  providerRef: string | null;

  /** SMS segments the text took (GSM-7 or UCS-2), for the bill. */
  @Column({ type: 'integer', nullable: true })
  segments: number | null;
}
