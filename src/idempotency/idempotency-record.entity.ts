import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A stored first response for an Idempotency-Key, encrypted with a key derived from that Idempotency-Key. */
@Entity({ name: 'idempotency_records' })
export class IdempotencyRecordEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar' })
  caller!: string;

  @Column({ type: 'varchar' })
  scope!: string;

  @Column({ type: 'varchar' })
  keyHash!: string;

  @Column({ type: 'text' })
  response!: string;

  @Column({ type: 'varchar' })
  createdAt!: string;

  /** The guest the stored response is about (it holds their name), so erasing them deletes it. */
  @Column({ type: 'varchar', nullable: true })
  guestId!: string | null;
}
