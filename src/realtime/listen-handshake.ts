import { DomainEventType, isDomainEventType } from '../events/domain-events';

/** A handshake the server refuses; its message reaches the client's connect_error. */
export class HandshakeError extends Error {}

/** Reads `{ after?, events? }` from the handshake; `after` absent = live from now, null = from the first event. */
export function parseHandshake(auth: unknown): { after: string | null | undefined; types: Set<DomainEventType> | undefined } {
  const record = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>) : {};
  let after: string | null | undefined;
  if ('after' in record) {
    if (record.after !== null && (typeof record.after !== 'string' || !/^evt_[0-9A-Z]{26}$/.test(record.after))) {
      throw new HandshakeError('invalid after: must be an event id (evt_…) or null');
    }
    after = record.after;
  }
  let types: Set<DomainEventType> | undefined;
  if (record.events !== undefined) {
    if (!Array.isArray(record.events)) throw new HandshakeError('invalid events: must be a list of event types');
    const list: DomainEventType[] = [];
    for (const type of record.events as unknown[]) {
      if (typeof type !== 'string' || !isDomainEventType(type)) {
        throw new HandshakeError(`invalid events: unknown event type ${String(type)}`);
      }
      list.push(type);
    }
    if (list.length > 0) types = new Set(list);
  }
  return { after, types };
}
