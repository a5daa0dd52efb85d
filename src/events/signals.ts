import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { CompletedAttempt } from '../webhooks/delivery-policy';
import type { DeliveryView } from '../webhooks/delivery-view';
import type { RetentionBatch } from '../retention/retention-batch';
import type { DomainEventType, RecordedEvent } from './domain-events';

/** After commit, for every recorded event whatever its type (each is also emitted under its own type). */
export const ANY_DOMAIN_EVENT = 'domain.event';
/** A change to the floor that is no domain event (a new table): live views refresh. */
export const FLOOR_CHANGED = 'floor.changed';
/** An endpoint was created, changed, disabled or removed: the dispatcher refreshes its view. */
export const ENDPOINTS_CHANGED = 'webhooks.endpoints_changed';
/** Deliveries were created or re-queued and have committed: the dispatcher wakes up. */
export const DELIVERIES_DUE = 'webhooks.deliveries_due';
/** After each recorded attempt, with the delivery as it now stands (without attempts): /staff gets it. */
export const DELIVERY_ATTEMPTED = 'webhook.delivery_attempted';
/** A batch of finished attempts as the dispatcher recorded it (each once): metrics count them. */
export const ATTEMPTS_RECORDED = 'webhooks.attempts_recorded';
/** A retention batch has committed (its stage, rows and how long it held the write path): metrics observe it. */
export const RETENTION_BATCH = 'retention.batch';

/**
 * Every in-process signal and its payload, the one map all emitting and listening goes through
 * (`SignalBus.emit`, `@OnSignal`): the domain events under their own types, and the notices above.
 * Signals never cross instances; what other instances must learn travels by NOTIFY.
 */
export type Signals = { [K in DomainEventType]: RecordedEvent<K> } & {
  [ANY_DOMAIN_EVENT]: RecordedEvent;
  [FLOOR_CHANGED]: undefined;
  [ENDPOINTS_CHANGED]: undefined;
  [DELIVERIES_DUE]: undefined;
  [DELIVERY_ATTEMPTED]: DeliveryView;
  [ATTEMPTS_RECORDED]: readonly CompletedAttempt[];
  [RETENTION_BATCH]: RetentionBatch;
};

export type SignalName = keyof Signals;

/** The signals that carry nothing: a notice that something changed. */
export type Notice = { [K in SignalName]: Signals[K] extends undefined ? K : never }[SignalName];

/** EventEmitter2, typed by `Signals`. */
@Injectable()
export class SignalBus {
  constructor(private readonly emitter: EventEmitter2) {}

  emit<K extends SignalName>(name: K, payload: Signals[K]): void {
    this.emitter.emit(name, payload);
  }
}

/** `@OnEvent` for one signal, checking that the handler takes that signal's payload (or nothing). */
export function OnSignal<K extends SignalName>(name: K) {
  return <Handler extends (payload: Signals[K]) => unknown>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<Handler>,
  ): void => {
    OnEvent(name)(target, key, descriptor);
  };
}
