/**
 * Wait estimators: pure, so they can be unit-tested, run by the service simulator
 * (tools/simulator) exactly as the server runs them, and replaced by a better one.
 *
 * Two are selectable with WAIT_ESTIMATOR:
 *
 * - `simple` (the first one): for a waiting party, its capacity class is the smallest table size
 *   that seats it (the largest size when none does), and its quoted wait is
 *
 *       ceil(parties ahead in the same class × turn time of that class / tables of that class)
 *
 *   where the turn time is the mean seated duration of the class's recent finished parties, or
 *   the configured default until there is history.
 *
 * - `forward` (the default, chosen by the simulator's numbers, see docs/quotes.md): plays the line
 *   forward the way a host works it. Each table becomes free at its expected time (a free table now;
 *   an occupied one after the expected rest of its party's meal, given how long they have sat, plus
 *   cleaning), and each time one does, the first waiting party that fits it sits down there. A
 *   party's quote is the time it sits down in that play. The same play with short and with long
 *   meals gives the range.
 *
 * A new party's estimate for a class (the lobby board) counts every waiting party as ahead of it.
 */

export const TABLE_STATES = ['free', 'occupied', 'reserved', 'cleaning'] as const;
export type TableState = (typeof TABLE_STATES)[number];

export interface TableNow {
  status: TableState;
  /** Minutes since the table entered this status; for an occupied table, since the party sat down. */
  minutesInStatus: number;
}

