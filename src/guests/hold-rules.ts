/**
 * The rules of paging a guest and holding their table, as pure decisions over plain values and
 * an instant (`nowMs`), so they are tested with a moved clock and the services only carry them out.
 */

export interface PageableGuest {
  status: 'waiting' | 'seated' | 'left';
  notifiedAt: string | null;
  holdUntil: string | null;
  confirmedAt: string | null;
}

export interface HoldableTable {
  label: string;
  capacity: number;
  status: 'free' | 'occupied' | 'reserved' | 'cleaning';
  guestId: string | null;
}

/** When a hold that starts now ends. */
export function holdEndsAt(nowMs: number, holdMs: number): string {
  return new Date(nowMs + holdMs).toISOString();
}

/** Why this guest cannot be paged now, or null. */
export function whyNotNotify(guest: PageableGuest): string | null {
  if (guest.status !== 'waiting') return `they are ${guest.status}, not waiting`;
  if (guest.notifiedAt !== null) return `they were already paged at ${guest.notifiedAt}`;
  return null;
}

/** Why this table cannot be held for a party of this size, or null. */
export function whyNotHold(table: HoldableTable, partySize: number): string | null {
  if (table.status !== 'free') return `table ${table.label} is ${table.status}; only a free table can be held`;
  if (table.capacity < partySize) return `table ${table.label} seats ${table.capacity}, the party is ${partySize}`;
  return null;
}

export type ConfirmDecision = { kind: 'confirm' } | { kind: 'already'; at: string } | { kind: 'refuse'; reason: string };

/** Confirming ("on my way"): only a waiting guest whose hold is still running; twice is a no-op. */
export function decideConfirm(guest: PageableGuest, nowMs: number): ConfirmDecision {
  if (guest.status !== 'waiting') return { kind: 'refuse', reason: `they are ${guest.status}, not waiting` };
  if (guest.notifiedAt === null || guest.holdUntil === null) return { kind: 'refuse', reason: 'they have not been paged' };
  if (Date.parse(guest.holdUntil) <= nowMs) return { kind: 'refuse', reason: `their hold ended at ${guest.holdUntil}` };
  if (guest.confirmedAt !== null) return { kind: 'already', at: guest.confirmedAt };
  return { kind: 'confirm' };
}

/** The hold has ended and the guest is neither seated nor gone: they are a no-show. */
export function isNoShow(guest: PageableGuest, nowMs: number): boolean {
  return guest.status === 'waiting' && guest.holdUntil !== null && Date.parse(guest.holdUntil) <= nowMs;
}

/**
 * Seating `guestId` at `table`: a table reserved for another guest refuses (the reason); one held
 * for this guest may be seated; anything else is the table state machine's call (null here).
 */
export function whyNotSeatAtHeld(table: HoldableTable, guestId: string): string | null {
  if (table.status === 'reserved' && table.guestId !== null && table.guestId !== guestId) {
    return `table ${table.label} is held for another guest`;
  }
  return null;
}

/** Whether seating `guestId` here takes the hold: the table is reserved for exactly this guest. */
export function isHeldFor(table: HoldableTable, guestId: string): boolean {
  return table.status === 'reserved' && table.guestId === guestId;
}
