import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One recorded domain event. The feed pages by `seq` on SQLite (one writer: insert order is commit
 * order) and by (`xactId`, `seq`) on PostgreSQL (see EventsService.feed).
 */
@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', unique: true })
  id!: string;

  @Column({ type: 'varchar' })
  type!: string;

  @Column({ type: 'varchar' })
  timestamp!: string;

  @Column({ type: 'text' })
  data!: string;

  /** The traceparent of the request that recorded it (see the event-trace-context migration); null outside one. */
  @Column({ type: 'varchar', nullable: true, select: false })
  traceContext!: string | null;

  /** The writing transaction's id, filled by the database's column default on PostgreSQL; null on SQLite. */
  @Column({ type: 'bigint', nullable: true, insert: false, update: false, select: false })
  xactId!: string | null;
}