export interface FloorClass {
  capacity: number;
  tables: number;
  /** Recent seated durations at tables of this capacity, in minutes, newest first. */
  recentTurnMinutes: number[];
  /** Each table of this class as it is now; without it every table counts as free. */
  states?: TableNow[];
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

/** A quote: the minutes said to the guest and the range the wait will most likely fall in. */
export interface Quote {
  minutes: number;
  low: number;
  high: number;
}

export interface WaitEstimator {
  readonly name: WaitEstimatorName;
  /** Quote per waiting party id (in the given order, which is check-in order); null when no table exists. */
  quote(waitlist: WaitingParty[], floor: FloorClass[]): Map<string, Quote | null>;
  /** Estimated wait for a party of each capacity class that checked in now. */
  estimateByClass(waitlist: WaitingParty[], floor: FloorClass[]): Map<number, Quote>;
}

export const WAIT_ESTIMATOR_NAMES = ['simple', 'forward'] as const;
export type WaitEstimatorName = (typeof WAIT_ESTIMATOR_NAMES)[number];
export const DEFAULT_WAIT_ESTIMATOR: WaitEstimatorName = 'forward';

export function createWaitEstimator(name: WaitEstimatorName, settings: EstimatorSettings): WaitEstimator {
  return name === 'simple' ? new TurnTimeEstimator(settings) : new ForwardEstimator({ ...FORWARD_DEFAULTS, ...settings });
}

export function capacityClassFor(partySize: number, capacities: number[]): number | null {
  if (capacities.length === 0) return null;
  const sorted = [...capacities].sort((a, b) => a - b);
  return sorted.find((capacity) => capacity >= partySize) ?? sorted[sorted.length - 1];
}

function validSamples(recent: number[], settings: EstimatorSettings): number[] {
  return recent.filter((minutes) => Number.isFinite(minutes) && minutes >= 0).slice(0, settings.turnSampleSize);
}

export function turnMinutes(recent: number[], settings: EstimatorSettings): number {
  const sample = validSamples(recent, settings);
  if (sample.length === 0) return settings.defaultTurnMinutes;
  return mean(sample);
}

export function waitMinutes(partiesAhead: number, turn: number, tables: number): number {
  if (partiesAhead <= 0 || tables <= 0) return 0;
  return Math.ceil((partiesAhead * turn) / tables);
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Linear-interpolated quantile of sorted values (q in 0–1). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

const point = (minutes: number): Quote => ({ minutes, low: minutes, high: minutes });

/** The first estimator: parties ahead in the class × turn time / tables of the class. Its range is its point. */
export class TurnTimeEstimator implements WaitEstimator {
  readonly name = 'simple' as const;

  constructor(private readonly settings: EstimatorSettings) {}

  quote(waitlist: WaitingParty[], floor: FloorClass[]): Map<string, Quote | null> {
    const classes = this.classes(floor);
    const capacities = [...classes.keys()];
    const aheadByClass = new Map<number, number>();
    const quotes = new Map<string, Quote | null>();
    for (const party of waitlist) {
      const capacity = capacityClassFor(party.partySize, capacities);
      if (capacity === null) {
        quotes.set(party.id, null);
        continue;
      }
      const ahead = aheadByClass.get(capacity) ?? 0;
      const info = classes.get(capacity)!;
      quotes.set(party.id, point(waitMinutes(ahead, info.turn, info.tables)));
      aheadByClass.set(capacity, ahead + 1);
    }
    return quotes;
  }

  estimateByClass(waitlist: WaitingParty[], floor: FloorClass[]): Map<number, Quote> {
    const classes = this.classes(floor);
    const capacities = [...classes.keys()];
    const waitingByClass = new Map<number, number>();
    for (const party of waitlist) {
      const capacity = capacityClassFor(party.partySize, capacities);
      if (capacity !== null) waitingByClass.set(capacity, (waitingByClass.get(capacity) ?? 0) + 1);
    }
    const estimates = new Map<number, Quote>();
    for (const [capacity, info] of classes) {
      estimates.set(capacity, point(waitMinutes(waitingByClass.get(capacity) ?? 0, info.turn, info.tables)));
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

export interface ForwardSettings extends EstimatorSettings {
  /** Minutes a table is assumed to take between parties (cleaning, resetting). */
  cleaningMinutes: number;
  /** A class's own history is used once it has this many seatings; until then the whole floor's, then the default. */
  minHistory: number;
  /** Quantiles of the meal lengths for the short and the long play (the range). */
  lowQuantile: number;
  highQuantile: number;
  /** Without history, the short and long meal as multiples of the default turn. */
  lowFactor: number;
  highFactor: number;
  /** A table already past every remembered meal is expected to free up after this share of the mean turn. */
  overrunShare: number;
}

export const FORWARD_DEFAULTS: Omit<ForwardSettings, keyof EstimatorSettings> = {
  cleaningMinutes: 5,
  minHistory: 5,
  lowQuantile: 0.15,
  highQuantile: 0.85,
  lowFactor: 0.65,
  highFactor: 1.45,
  overrunShare: 0.15,
};

type Play = 'low' | 'mid' | 'high';
const PLAYS: Play[] = ['low', 'mid', 'high'];

/** Meal lengths at tables of one size, as the estimator believes them. */
interface TurnModel {
  /** Sorted samples, or empty when the default is used. */
  samples: number[];
  mean: number;
  /** Full meal length for a party seated in the play. */
  full: Record<Play, number>;
}

/** Plays the line forward table by table; see the module comment. */
export class ForwardEstimator implements WaitEstimator {
  readonly name = 'forward' as const;

  constructor(private readonly settings: ForwardSettings) {}

  quote(waitlist: WaitingParty[], floor: FloorClass[]): Map<string, Quote | null> {
    const quotes = new Map<string, Quote | null>();
    const plays = this.playAll(
      waitlist.map((party) => party.partySize),
      floor,
    );
    waitlist.forEach((party, index) => quotes.set(party.id, plays === null ? null : plays[index]));
    return quotes;
  }

  estimateByClass(waitlist: WaitingParty[], floor: FloorClass[]): Map<number, Quote> {
    const estimates = new Map<number, Quote>();
    const sizes = waitlist.map((party) => party.partySize);
    for (const entry of floor) {
      if (entry.tables <= 0 || estimates.has(entry.capacity)) continue;
      const plays = this.playAll([...sizes, entry.capacity], floor);
      estimates.set(entry.capacity, plays?.[sizes.length] ?? point(0));
    }
    return estimates;
  }

  /** Quotes for parties of these sizes in line order, or null when there are no tables. */
  private playAll(sizes: number[], floor: FloorClass[]): Quote[] | null {
    const classes = floor.filter((entry) => entry.tables > 0);
    if (classes.length === 0) return null;
    const models = this.turnModels(classes);
    const waits = PLAYS.map((play) => playForward(sizes, this.tablesFor(classes, models, play), (capacity) => models.get(capacity)!.full[play] + this.settings.cleaningMinutes));
    return sizes.map((_, index) => {
      const minutes = Math.ceil(waits[1][index]);
      return {
        minutes,
        low: Math.min(minutes, Math.floor(waits[0][index])),
        high: Math.max(minutes, Math.ceil(waits[2][index])),
      };
    });
  }

  private turnModels(classes: FloorClass[]): Map<number, TurnModel> {
    const { settings } = this;
    const own = new Map(classes.map((entry) => [entry.capacity, validSamples(entry.recentTurnMinutes, settings)]));
    const pooled = [...own.values()].flat().sort((a, b) => a - b);
    const models = new Map<number, TurnModel>();
    for (const entry of classes) {
      const mine = own.get(entry.capacity)!;
      const samples =
        mine.length >= settings.minHistory ? [...mine].sort((a, b) => a - b) : pooled.length >= settings.minHistory ? pooled : [];
      if (samples.length === 0) {
        const turn = settings.defaultTurnMinutes;
        models.set(entry.capacity, { samples, mean: turn, full: { low: turn * settings.lowFactor, mid: turn, high: turn * settings.highFactor } });
        continue;
      }
      models.set(entry.capacity, {
        samples,
        mean: mean(samples),
        full: { low: quantile(samples, settings.lowQuantile), mid: mean(samples), high: quantile(samples, settings.highQuantile) },
      });
    }
    return models;
  }

  /** Each table's capacity and when it is expected to be free, in minutes from now, for one play. */
  private tablesFor(classes: FloorClass[], models: Map<number, TurnModel>, play: Play): Array<{ capacity: number; readyAt: number }> {
    const { cleaningMinutes } = this.settings;
    const tables: Array<{ capacity: number; readyAt: number }> = [];
    for (const entry of classes) {
      const model = models.get(entry.capacity)!;
      const states: TableNow[] = entry.states ?? Array.from({ length: entry.tables }, () => ({ status: 'free' as const, minutesInStatus: 0 }));
      for (const state of states) {
        const since = Math.max(0, state.minutesInStatus);
        let readyAt = 0;
        if (state.status === 'occupied') readyAt = this.restOfMeal(model, since, play) + cleaningMinutes;
        // A reserved table is held for someone; assume it turns over like a cleaning one.
        else if (state.status === 'cleaning' || state.status === 'reserved') readyAt = Math.max(0, cleaningMinutes - since);
        tables.push({ capacity: entry.capacity, readyAt });
      }
    }
    return tables;
  }

  /** Expected minutes left of a meal that has lasted `since` so far (mean residual life). */
  restOfMeal(model: TurnModel, since: number, play: Play): number {
    const floorMinutes = model.mean * this.settings.overrunShare;
    if (model.samples.length > 0) {
      const longer = model.samples.filter((minutes) => minutes > since).map((minutes) => minutes - since);
      if (longer.length >= 2) {
        const rest = play === 'mid' ? mean(longer) : quantile(longer, play === 'low' ? this.settings.lowQuantile : this.settings.highQuantile);
        return Math.max(rest, play === 'low' ? 0 : floorMinutes / 2);
      }
      return play === 'low' ? 0 : play === 'mid' ? floorMinutes : floorMinutes * 2;
    }
    return Math.max(model.full[play] - since, play === 'low' ? 0 : play === 'mid' ? floorMinutes : floorMinutes * 2);
  }
}

/**
 * The host's rule played forward: whenever a table becomes free (earliest first; smaller first on a
 * tie), the first party in line that fits it sits there, and the table is next free after
 * `turnAndClean(capacity)` more minutes. A party larger than every table counts as fitting the
 * largest (tables pushed together). Returns each party's minutes until seated.
 */
export function playForward(
  sizes: number[],
  tables: Array<{ capacity: number; readyAt: number }>,
  turnAndClean: (capacity: number) => number,
): number[] {
  const waits = new Array<number>(sizes.length).fill(Number.POSITIVE_INFINITY);
  if (tables.length === 0 || sizes.length === 0) return waits;
  const largest = Math.max(...tables.map((table) => table.capacity));
  // The line split by (clipped) party size, each in line order: the first party that fits a table
  // is the earliest head among the sizes it seats.
  const bySize = new Map<number, number[]>();
  sizes.forEach((size, index) => {
    const clipped = Math.min(Math.max(1, size), largest);
    const queue = bySize.get(clipped) ?? [];
    queue.push(index);
    bySize.set(clipped, queue);
  });
  const heads = new Map<number, number>([...bySize.keys()].map((size) => [size, 0]));
  const heap = new TableHeap(tables.map((table) => ({ ...table })));
  let seated = 0;
  while (seated < sizes.length) {
    const table = heap.pop();
    if (!table) break;
    let best: { size: number; index: number } | undefined;
    for (const [size, queue] of bySize) {
      if (size > table.capacity) continue;
      const head = heads.get(size)!;
      if (head < queue.length && (best === undefined || queue[head] < best.index)) best = { size, index: queue[head] };
    }
    // Nobody left in line fits this table: it stays free for later arrivals.
    if (!best) continue;
    heads.set(best.size, heads.get(best.size)! + 1);
    waits[best.index] = table.readyAt;
    seated += 1;
    heap.push({ capacity: table.capacity, readyAt: table.readyAt + turnAndClean(table.capacity) });
  }
  return waits;
}

/** A small binary min-heap of tables by (readyAt, capacity). */
class TableHeap {
  private readonly items: Array<{ capacity: number; readyAt: number }> = [];

  constructor(initial: Array<{ capacity: number; readyAt: number }>) {
    for (const item of initial) this.push(item);
  }

  push(item: { capacity: number; readyAt: number }): void {
    const items = this.items;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(items[index], items[parent])) break;
      [items[index], items[parent]] = [items[parent], items[index]];
      index = parent;
    }
  }

  pop(): { capacity: number; readyAt: number } | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < items.length && this.before(items[left], items[smallest])) smallest = left;
        if (right < items.length && this.before(items[right], items[smallest])) smallest = right;
        if (smallest === index) break;
        [items[index], items[smallest]] = [items[smallest], items[index]];
        index = smallest;
      }
    }
    return top;
  }

  private before(a: { capacity: number; readyAt: number }, b: { capacity: number; readyAt: number }): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.capacity < b.capacity);
  }
}
