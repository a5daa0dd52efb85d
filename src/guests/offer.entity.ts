import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'offers' })
export class OfferEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  guestId!: string;

  @Column({ type: 'varchar' })
  title!: string;

  @Column({ type: 'varchar', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar' })
  createdAt!: string;
}
