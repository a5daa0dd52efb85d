import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event owed to one endpoint: the transactional outbox row. */
@Entity({ name: 'webhook_deliveries' })
export class DeliveryEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) eventId!: string;
  @Column({ type: 'varchar' }) endpointId!: string;
  @Column({ type: 'varchar' }) eventType!: string;
  @Column({ type: 'varchar' }) status!: DeliveryStatus;
  @Column({ type: 'integer' }) attemptCount!: number;
  /** Failed attempts since the last manual retry or recover: the position in the retry schedule. */
  @Column({ type: 'integer' }) retryStep!: number;
  @Column({ type: 'varchar', nullable: true }) nextAttemptAt!: string | null;
  @Column({ type: 'varchar', nullable: true }) leaseOwner!: string | null;
  @Column({ type: 'varchar', nullable: true }) leaseExpiresAt!: string | null;
  @Column({ type: 'integer', nullable: true }) lastStatusCode!: number | null;
  @Column({ type: 'varchar', nullable: true }) lastError!: string | null;
  @Column({ type: 'varchar' }) createdAt!: string;
  @Column({ type: 'varchar', nullable: true }) deliveredAt!: string | null;
  @Column({ type: 'text', nullable: true }) payload!: string | null;
  /** For a per_guest endpoint: the guest (or table) id whose deliveries go out one at a time; null: no constraint. */
  @Column({ type: 'varchar', nullable: true }) orderingKey!: string | null;
  /** The event's `seq`: the delivery's place in its key's order (null without a key). */
  @Column({ type: 'integer', nullable: true }) orderingSeq!: number | null;
}

/**
 * A delivery as plain data (the row's fields, not an instance of the entity class): what the
 * policy decides about and the lifecycle passes around.
 */
export type Delivery = { [K in keyof DeliveryEntity]: DeliveryEntity[K] };

/** A new outbox row: due now, never attempted. `payload` only for events outside the events table. */
export function pendingDelivery(fields: {
  id: string;
  eventId: string;
  endpointId: string;
  eventType: string;
  now: string;
  payload?: string;
}): Delivery {
  return {
    id: fields.id,
    eventId: fields.eventId,
    endpointId: fields.endpointId,
    eventType: fields.eventType,
    status: 'pending',
    attemptCount: 0,
    retryStep: 0,
    nextAttemptAt: fields.now,
    leaseOwner: null,
    leaseExpiresAt: null,
    lastStatusCode: null,
    lastError: null,
    createdAt: fields.now,
    deliveredAt: null,
    payload: fields.payload ?? null,
    orderingKey: null,
    orderingSeq: null,
  };
}

@Entity({ name: 'webhook_attempts' })
export class AttemptEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar' }) deliveryId!: string;
  @Column({ type: 'varchar' }) endpointId!: string;
  @Column({ type: 'varchar' }) at!: string;
  @Column({ type: 'integer', nullable: true }) statusCode!: number | null;
  @Column({ type: 'integer' }) durationMs!: number;
  @Column({ type: 'varchar', nullable: true }) error!: string | null;
  @Column({ type: 'text', nullable: true }) responseBody!: string | null;
}
