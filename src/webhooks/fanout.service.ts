import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { Tx } from '../database/unit-of-work';
import { RecordedEvent } from '../events/domain-events';
import { EventsService } from '../events/events.service';
import { DeliveryEntity, pendingDelivery } from './delivery.entity';
import { EndpointEntity } from './endpoint.entity';

/** Called after a transaction that created deliveries commits (the dispatcher wakes up). */
export type WakeUp = () => void;

/** NOTIFY channel on PostgreSQL: delivered at commit to every instance's dispatcher. */
export const DELIVERIES_CHANNEL = 'maitred_deliveries';

/**
 * The transactional outbox: for every recorded event, one delivery row per matching enabled
 * endpoint is written in the same transaction as the event, so a crash can lose neither.
 */
@Injectable()
export class FanoutService implements OnModuleInit {
  private wake: WakeUp = () => undefined;

  constructor(
    private readonly events: EventsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.addRecordHook(async (tx, event) => {
      await this.fanOut(tx, event);
    });
  }

  onDeliveriesCommitted(wake: WakeUp): void {
    this.wake = wake;
  }

  async fanOut(tx: Tx, event: RecordedEvent): Promise<number> {
    const endpoints = await tx.manager.find(EndpointEntity, {
      where: { enabled: true },
      select: { id: true, eventTypes: true },
    });
    const matching = endpoints.filter(
      (endpoint) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(event.type),
    );
    if (matching.length === 0) return 0;
    const now = this.clock.iso();
    const rows = matching.map((endpoint) =>
      pendingDelivery({ id: newId('dlv'), eventId: event.id, endpointId: endpoint.id, eventType: event.type, now }),
    );
    await tx.manager.insert(DeliveryEntity, rows);
    await this.deliveriesDue(tx);
    return rows.length;
  }

  /**
   * Wakes dispatchers once this transaction commits: this instance's directly, the others
   * through NOTIFY on PostgreSQL (sent by the database only if the transaction commits).
   */
  async deliveriesDue(tx: Tx): Promise<void> {
    if (this.config.isPostgres && !tx.heldLocks.has('deliveries-notified')) {
      tx.heldLocks.add('deliveries-notified');
      await tx.manager.query('SELECT pg_notify($1, $2)', [DELIVERIES_CHANNEL, '']);
    }
    tx.afterCommit(() => this.wake());
  }
}
