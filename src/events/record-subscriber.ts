import { DiscoveryService } from '@nestjs/core';
import type { Tx } from '../database/unit-of-work';
import type { RecordedEvent } from './domain-events';

/** What is stored with an event besides the event itself. */
export interface RecordContext {
  /** The traceparent of the request that recorded it, or null outside one (see trace-scope.ts). */
  traceContext: string | null;
}

/** Work done inside the transaction of every recorded event, so it commits or rolls back with it. */
export interface RecordSubscriber {
  onRecorded(tx: Tx, event: RecordedEvent, context: RecordContext): Promise<void>;
}

/**
 * Marks a provider as a RecordSubscriber: EventsService runs every provider so marked, in any
 * module, inside each recording transaction. Search for `@SubscribesToRecords()` to find them
 * all (today the webhooks outbox, `FanoutService`).
 */
export const SubscribesToRecords = DiscoveryService.createDecorator<undefined>();
