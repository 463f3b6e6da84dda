import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** An Apple device that added a card's pass and wants pushes when it changes. */
@Entity('pass_registrations')
export class PassRegistration {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  deviceLibraryId: string;

  @Column()
  pushToken: string;

  @Column({ type: 'uuid' })
  cardId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
