import { Injectable } from '@nestjs/common';
import { Tx } from '../database/unit-of-work';
import { RecordedEvent } from '../events/domain-events';
import { RecordSubscriber, SubscribesToRecords } from '../events/record-subscriber';
import { DeliveryLifecycle } from './delivery-transitions';

/**
 * The transactional outbox: for every recorded event, one delivery row per matching enabled
 * endpoint is written in the same transaction as the event, so a crash can lose neither.
 */
@Injectable()
@SubscribesToRecords()
export class FanoutService implements RecordSubscriber {
  constructor(private readonly lifecycle: DeliveryLifecycle) {}

  async onRecorded(tx: Tx, event: RecordedEvent): Promise<void> {
    await this.lifecycle.insertForEvent(tx, event);
  }
}
