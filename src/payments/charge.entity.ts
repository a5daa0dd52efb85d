import { Column, Entity, PrimaryColumn } from 'typeorm';

export const CHARGE_STATUSES = ['requested', 'accepted', 'paid'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/**
 * A charge Maitred asked the gateway for. Its id is the Idempotency-Key sent to the gateway, so
 * asking again for the same open charge (a double click, a retry after a timeout) cannot charge twice.
 */
@Entity({ name: 'payment_charges' })
export class ChargeEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  guestId!: string;

  @Column({ type: 'integer' })
  amount!: number;

  @Column({ type: 'varchar' })
  currency!: string;

  @Column({ type: 'varchar' })
  status!: ChargeStatus;

  @Column({ type: 'varchar', nullable: true })
  paymentId!: string | null;

  @Column({ type: 'varchar' })
  requestedAt!: string;

  @Column({ type: 'varchar' })
  updatedAt!: string;
}
