import type { Availability, Table } from './types';

/**
 * The table-fit rule, as the server applies it when seating: a party can sit at a free table
 * with at least as many seats. Best fit first (fewest spare seats, then label order), so the
 * obvious choice is on top and large tables stay free for large parties.
 */
export function fittingTables(tables: readonly Table[], partySize: number): Table[] {
  return tables
    .filter((table) => table.status === 'free' && table.capacity >= partySize)
    .sort((a, b) => a.capacity - b.capacity || a.label.localeCompare(b.label, undefined, { numeric: true }));
}

/** The smallest table size that seats the party (the largest size when none does), as the estimator classes parties. */
export function capacityClassFor(partySize: number, capacities: readonly number[]): number | null {
  if (capacities.length === 0) return null;
  const sorted = [...capacities].sort((a, b) => a - b);
  return sorted.find((capacity) => capacity >= partySize) ?? sorted[sorted.length - 1] ?? null;
}

export interface PartyEstimate {
  capacity: number;
  free: number;
  estimatedWaitMinutes: number;
  /** No table is large enough: the party waits for the largest size. */
  oversized: boolean;
}

/** What the lobby board would tell a party of this size checking in now. */
export function estimateFor(availability: Availability, partySize: number): PartyEstimate | null {
  const capacities = Object.keys(availability.byCapacity).map(Number).filter(Number.isFinite);
  const capacity = capacityClassFor(partySize, capacities);
  if (capacity === null) return null;
  const entry = availability.byCapacity[String(capacity)];
  if (!entry) return null;
  // A bigger free table also seats the party, even when its own size is all taken.
  const free = availability.tables.filter((t) => t.status === 'free' && t.capacity >= partySize).length;
  return {
    capacity,
    free,
    estimatedWaitMinutes: entry.estimatedWaitMinutes,
    oversized: capacity < partySize,
  };
}

export interface CapacityRow {
  capacity: number;
  total: number;
  free: number;
  estimatedWaitMinutes: number;
}

/** The board's rows, smallest tables first. */
export function capacityRows(availability: Availability): CapacityRow[] {
  return Object.entries(availability.byCapacity)
    .map(([capacity, entry]) => ({ capacity: Number(capacity), ...entry }))
    .filter((row) => Number.isFinite(row.capacity))
    .sort((a, b) => a.capacity - b.capacity);
}

export function sortTables(tables: readonly Table[]): Table[] {
  return [...tables].sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }) || a.capacity - b.capacity);
}
