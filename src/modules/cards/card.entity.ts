import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CardStatus = 'active' | 'blocked' | 'replaced';

@Entity('cards')
export class Card {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  memberId: string;

  @Column()
  number: string;

  @Column({ type: 'text', default: 'active' })
  status: CardStatus;

  /** Part of the signed static code: replacing or re-keying a card bumps it. */
  @Column({ default: 1 })
  version: number;

  /** TOTP secret for the rotating code; never sent to the client except inside wallet passes. */
  @Column({ type: 'bytea', select: false })
  secret: Buffer;

  @Column({ type: 'uuid' })
  passSerial: string;

  @Column({ select: false })
  passAuthToken: string;

  @Column({ type: 'timestamptz' })
  passUpdatedAt: Date;

  @Column({ type: 'uuid', nullable: true })
  replacedById: string | null;

  /** The last time step in which a rotating code was accepted (each step is accepted once). */
  @Column({ type: 'bigint', nullable: true, select: false })
  lastTotpStep: string | null;

  /** The pass changed and registered Apple devices have not been pushed yet. */
  @Column({ default: false })
  passPushPending: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  blockedAt: Date | null;
}
