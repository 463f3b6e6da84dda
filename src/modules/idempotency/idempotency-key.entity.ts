import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One per operation a client asked for with an `Idempotency-Key`: inserted first in the
 * operation's own transaction, so it commits (with the stored response) or vanishes with it.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  /** The operation and who may replay it, e.g. `purchase:store:<id>`. */
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  /** sha256 of the operation and its canonical JSON body. */
  @Column({ type: 'text' })
  requestHash: string;

  @Column({ type: 'text' })
  status: 'in_progress' | 'done';

  @Column({ type: 'integer', nullable: true })
  responseStatus: number | null;

  /** The response body exactly as first sent. */
  @Column({ type: 'text', nullable: true })
  responseBody: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
