import {
  GuestCheckedIn,
  GuestConfirmed,
  GuestErased,
  GuestLeft,
  GuestNotified,
  GuestSeated,
  GuestUpdated,
  OfferCreated,
  PaymentReceived,
  TableStatusChanged,
} from './event-data';

/** The one typed map of domain events: type name → the class of its `data`. */
export interface DomainEvents {
  'guest.checked_in': GuestCheckedIn;
  'guest.updated': GuestUpdated;
  'guest.seated': GuestSeated;
  'guest.left': GuestLeft;
  'guest.notified': GuestNotified;
  'guest.confirmed': GuestConfirmed;
  'guest.erased': GuestErased;
  'table.status_changed': TableStatusChanged;
  'offer.created': OfferCreated;
  'payment.received': PaymentReceived;
}

export type DomainEventType = keyof DomainEvents;

export const DOMAIN_EVENT_CLASSES: { [K in DomainEventType]: new () => DomainEvents[K] } = {
  'guest.checked_in': GuestCheckedIn,
  'guest.updated': GuestUpdated,
  'guest.seated': GuestSeated,
  'guest.left': GuestLeft,
  'guest.notified': GuestNotified,
  'guest.confirmed': GuestConfirmed,
  'guest.erased': GuestErased,
  'table.status_changed': TableStatusChanged,
  'offer.created': OfferCreated,
  'payment.received': PaymentReceived,
};

export const DOMAIN_EVENT_DESCRIPTIONS: Record<DomainEventType, string> = {
  'guest.checked_in': 'A guest checked in and joined the waitlist.',
  'guest.updated': "A guest's details changed; `changes` lists each field's previous and new value.",
  'guest.seated': 'A waiting guest was seated at a table.',
  'guest.left': 'A guest left the waitlist or finished their meal.',
  'guest.notified': 'Staff paged a waiting guest ("your table is ready"); a held table is reserved for them until `holdUntil`.',
  'guest.confirmed': 'A paged guest said they are on their way.',
  'guest.erased':
    "A guest's personal data (name, email, phone, notes) was erased, from the guest and from every stored event: delete what you keep about them.",
  'table.status_changed': "A table's status changed (seat, leave of a seated guest, or staff update).",
  'offer.created': 'An offer was made to a guest.',
  'payment.received': "A payment gateway reported a guest's paid bill.",
};

export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENT_CLASSES) as DomainEventType[];

export function isDomainEventType(value: string): value is DomainEventType {
  return Object.prototype.hasOwnProperty.call(DOMAIN_EVENT_CLASSES, value);
}

/** One recorded event of type K. */
export interface RecordedEventOf<K extends DomainEventType> {
  id: string;
  type: K;
  timestamp: string;
  data: DomainEvents[K];
}

/**
 * A recorded event as the feed, webhooks and live streams carry it: a union discriminated by
 * `type`, so checking the type narrows `data`.
 */
export type RecordedEvent<K extends DomainEventType = DomainEventType> = { [T in K]: RecordedEventOf<T> }[K];

/** An event of one type as a member of the union: it is one for every K, which the compiler cannot see for a generic K. */
export function asRecordedEvent<K extends DomainEventType>(event: RecordedEventOf<K>): RecordedEvent {
  return event as unknown as RecordedEvent;
}
