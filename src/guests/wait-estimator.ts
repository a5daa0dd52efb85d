/**
 * The wait estimator: pure, so it can be unit-tested and replaced by a better one.
 *
 * For a waiting party, its capacity class is the smallest table size that seats it (the
 * largest size when none does). Its quoted wait is
 *
 *     ceil(parties ahead in the same class × turn time of that class / tables of that class)
 *
 * where the turn time is the mean seated duration of the class's recent finished parties,
 * or the configured default until there is history. A new party's estimate for a class
 * (the lobby board) counts every waiting party of that class as ahead.
 */
export interface FloorClass {
  capacity: number;
  tables: number;
  /** Recent seated durations at tables of this capacity, in minutes, newest first. */
  recentTurnMinutes: number[];
}

export interface WaitingParty {
  id: string;
  partySize: number;
}

export interface EstimatorSettings {
  defaultTurnMinutes: number;
  /** How many recent seatings make the mean. */
  turnSampleSize: number;
}

export interface WaitEstimator {
  /** Quoted wait in minutes per waiting party id (in the given order, which is check-in order). */
  quote(waitlist: WaitingParty[], floor: FloorClass[]): Map<string, number | null>;
  /** Estimated wait for a party of each capacity class that checked in now. */
  estimateByClass(waitlist: WaitingParty[], floor: FloorClass[]): Map<number, number>;
}

export function capacityClassFor(partySize: number, capacities: number[]): number | null {
  if (capacities.length === 0) return null;
  const sorted = [...capacities].sort((a, b) => a - b);
  return sorted.find((capacity) => capacity >= partySize) ?? sorted[sorted.length - 1];
}

export function turnMinutes(recent: number[], settings: EstimatorSettings): number {
  const sample = recent.filter((minutes) => Number.isFinite(minutes) && minutes >= 0).slice(0, settings.turnSampleSize);
  if (sample.length === 0) return settings.defaultTurnMinutes;
  return sample.reduce((sum, minutes) => sum + minutes, 0) / sample.length;
}

export function waitMinutes(partiesAhead: number, turn: number, tables: number): number {
  if (partiesAhead <= 0 || tables <= 0) return 0;
  return Math.ceil((partiesAhead * turn) / tables);
}

export class TurnTimeEstimator implements WaitEstimator {
  constructor(private readonly settings: EstimatorSettings) {}

  quote(waitlist: WaitingParty[], floor: FloorClass[]): Map<string, number | null> {
    const classes = this.classes(floor);
    const capacities = [...classes.keys()];
    const aheadByClass = new Map<number, number>();
    const quotes = new Map<string, number | null>();
    for (const party of waitlist) {
      const capacity = capacityClassFor(party.partySize, capacities);
      if (capacity === null) {
        quotes.set(party.id, null);
        continue;
      }
      const ahead = aheadByClass.get(capacity) ?? 0;
      const info = classes.get(capacity)!;
      quotes.set(party.id, waitMinutes(ahead, info.turn, info.tables));
      aheadByClass.set(capacity, ahead + 1);
    }
    return quotes;
  }

  estimateByClass(waitlist: WaitingParty[], floor: FloorClass[]): Map<number, number> {
    const classes = this.classes(floor);
    const capacities = [...classes.keys()];
    const waitingByClass = new Map<number, number>();
    for (const party of waitlist) {
      const capacity = capacityClassFor(party.partySize, capacities);
      if (capacity !== null) waitingByClass.set(capacity, (waitingByClass.get(capacity) ?? 0) + 1);
    }
    const estimates = new Map<number, number>();
    for (const [capacity, info] of classes) {
      estimates.set(capacity, waitMinutes(waitingByClass.get(capacity) ?? 0, info.turn, info.tables));
    }
    return estimates;
  }

  private classes(floor: FloorClass[]): Map<number, { tables: number; turn: number }> {
    const classes = new Map<number, { tables: number; turn: number }>();
    for (const entry of [...floor].sort((a, b) => a.capacity - b.capacity)) {
      if (entry.tables <= 0) continue;
      classes.set(entry.capacity, { tables: entry.tables, turn: turnMinutes(entry.recentTurnMinutes, this.settings) });
    }
    return classes;
  }
}
