interface GuestLike {
  name?: unknown;
  partySize?: unknown;
}
interface TableLike {
  label?: unknown;
  status?: unknown;
}

function str(value: unknown, fallback = '?'): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

function guestOf(data: Record<string, unknown>): GuestLike {
  return typeof data.guest === 'object' && data.guest !== null ? data.guest : {};
}

function tableOf(data: Record<string, unknown>): TableLike {
  return typeof data.table === 'object' && data.table !== null ? data.table : {};
}

/**
 * One line a host understands, for the live event stream. It reads fields defensively rather than
 * through the DomainEvent union: a newer server may send types and fields this build does not know.
 */
export function describeEvent(event: { type: string; data?: unknown }): string {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>;
  const guest = guestOf(data);
  const name = str(guest.name, 'A guest');
  switch (event.type) {
    case 'guest.checked_in':
      return `${name} checked in, party of ${str(guest.partySize)}`;
    case 'guest.updated': {
      const changes = typeof data.changes === 'object' && data.changes !== null ? Object.keys(data.changes) : [];
      return `${name} updated ${changes.length > 0 ? changes.join(', ') : 'their details'}`;
    }
    case 'guest.seated':
      return `${name} seated at ${str(tableOf(data).label)}`;
    case 'guest.notified': {
      const table = typeof data.table === 'object' && data.table !== null ? ` (holding ${str(tableOf(data).label)})` : '';
      return `${name} paged: table ready${table}`;
    }
    case 'guest.confirmed':
      return `${name} is on their way`;
    case 'guest.erased':
      return `A guest's details were erased (${str(data.guestId)})`;
    case 'guest.left':
      return `${name} left (${str(data.reason, 'no reason')})`;
    case 'table.status_changed':
      return `Table ${str(tableOf(data).label)}: ${str(data.previousStatus)} → ${str(tableOf(data).status)}`;
    case 'offer.created': {
      const offer = (typeof data.offer === 'object' && data.offer !== null ? data.offer : {}) as { title?: unknown };
      return `Offer for ${name}: ${str(offer.title, 'untitled')}`;
    }
    case 'payment.received': {
      const payment = (typeof data.payment === 'object' && data.payment !== null ? data.payment : {}) as {
        amount?: unknown;
        currency?: unknown;
      };
      const amount = typeof payment.amount === 'number' ? (payment.amount / 100).toFixed(2) : '?';
      return `${name} paid ${amount} ${str(payment.currency, '')}`.trim();
    }
    default:
      return event.type;
  }
}

/** The colour family of an event type in the stream. */
export function eventTone(type: string): 'info' | 'good' | 'warn' | 'muted' {
  if (type === 'guest.seated' || type === 'payment.received' || type === 'offer.created') return 'good';
  if (type === 'guest.left') return 'warn';
  if (type.startsWith('table.')) return 'muted';
  return 'info';
}
