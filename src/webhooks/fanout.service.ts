import { Injectable } from '@nestjs/common';
import { Tx } from '../database/unit-of-work';
import { RecordedEvent } from '../events/domain-events';
import { RecordContext, RecordSubscriber, SubscribesToRecords } from '../events/record-subscriber';
import { DeliveryLifecycle } from './delivery-transitions';
import { DispatcherService } from './dispatcher.service';

/**
 * The transactional outbox: for every recorded event, one delivery row per matching enabled
 * endpoint is written in the same transaction as the event, so a crash can lose neither. The rows
 * this instance's dispatcher has room for are leased to it in the same statement and handed to it
 * once the transaction commits: the webhooks of a check-in leave without waiting for a claim.
 */
@Injectable()
@SubscribesToRecords()
export class FanoutService implements RecordSubscriber {
  constructor(
    private readonly lifecycle: DeliveryLifecycle,
    private readonly dispatcher: DispatcherService,
  ) {}

  async onRecorded(tx: Tx, event: RecordedEvent, context: RecordContext): Promise<void> {
    const handOff = { workerId: this.dispatcher.workerId, endpointIds: this.dispatcher.handOffEndpoints() };
    const handedOff = await this.lifecycle.insertForEvent(tx, event, context.traceContext, handOff);
    if (handedOff.length > 0) {
      tx.afterCommit(() => {
        this.dispatcher.takeHandOff(handedOff);
      });
    }
  }
}
