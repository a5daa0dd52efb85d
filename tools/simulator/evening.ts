import {
  capacityClassFor,
  type FloorClass,
  type TableNow,
  type Quote,
  type TableState,
  type WaitEstimator,
  type WaitingParty,
} from '../../src/guests/wait-estimator';
import { Random } from './random';

/**
 * One evening at the restaurant, minute by minute, with a waitlist quoted by one estimator.
 * Everything random about the evening (who comes when, party sizes, how long they eat, how long
 * cleaning takes, how patient they are) is drawn from the seed before the evening starts, so every
 * estimator faces the same guests; only what guests do with a quote (walk away or not) differs.
 * Times are minutes after opening. See docs/quotes.md for the assumptions.
 */
export interface EveningParameters {
  /** Table sizes, one entry per table. */
  tables: number[];
  /** Arrival rate (parties per minute) as [minute, rate] points, linear between them; no arrivals after the last. */
  arrivalRate: [number, number][];
  partySizes: [number, number][];
  /** Mean meal length in minutes per party size (log-normal around it). */
  mealMeanMinutes: Record<number, number>;
  /** Log-space standard deviation of meal lengths. */
  mealSigma: number;
  cleaningMinutes: [number, number];
  /** Share of parties that walk away at check-in: (quote − balkFrom) / balkSpan, at most balkMax. */
  balkFromMinutes: number;
  balkSpanMinutes: number;
  balkMax: number;
  /** Share of waiting parties that leave once their wait runs well past the quote. */
  renegeShare: number;
  /** Those leave after the quote plus max(renegeGraceMinutes, renegeGraceShare × quote) × U(0.5, 1.5). */
  renegeGraceMinutes: number;
  renegeGraceShare: number;
}

export const DEMO_EVENING: EveningParameters = {
  tables: [2, 2, 2, 4, 4, 4, 6, 6, 6, 8, 8, 8],
  // A quiet start (17:00), a rush from about 18:30 to 20:30, a tail until last seating at 22:00.
  arrivalRate: [
    [0, 0.06],
    [60, 0.06],
    [90, 0.3],
    [180, 0.3],
    [210, 0.1],
    [300, 0.1],
  ],
  partySizes: [
    [1, 8],
    [2, 42],
    [3, 14],
    [4, 20],
    [5, 6],
    [6, 6],
    [7, 2],
    [8, 2],
  ],
  mealMeanMinutes: { 1: 45, 2: 55, 3: 65, 4: 70, 5: 75, 6: 80, 7: 90, 8: 90 },
  mealSigma: 0.35,
  cleaningMinutes: [3, 7],
  balkFromMinutes: 20,
  balkSpanMinutes: 100,
  balkMax: 0.5,
  renegeShare: 0.5,
  renegeGraceMinutes: 10,
  renegeGraceShare: 0.5,
};

/** A guest as drawn from the seed: the same for every estimator. */
export interface DrawnParty {
  index: number;
  arrivesAt: number;
  size: number;
  mealMinutes: number;
  cleaningMinutes: number;
  /** Uniform draw compared with the walk-away share at check-in. */
  balkRoll: number;
  renegeAfterGrace: number | null;
}

export type Outcome = 'seated' | 'walked_away' | 'gave_up';

export interface PartyResult {
  index: number;
  size: number;
  checkedInAt: number;
  quote: Quote | null;
  outcome: Outcome;
  /** Whole minutes from check-in to seat (as the server's actualWaitMinutes), for seated parties. */
  actualWaitMinutes: number | null;
  tableCapacity: number | null;
}

function rateAt(points: [number, number][], minute: number): number {
  if (minute < points[0][0] || minute > points[points.length - 1][0]) return 0;
  for (let i = 1; i < points.length; i += 1) {
    const [t1, r1] = points[i];
    const [t0, r0] = points[i - 1];
    if (minute <= t1) return t1 === t0 ? r1 : r0 + ((r1 - r0) * (minute - t0)) / (t1 - t0);
  }
  return 0;
}

