import type { TableStatus } from './table.entity';

/**
 * Why a table changes status: seating a guest, a seated guest leaving, staff setting it, or a
 * paged guest's hold (`hold` reserves it for them, `seat-held` seats them there, `release` frees it).
 */
export type TableTransitionCause = 'seat' | 'leave' | 'staff' | 'hold' | 'seat-held' | 'release';

const ALLOWED: Record<TableTransitionCause, Partial<Record<TableStatus, TableStatus[]>>> = {
  seat: { free: ['occupied'] },
  leave: { occupied: ['cleaning'] },
  staff: { free: ['reserved'], reserved: ['free'], cleaning: ['free'] },
  hold: { free: ['reserved'] },
  'seat-held': { reserved: ['occupied'] },
  release: { reserved: ['free'] },
};

/**
 * The table state machine: free → occupied (seat) → cleaning (guest finished) → free, and
 * free ↔ reserved. Returns null when the transition is legal, or the reason it is not.
 */
export function explainIllegalTransition(from: TableStatus, to: TableStatus, cause: TableTransitionCause): string | null {
  if (ALLOWED[cause][from]?.includes(to)) return null;
  if (cause === 'hold') return `the table is ${from}; only a free table can be held`;
  if (cause === 'seat-held' || cause === 'release') return `the table is ${from}, not held`;
  if (cause === 'seat') {
    return `the table is ${from}; only a free table can be seated`;
  }
  if (cause === 'leave') {
    return `the table is ${from}; only an occupied table can be vacated`;
  }
  if (from === 'occupied') {
    return 'the table is occupied; it becomes cleaning when its guest leaves';
  }
  if (from === to) return `the table is already ${from}`;
  if (to === 'cleaning') return `the table is ${from}; only a table whose guest has left needs cleaning`;
  if (from === 'cleaning' && to === 'reserved') return 'the table is being cleaned; mark it free before reserving it';
  return `a ${from} table cannot become ${to}`;
}
