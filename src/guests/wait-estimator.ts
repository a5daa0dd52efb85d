/**
 * Wait estimators: pure, so they can be unit-tested, run by the service simulator
 * (tools/simulator) exactly as the server runs them, and replaced by a better one.
 *
 * Three are selectable with WAIT_ESTIMATOR:
 *
 * - `simple` (the first one): for a waiting party, its capacity class is the smallest table size
 *   that seats it (the largest size when none does), and its quoted wait is
 *
 *       ceil(parties ahead in the same class × turn time of that class / tables of that class)
 *
 *   where the turn time is the mean seated duration of the class's recent finished parties, or
 *   the configured default until there is history.
 *
 * - `forward`: plays the line forward the way a host works it. Each table becomes free at its expected time (a free table now;
 *   an occupied one after the expected rest of its party's meal, given how long they have sat, plus
 *   cleaning), and each time one does, the first waiting party that fits it sits down there. A
 *   party's quote is the time it sits down in that play. The same play with short and with long
 *   meals gives the range.
 *
 * - `sampled` (the default, chosen by the simulator's numbers, see docs/quotes.md): the same play
 *   run 64 times with meal lengths drawn from the history; the quote is the median seating time,
 *   the range its 10th to 90th percentile.
 *
 * A new party's estimate for a class (the lobby board) counts every waiting party as ahead of it.
 */

export const TABLE_STATES = ['free', 'occupied', 'reserved', 'cleaning'] as const;
export type TableState = (typeof TABLE_STATES)[number];

export interface TableNow {
  status: TableState;
  /** Minutes since the table entered this status; for an occupied table, since the party sat down. */
  minutesInStatus: number;
  /** For an occupied table: the size of the party at it (a couple at an 8-seat table eats like a couple). */
  partySize?: number;
}

export interface FloorClass {
  capacity: number;
  tables: number;
  /** Recent seated durations at tables of this capacity, in minutes, newest first. */
  recentTurnMinutes: number[];
  /**
   * Recent seated durations of parties whose class this is (the smallest table size that seats
   * them), wherever they sat, newest first. The forward estimator prefers it to `recentTurnMinutes`.
   */
  recentPartyMinutes?: number[];
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
  /** The quote of the last party in the line only (a guest's own place, with those ahead of it). */
  quoteLast(waitlist: WaitingParty[], floor: FloorClass[]): Quote | null;
  /** Estimated wait for a party of each capacity class that checked in now. */
  estimateByClass(waitlist: WaitingParty[], floor: FloorClass[]): Map<number, Quote>;
}

export const WAIT_ESTIMATOR_NAMES = ['simple', 'forward', 'sampled'] as const;
export type WaitEstimatorName = (typeof WAIT_ESTIMATOR_NAMES)[number];
export const DEFAULT_WAIT_ESTIMATOR: WaitEstimatorName = 'sampled';

export function createWaitEstimator(name: WaitEstimatorName, settings: EstimatorSettings): WaitEstimator {
  if (name === 'simple') return new TurnTimeEstimator(settings);
  if (name === 'forward') return new ForwardEstimator({ ...FORWARD_DEFAULTS, ...settings });
  return new SampledEstimator({ ...SAMPLED_DEFAULTS, ...settings });
}

export function capacityClassFor(partySize: number, capacities: number[]): number | null {
  if (capacities.length === 0) return null;
  const sorted = [...capacities].sort((a, b) => a - b);
  return sorted.find((capacity) => capacity >= partySize) ?? sorted[sorted.length - 1];
}

/** `map.get` for a key the caller built the map from; a miss is a bug here, not a floor state. */
function entryOf<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`wait estimator: no entry for ${String(key)}`);
  return value;
}