/** The evening's guests: a non-homogeneous Poisson process by thinning, then each guest's draws. */
export function drawEvening(seed: number, params: EveningParameters = DEMO_EVENING): DrawnParty[] {
  const random = new Random(seed);
  const maxRate = Math.max(...params.arrivalRate.map(([, rate]) => rate));
  const close = params.arrivalRate[params.arrivalRate.length - 1][0];
  const parties: DrawnParty[] = [];
  let minute = params.arrivalRate[0][0];
  for (;;) {
    minute += random.exponential(1 / maxRate);
    if (minute > close) break;
    if (random.next() * maxRate > rateAt(params.arrivalRate, minute)) continue;
    const size = random.pick(params.partySizes);
    parties.push({
      index: parties.length,
      arrivesAt: minute,
      size,
      mealMinutes: random.logNormal(params.mealMeanMinutes[size] ?? 60, params.mealSigma),
      cleaningMinutes: random.uniform(params.cleaningMinutes[0], params.cleaningMinutes[1]),
      balkRoll: random.next(),
      renegeAfterGrace: random.next() < params.renegeShare ? random.uniform(0.5, 1.5) : null,
    });
  }
  return parties;
}

interface SimTable {
  capacity: number;
  status: TableState;
  since: number;
  party: DrawnParty | null;
}

interface Waiting {
  party: DrawnParty;
  quote: Quote | null;
  result: PartyResult;
}

/** Finished meals, newest first, as many as the server reads (its TURN_HISTORY_ROWS). */
export interface TurnMemory {
  recent: { capacity: number; partySize: number; minutes: number }[];
}

export const HISTORY_ROWS = 200;

export function newMemory(): TurnMemory {
  return { recent: [] };
}

type SimEventBody =
  | { at: number; kind: 'meal_end'; table: number }
  | { at: number; kind: 'clean_end'; table: number }
  | { at: number; kind: 'arrive'; party: DrawnParty }
  | { at: number; kind: 'give_up'; party: DrawnParty };
type SimEvent = SimEventBody & { order: number };

/** Events by time; on a tie, tables turn over before guests arrive, and arrivals before anyone gives up. */
const KIND_ORDER: Record<SimEvent['kind'], number> = { meal_end: 0, clean_end: 1, arrive: 2, give_up: 3 };

export interface EveningOptions {
  estimator: WaitEstimator;
  params?: EveningParameters;
  /**
   * Turn-time history carried from earlier evenings (the server keeps its history across days);
   * updated in place as parties finish. A fresh one when omitted.
   */
  memory?: TurnMemory;
  /** Tell the estimator who sits where and how long each party class sits (as the server does); default true. */
  partyHistory?: boolean;
}

