import { Column, Entity, PrimaryColumn } from 'typeorm';

export const TABLE_STATUSES = ['free', 'occupied', 'reserved', 'cleaning'] as const;
export type TableStatus = (typeof TABLE_STATUSES)[number];

@Entity({ name: 'tables' })
export class TableEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  label!: string;

  @Column({ type: 'integer' })
  capacity!: number;

  @Column({ type: 'varchar' })
  status!: TableStatus;

  @Column({ type: 'varchar', nullable: true })
  guestId!: string | null;

  @Column({ type: 'varchar' })
  createdAt!: string;

  @Column({ type: 'varchar' })
  updatedAt!: string;
}
