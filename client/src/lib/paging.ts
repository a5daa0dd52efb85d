import type { Guest } from './types';

type Pageable = Pick<Guest, 'status' | 'notifiedAt' | 'holdUntil'>;

/** A waiting guest staff have paged ("your table is ready"). */
export function isPaged(guest: Pageable): guest is Pageable & { notifiedAt: string; holdUntil: string } {
  return guest.status === 'waiting' && guest.notifiedAt !== null && guest.holdUntil !== null;
}

/** The time left until `until` as m:ss, or null once it has passed. */
export function countdown(until: string | null, now: number): string | null {
  if (until === null) return null;
  const ms = Date.parse(until) - now;
  if (!Number.isFinite(ms) || ms <= 0) return null;
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