/** Plays one evening with one estimator quoting every check-in. */
export function runEvening(parties: DrawnParty[], options: EveningOptions): PartyResult[] {
  const params = options.params ?? DEMO_EVENING;
  const tables: SimTable[] = params.tables.map((capacity) => ({ capacity, status: 'free', since: 0, party: null }));
  const memory = options.memory ?? newMemory();
  const line: Waiting[] = [];
  const results: PartyResult[] = [];
  const queue: SimEvent[] = [];
  let order = 0;
  const schedule = (event: SimEventBody) => {
    queue.push({ ...event, order: order++ });
  };
  for (const party of parties) schedule({ at: party.arrivesAt, kind: 'arrive', party });

  const seat = (waiting: Waiting, tableIndex: number, now: number) => {
    const table = tables[tableIndex];
    table.status = 'occupied';
    table.since = now;
    table.party = waiting.party;
    waiting.result.outcome = 'seated';
    waiting.result.actualWaitMinutes = Math.max(0, Math.round(now - waiting.party.arrivesAt));
    waiting.result.tableCapacity = table.capacity;
    schedule({ at: now + waiting.party.mealMinutes, kind: 'meal_end', table: tableIndex });
  };

  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.order - b.order);
    const event = queue.shift();
    if (event === undefined) break;
    const now = event.at;
    if (event.kind === 'meal_end') {
      const table = tables[event.table];
      const party = table.party;
      if (party === null) throw new Error(`simulator: meal_end for table ${event.table} with no party seated`);
      memory.recent.unshift({ capacity: table.capacity, partySize: party.size, minutes: now - table.since });
      if (memory.recent.length > HISTORY_ROWS) memory.recent.length = HISTORY_ROWS;
      table.status = 'cleaning';
      table.since = now;
      table.party = null;
      schedule({ at: now + party.cleaningMinutes, kind: 'clean_end', table: event.table });
    } else if (event.kind === 'clean_end') {
      const table = tables[event.table];
      table.status = 'free';
      table.since = now;
      // The host seats the first party in line that fits the table just freed.
      const first = line.findIndex((waiting) => waiting.party.size <= table.capacity);
      if (first >= 0) seat(line.splice(first, 1)[0], event.table, now);
    } else if (event.kind === 'arrive') {
      const party = event.party;
      const waitlist: WaitingParty[] = [
        ...line.map((w) => ({ id: String(w.party.index), partySize: w.party.size })),
        { id: String(party.index), partySize: party.size },
      ];
      const floor = floorNow(tables, memory, options.partyHistory !== false, now);
      const quote = options.estimator.quote(waitlist, floor).get(String(party.index)) ?? null;
      const result: PartyResult = {
        index: party.index,
        size: party.size,
        checkedInAt: now,
        quote,
        outcome: 'walked_away',
        actualWaitMinutes: null,
        tableCapacity: null,
      };
      results.push(result);
      const quoted = quote?.minutes ?? 0;
      const balkShare = Math.min(params.balkMax, Math.max(0, (quoted - params.balkFromMinutes) / params.balkSpanMinutes));
      if (party.balkRoll < balkShare) continue;
      const waiting: Waiting = { party, quote, result };
      const free = tables
        .map((table, index) => ({ table, index }))
        .filter(({ table }) => table.status === 'free' && table.capacity >= party.size)
        .sort((a, b) => a.table.capacity - b.table.capacity || a.index - b.index)
        .at(0);
      if (free) {
        // Parties ahead fit no free table (the host would have seated them), so this one goes first.
        seat(waiting, free.index, now);
        continue;
      }
      line.push(waiting);
      if (party.renegeAfterGrace !== null) {
        const grace = Math.max(params.renegeGraceMinutes, params.renegeGraceShare * quoted) * party.renegeAfterGrace;
        schedule({ at: now + quoted + grace, kind: 'give_up', party });
      }
    } else {
      const at = line.findIndex((waiting) => waiting.party === event.party);
      if (at >= 0) line.splice(at, 1)[0].result.outcome = 'gave_up';
    }
  }
  return results;
}

/** The floor as the server's waitlist service describes it to the estimator at `now`. */
function floorNow(tables: SimTable[], memory: TurnMemory, withParties: boolean, now: number): FloorClass[] {
  const classes = new Map<number, FloorClass & { states: TableNow[]; recentPartyMinutes: number[] }>();
  for (const table of tables) {
    const entry = classes.get(table.capacity) ?? {
      capacity: table.capacity,
      tables: 0,
      recentTurnMinutes: [],
      recentPartyMinutes: [],
      states: [],
    };
    entry.tables += 1;
    entry.states.push({
      status: table.status,
      minutesInStatus: now - table.since,
      ...(withParties && table.party ? { partySize: table.party.size } : {}),
    });
    classes.set(table.capacity, entry);
  }
  const capacities = [...classes.keys()];
  for (const meal of memory.recent) {
    classes.get(meal.capacity)?.recentTurnMinutes.push(meal.minutes);
    const partyClass = capacityClassFor(meal.partySize, capacities);
    if (partyClass !== null) classes.get(partyClass)?.recentPartyMinutes.push(meal.minutes);
  }
  return [...classes.values()].map(({ recentPartyMinutes, ...entry }) =>
    withParties ? { ...entry, recentPartyMinutes } : entry,
  );
}
