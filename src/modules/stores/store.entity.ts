import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('stores')
export class Store {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  code: string;

  @Column()
  name: string;

  /** IANA zone: promotions by hour, quiet hours and SLA calendars are local to the store. */
  @Column({ default: 'Europe/Madrid' })
  timeZone: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  /** ISO 3166-2 (e.g. ES-MD): regional holidays for working-day deadlines. */
  @Column({ type: 'text', nullable: true })
  region: string | null;

  /** Municipality, for local holidays. */
  @Column({ type: 'text', nullable: true })
  locality: string | null;

  @Column({ default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
