import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A payment the gateway reported through a verified webhook; recorded once per paymentId and webhook-id. */
@Entity({ name: 'payments' })
export class PaymentEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  /** The gateway's id for the payment. */
  @Column({ type: 'varchar' })
  paymentId!: string;

  /** The `webhook-id` of the delivery that reported it, so a redelivery is recognised. */
  @Column({ type: 'varchar' })
  webhookId!: string;

  @Column({ type: 'varchar' })
  guestId!: string;

  /** Minor units (cents). */
  @Column({ type: 'integer' })
  amount!: number;

  @Column({ type: 'varchar' })
  currency!: string;

  @Column({ type: 'varchar' })
  receivedAt!: string;
}
