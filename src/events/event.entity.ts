import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One recorded domain event. `seq` is the commit order the feed pages by. */
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
}