/** capacityClassFor for a size the floor is known to fit (at most its largest table). */
function classFitting(partySize: number, capacities: number[]): number {
  const capacity = capacityClassFor(partySize, capacities);
  if (capacity === null) throw new Error(`wait estimator: no table class fits a party of ${partySize}`);
  return capacity;
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
export function quantile(sorted: ArrayLike<number>, q: number): number {
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
      const info = entryOf(classes, capacity);
      quotes.set(party.id, point(waitMinutes(ahead, info.turn, info.tables)));
      aheadByClass.set(capacity, ahead + 1);
    }
    return quotes;
  }

  quoteLast(waitlist: WaitingParty[], floor: FloorClass[]): Quote | null {
    const last = waitlist.at(-1);
    return last ? (this.quote(waitlist, floor).get(last.id) ?? null) : null;
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
  /** The quote's own play uses this quantile of the meal lengths, or their mean when null. */
  midQuantile: number | null;
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
  midQuantile: null,
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

  quoteLast(waitlist: WaitingParty[], floor: FloorClass[]): Quote | null {
    const last = waitlist.at(-1);
    return last ? (this.quote(waitlist, floor).get(last.id) ?? null) : null;
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
    const byParty = classes.some((entry) => entry.recentPartyMinutes !== undefined);
    const capacities = classes.map((entry) => entry.capacity);
    // Meal lengths follow the party when the floor says how long parties of each class sit; else the table.
    const modelFor = (capacity: number, partySize: number | undefined) =>
      entryOf(models, byParty && partySize !== undefined ? classFitting(partySize, capacities) : capacity);
    const waits = PLAYS.map((play) =>
      playForward(
        sizes,
        this.tablesFor(classes, modelFor, play),
        (capacity, partySize) => modelFor(capacity, partySize).full[play] + this.settings.cleaningMinutes,
      ),
    );
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
    const own = new Map(
      classes.map((entry) => [entry.capacity, validSamples(entry.recentPartyMinutes ?? entry.recentTurnMinutes, settings)]),
    );
    const pooled = [...own.values()].flat().sort((a, b) => a - b);
    const models = new Map<number, TurnModel>();
    for (const entry of classes) {
      const mine = entryOf(own, entry.capacity);
      const samples =
        mine.length >= settings.minHistory ? [...mine].sort((a, b) => a - b) : pooled.length >= settings.minHistory ? pooled : [];
      if (samples.length === 0) {
        const turn = settings.defaultTurnMinutes;
        models.set(entry.capacity, {
          samples,
          mean: turn,
          full: { low: turn * settings.lowFactor, mid: turn, high: turn * settings.highFactor },
        });
        continue;
      }
      models.set(entry.capacity, {
        samples,
        mean: mean(samples),
        full: {
          low: quantile(samples, settings.lowQuantile),
          mid: settings.midQuantile === null ? mean(samples) : quantile(samples, settings.midQuantile),
          high: quantile(samples, settings.highQuantile),
        },
      });
    }
    return models;
  }

  /** Each table's capacity and when it is expected to be free, in minutes from now, for one play. */
  private tablesFor(
    classes: FloorClass[],
    modelFor: (capacity: number, partySize: number | undefined) => TurnModel,
    play: Play,
  ): { capacity: number; readyAt: number }[] {
    const { cleaningMinutes } = this.settings;
    const tables: { capacity: number; readyAt: number }[] = [];
    for (const entry of classes) {
      const states: TableNow[] =
        entry.states ?? Array.from({ length: entry.tables }, () => ({ status: 'free' as const, minutesInStatus: 0 }));
      for (const state of states) {
        const since = Math.max(0, state.minutesInStatus);
        let readyAt = 0;
        if (state.status === 'occupied')
          readyAt = this.restOfMeal(modelFor(entry.capacity, state.partySize), since, play) + cleaningMinutes;
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
        const q =
          play === 'mid' ? this.settings.midQuantile : play === 'low' ? this.settings.lowQuantile : this.settings.highQuantile;
        const rest =
          q === null
            ? mean(longer)
            : quantile(
                longer.sort((a, b) => a - b),
                q,
              );
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
 * `turnAndClean(capacity, partySize)` more minutes. A party larger than every table counts as fitting the
 * largest (tables pushed together). Returns each party's minutes until seated.
 */
export function playForward(
  sizes: number[],
  tables: { capacity: number; readyAt: number }[],
  turnAndClean: (capacity: number, partySize: number, table: number, turn: number) => number,
): number[] {
  return playLine(sizes, tables, turnAndClean).waits;
}

/**
 * The play, also returning when each table opens up for someone behind the whole line: when it was
 * free and nobody in line fitted it, or when it is free after its last party. A newcomer of a class
 * sits at the earliest opening of a table that seats it, and never changes anyone's wait ahead of
 * it (it only ever takes a table nobody ahead fits), so one play answers every class.
 */
export function playLine(
  sizes: number[],
  tables: { capacity: number; readyAt: number }[],
  turnAndClean: (capacity: number, partySize: number, table: number, turn: number) => number,
  queues: number[][] = lineBySize(sizes, tables),
): { waits: number[]; openings: { capacity: number; at: number }[] } {
  const waits = new Array<number>(sizes.length).fill(Number.POSITIVE_INFINITY);
  const openings: { capacity: number; at: number }[] = [];
  if (tables.length === 0) return { waits, openings };
  const heads = new Array<number>(queues.length).fill(0);
  const heap = new TableHeap(
    tables.map((table, index) => ({ capacity: table.capacity, readyAt: table.readyAt, index, turn: 0 })),
  );
  let seated = 0;
  while (seated < sizes.length) {
    const table = heap.pop();
    if (!table) break;
    let bestSize = -1;
    let bestIndex = Number.POSITIVE_INFINITY;
    for (let size = 1; size <= table.capacity; size += 1) {
      const queue = queues[size];
      const head = heads[size];
      if (head < queue.length && queue[head] < bestIndex) {
        bestIndex = queue[head];
        bestSize = size;
      }
    }
    // Nobody left in line fits this table: it stays free for later arrivals.
    if (bestSize < 0) {
      openings.push({ capacity: table.capacity, at: table.readyAt });
      continue;
    }
    heads[bestSize] += 1;
    waits[bestIndex] = table.readyAt;
    seated += 1;
    table.readyAt += turnAndClean(table.capacity, sizes[bestIndex], table.index, table.turn);
    table.turn += 1;
    heap.push(table);
  }
  for (let table = heap.pop(); table; table = heap.pop()) openings.push({ capacity: table.capacity, at: table.readyAt });
  return { waits, openings };
}

/**
 * The line split by (clipped) party size, each in line order: the first party that fits a table is
 * the earliest head among the sizes it seats. The same for every play of one line.
 */
export function lineBySize(sizes: number[], tables: { capacity: number }[]): number[][] {
  let largest = 0;
  for (const table of tables) largest = Math.max(largest, table.capacity);
  const queues: number[][] = Array.from({ length: largest + 1 }, () => []);
  sizes.forEach((size, index) => queues[Math.min(Math.max(1, size), largest)].push(index));
  return queues;
}

interface PlayedTable {
  capacity: number;
  readyAt: number;
  /** Position in the caller's table list, and how many parties it has seated in this play. */
  index: number;
  turn: number;
}

/** A small binary min-heap of tables by (readyAt, capacity, index); sifts move a hole instead of swapping. */
class TableHeap {
  private readonly items: PlayedTable[] = [];

  constructor(initial: PlayedTable[]) {
    for (const item of initial) this.push(item);
  }

  push(item: PlayedTable): void {
    const items = this.items;
    let index = items.length;
    items.push(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(item, items[parent])) break;
      items[index] = items[parent];
      index = parent;
    }
    items[index] = item;
  }

  pop(): PlayedTable | undefined {
    const items = this.items;
    const top = items.at(0);
    const last = items.pop();
    if (top === undefined || last === undefined) return undefined;
    const size = items.length;
    if (size > 0) {
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        if (left >= size) break;
        const right = left + 1;
        const child = right < size && before(items[right], items[left]) ? right : left;
        if (!before(items[child], last)) break;
        items[index] = items[child];
        index = child;
      }
      items[index] = last;
    }
    return top;
  }
}

function before(a: PlayedTable, b: PlayedTable): boolean {
  return (
    a.readyAt < b.readyAt ||
    (a.readyAt === b.readyAt && (a.capacity < b.capacity || (a.capacity === b.capacity && a.index < b.index)))
  );
}

export interface SampledSettings extends EstimatorSettings {
  cleaningMinutes: number;
  minHistory: number;
  /** How many plays of the evening make a quote; fewer for a line so long that plays × parties passes playBudget. */
  plays: number;
  minPlays: number;
  playBudget: number;
  /** Quantiles of the played waits: the quote itself, and the range. */
  pointQuantile: number;
  lowQuantile: number;
  highQuantile: number;
  /** Log-space spread of meal lengths assumed around the default turn until there is history. */
  priorSigma: number;
  /** A table already past every remembered meal frees up within twice this share of the mean turn. */
  overrunShare: number;
}

export const SAMPLED_DEFAULTS: Omit<SampledSettings, keyof EstimatorSettings> = {
  cleaningMinutes: 5,
  minHistory: 5,
  plays: 64,
  minPlays: 16,
  playBudget: 64 * 48,
  pointQuantile: 0.5,
  lowQuantile: 0.1,
  highQuantile: 0.9,
  priorSigma: 0.35,
  overrunShare: 0.15,
};

/** One play of the line: each party's wait per play, and a newcomer's per capacity class. */
interface Played {
  waits: Float64Array[];
  newcomers: Map<number, Float64Array>;
}

const PLAYED_LINES_PER_FLOOR = 8;

/** A repeatable uniform in [0, 1) from three integers (a hash, so a draw depends only on its coordinates). */
export function unitHash(a: number, b: number, c: number): number {
  let h = Math.imul(a + 0x9e3779b1, 0x85ebca77) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae3d) ^ Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Meal lengths of mean 1 with log-space spread sigma, evenly spread over the distribution (for the default turn). */
function priorShape(sigma: number, count = 200): number[] {
  const values: number[] = [];
  for (let i = 0; i < count; i += 1) {
    // Box–Muller from two repeatable uniforms.
    const u = 1 - unitHash(i, 1, 0);
    const v = unitHash(i, 2, 0);
    values.push(Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
  }
  const average = mean(values);
  return values.map((value) => value / average).sort((a, b) => a - b);
}

/**
 * The forward play, played many times with meal lengths drawn from the history instead of once with
 * their means: the first of several tables frees sooner than the soonest expected one (the minimum
 * of waits is shorter than the minimum of expected waits), which the single play misses. The quote
 * is the median of the played waits (what minimises the mean absolute error; the simulator shows the
 * share of short quotes stays well under the target), the range the 10th to 90th percentile. Every draw comes from a hash of (play, table,
 * turn), so the same floor and line always give the same quotes, and a party's quote does not
 * depend on the parties behind it.
 */
export class SampledEstimator implements WaitEstimator {
  readonly name = 'sampled' as const;
  private readonly prior: number[];
  /**
   * Plays already made per floor object and line. One check-in asks for its own quote, then the
   * live refresh for the line's and the lobby board for a newcomer's, all of the same line on the
   * same floor: the service hands out one floor object while it stays the same (see
   * WaitlistService.floorClasses), so those calls play once. Keyed weakly by the floor, so a floor
   * nobody holds any more takes its plays with it.
   */
  private readonly played = new WeakMap<FloorClass[], Map<string, Played | null>>();

  constructor(private readonly settings: SampledSettings) {
    this.prior = priorShape(settings.priorSigma);
  }

  quote(waitlist: WaitingParty[], floor: FloorClass[]): Map<string, Quote | null> {
    const quotes = new Map<string, Quote | null>();
    const played = this.playAll(
      waitlist.map((party) => party.partySize),
      floor,
    );
    waitlist.forEach((party, index) => quotes.set(party.id, played === null ? null : this.summarise(played.waits[index])));
    return quotes;
  }

  quoteLast(waitlist: WaitingParty[], floor: FloorClass[]): Quote | null {
    if (waitlist.length === 0) return null;
    const played = this.playAll(
      waitlist.map((party) => party.partySize),
      floor,
    );
    // Only this party's plays are summarised (sorted): a long line costs one play per evening, not one sort per party.
    return played === null ? null : this.summarise(played.waits[waitlist.length - 1]);
  }

  estimateByClass(waitlist: WaitingParty[], floor: FloorClass[]): Map<number, Quote> {
    const played = this.playAll(
      waitlist.map((party) => party.partySize),
      floor,
    );
    return new Map([...(played?.newcomers ?? [])].map(([capacity, plays]) => [capacity, this.summarise(plays)]));
  }

  /** Quotes for the line and for a newcomer of each class, or null when there are no tables. */
  private playAll(sizes: number[], floor: FloorClass[]): Played | null {
    let byLine = this.played.get(floor);
    if (byLine === undefined) {
      byLine = new Map();
      this.played.set(floor, byLine);
    }
    const key = sizes.join(',');
    const known = byLine.get(key);
    if (known !== undefined) return known;
    const played = this.play(sizes, floor);
    // A floor lives about a second; a few lines per floor is all one moment asks for.
    const oldest = byLine.keys().next();
    if (byLine.size >= PLAYED_LINES_PER_FLOOR && !oldest.done) byLine.delete(oldest.value);
    byLine.set(key, played);
    return played;
  }

  private play(sizes: number[], floor: FloorClass[]): Played | null {
    const { settings } = this;
    const classes = [...floor].filter((entry) => entry.tables > 0).sort((a, b) => a.capacity - b.capacity);
    if (classes.length === 0) return null;
    const meals = this.mealSamples(classes);
    const byParty = classes.some((entry) => entry.recentPartyMinutes !== undefined);
    const capacities = classes.map((entry) => entry.capacity);
    const largest = capacities[capacities.length - 1];
    // Meal samples by the seated party's size (its class's, when the floor gives party history) per table size.
    const classOfSize = Array.from({ length: largest + 1 }, (_, size) => classFitting(Math.max(1, size), capacities));
    const mealsFor = (capacity: number, partySize: number | undefined) =>
      entryOf(meals, byParty && partySize !== undefined ? classOfSize[Math.min(Math.max(1, partySize), largest)] : capacity);
    const tables = classes.flatMap((entry) =>
      (entry.states ?? Array.from({ length: entry.tables }, (): TableNow => ({ status: 'free', minutesInStatus: 0 }))).map(
        (state) => {
          const sample = mealsFor(entry.capacity, state.partySize);
          const since = Math.max(0, state.minutesInStatus);
          let longer = 0;
          while (longer < sample.length && sample[longer] <= since) longer += 1;
          return { capacity: entry.capacity, state, since, sample, longer };
        },
      ),
    );
    // A long line gets fewer plays (a fixed budget of seatings), so a check-in stays cheap however long the line.
    const plays = Math.max(
      settings.minPlays,
      Math.min(settings.plays, Math.floor(settings.playBudget / Math.max(1, sizes.length))),
    );
    const queues = lineBySize(sizes, tables);
    const waits = sizes.map(() => new Float64Array(plays));
    const newcomers = new Map(capacities.map((capacity) => [capacity, new Float64Array(plays)]));
    // Which meal samples a party of each size draws from at each table, looked up once rather than per seating.
    const samplesAt = tables.map((table) =>
      Array.from({ length: largest + 1 }, (_, size) => mealsFor(table.capacity, Math.max(1, size))),
    );
    const clean = settings.cleaningMinutes;
    for (let play = 0; play < plays; play += 1) {
      const start = tables.map((table, index) => ({ capacity: table.capacity, readyAt: this.readyAt(table, play, index) }));
      const turnAndClean = (_capacity: number, partySize: number, table: number, turn: number) => {
        const sample = samplesAt[table][partySize > largest ? largest : partySize];
        return sample[Math.floor(unitHash(play, table, turn + 1) * sample.length)] + clean;
      };
      const { waits: played, openings } = playLine(sizes, start, turnAndClean, queues);
      played.forEach((wait, index) => (waits[index][play] = wait));
      for (const [capacity, values] of newcomers) {
        let soonest = Number.POSITIVE_INFINITY;
        for (const opening of openings) if (opening.capacity >= capacity && opening.at < soonest) soonest = opening.at;
        values[play] = soonest;
      }
    }
    return { waits, newcomers };
  }

  private summarise(played: Float64Array): Quote {
    const { settings } = this;
    // A typed array sorts numerically, and fast. In place: only the values count, never which play
    // gave which, so a remembered play sorted once is as good (and sorts in no time the next time).
    const sorted = played.sort();
    // Rounded up (a fraction of a minute is still a wait), forgiving float noise; never -0.
    const up = (value: number) => Math.max(0, Math.ceil(value - 1e-9));
    const minutes = up(quantile(sorted, settings.pointQuantile));
    return {
      minutes,
      low: Math.min(minutes, Math.max(0, Math.floor(quantile(sorted, settings.lowQuantile)))),
      high: Math.max(minutes, up(quantile(sorted, settings.highQuantile))),
    };
  }

  /** When a table is next free in one play, in minutes from now. */
  private readyAt(
    table: { state: TableNow; since: number; sample: number[]; longer: number },
    play: number,
    index: number,
  ): number {
    const { cleaningMinutes, overrunShare } = this.settings;
    const { state, since, sample, longer } = table;
    if (state.status === 'free') return 0;
    // A reserved table is held for someone; assume it turns over like a cleaning one.
    if (state.status !== 'occupied') return Math.max(0, cleaningMinutes - since);
    const u = unitHash(play, index, 0);
    // Only the meals that outlast this one so far say how much longer it goes on (mean residual life, sampled).
    const rest =
      longer < sample.length
        ? sample[longer + Math.floor(u * (sample.length - longer))] - since
        : u * 2 * overrunShare * mean(sample);
    return rest + cleaningMinutes;
  }

  /** Sorted meal lengths per class: its own history, else the whole floor's, else the default turn's spread. */
  private mealSamples(classes: FloorClass[]): Map<number, number[]> {
    const { settings } = this;
    const own = new Map(
      classes.map((entry) => [entry.capacity, validSamples(entry.recentPartyMinutes ?? entry.recentTurnMinutes, settings)]),
    );
    const pooled = [...own.values()].flat().sort((a, b) => a - b);
    const prior = this.prior.map((share) => share * settings.defaultTurnMinutes);
    return new Map(
      classes.map((entry) => {
        const mine = entryOf(own, entry.capacity);
        if (mine.length >= settings.minHistory) return [entry.capacity, [...mine].sort((a, b) => a - b)];
        return [entry.capacity, pooled.length >= settings.minHistory ? pooled : prior];
      }),
    );
  }
}
