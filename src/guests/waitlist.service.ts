import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { GuestLeft, GuestSnapshot } from '../events/event-data';
import { type RecordedEvent } from '../events/domain-events';
import { ANY_DOMAIN_EVENT, FLOOR_CHANGED, OnSignal } from '../events/signals';
import { TableEntity } from '../tables/table.entity';
import { GuestEntity } from './guest.entity';
import {
  capacityClassFor,
  createWaitEstimator,
  FloorClass,
  Quote,
  TableNow,
  TableState,
  WaitEstimator,
  WaitingParty,
} from './wait-estimator';

/** How many recent finished parties per class make the turn-time mean. */
const TURN_SAMPLE_SIZE = 20;
const TURN_HISTORY_ROWS = 200;
/**
 * The floor model (each table's state and since when, the party at it, and recent turn times) may be
 * up to this old: this instance drops it at once on its own changes (any domain event or new table),
 * so only another instance's change of the last two seconds can be missing from a quote.
 */
const FLOOR_CACHE_MS = 2_000;
/** Up to this many waiting guests in one read are placed with counting queries instead of reading the line. */
const COUNTED_VIEWS_MAX = 3;

/**
 * The waiting line as one fixed statement: the live views read it on every refresh, and building it
 * through the query builder and hydrating entities cost more than the read itself. The aliases give
 * GuestEntity's property names; the same text works in both dialects.
 */
/**
 * The waiting line in one plain statement (no query building or hydration on this hot read), its
 * column list taken from the entity's metadata so that a new column can never be left out.
 */
function waitingLineSql(manager: EntityManager): string {
  const columns = manager.dataSource
    .getMetadata(GuestEntity)
    .columns.map((column) => `${column.databaseName} AS "${column.propertyName}"`)
    .join(', ');
  return `SELECT ${columns} FROM guests WHERE status = 'waiting' ORDER BY checked_in_at ASC, id ASC`;
}

/** A guest who left while waiting, holding no table: the floor and its turn history are as they were. */
function leftFromTheLine(left: GuestLeft): boolean {
  const { guest } = left;
  return left.reason !== 'finished' && guest.seatedAt === null && guest.tableId === null && guest.heldTableId === null;
}

const SIZES_WAITING = `SELECT party_size AS "partySize" FROM guests WHERE status = 'waiting' ORDER BY checked_in_at ASC, id ASC`;
const SIZES_AHEAD = {
  sqlite: `SELECT party_size AS "partySize" FROM guests WHERE status = 'waiting' AND (checked_in_at < ? OR (checked_in_at = ? AND id < ?)) ORDER BY checked_in_at ASC, id ASC`,
  postgres: `SELECT party_size AS "partySize" FROM guests WHERE status = 'waiting' AND (checked_in_at < $1 OR (checked_in_at = $2 AND id < $3)) ORDER BY checked_in_at ASC, id ASC`,
} as const;

/** Places in line and quotes for some waiting guests. */
export interface Places {
  positions: Map<string, number>;
  quotes: Map<string, Quote | null>;
}

/** The waiting line with positions and quotes derived at read time. */
export interface WaitlistSnapshot extends Places {
  waiting: GuestEntity[];
}

export interface Availability {
  total: number;
  free: number;
  waiting: number;
  byCapacity: Record<
    string,
    { total: number; free: number; estimatedWaitMinutes: number; estimatedWaitRange: { low: number; high: number } }
  >;
  tables: { id: string; label: string; capacity: number; status: string }[];
}

/**
 * Read models of the line and the floor. Positions and quotes are never stored: they are
 * computed from the waiting guests (indexed by status and check-in order), the tables and
 * the recent turn times whenever they are read.
 */
@Injectable()
export class WaitlistService {
  private readonly estimator: WaitEstimator;
  private waitingLineSql: string | undefined;
  private floorCache:
    | {
        tables: { capacity: number; status: TableState; updatedAt: string; partySize: number | undefined }[];
        history: { capacity: number; partySize: number; minutes: number }[];
        loadedAt: number;
        /** The floor as of one second, handed out to every caller in that second (see below). */
        built?: { second: number; floor: FloorClass[] };
      }
    | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.estimator = createWaitEstimator(config.waitEstimator, {
      defaultTurnMinutes: config.defaultTurnMinutes,
      turnSampleSize: TURN_SAMPLE_SIZE,
    });
  }

  /** The whole line in check-in order, with every place and quote. */
  async snapshot(manager: EntityManager): Promise<WaitlistSnapshot> {
    // One after another: inside a transaction they share one connection.
    this.waitingLineSql ??= waitingLineSql(manager);
    const waiting = await manager.query<GuestEntity[]>(this.waitingLineSql);
    const floor = await this.floorClasses(manager);
    const parties = waiting.map((guest) => ({ id: guest.id, partySize: guest.partySize }));
    return {
      waiting,
      positions: new Map(waiting.map((guest, index) => [guest.id, index + 1])),
      quotes: this.estimator.quote(parties, floor),
    };
  }

  /**
   * Places for a few waiting guests without reading the whole line: only the party sizes of those
   * ahead of each, in line order, are read (the status/check-in index), and the estimator sees
   * exactly the parties that matter for the quote (those behind never change it: the host seats
   * the first party in line that fits).
   */
  async placesOf(manager: EntityManager, guests: GuestEntity[]): Promise<Places> {
    const floor = await this.floorClasses(manager);
    const places: Places = { positions: new Map(), quotes: new Map() };
    for (const guest of guests) {
      const parties: WaitingParty[] = (await this.sizesWaiting(manager, guest)).map((partySize) => ({ id: '', partySize }));
      parties.push({ id: guest.id, partySize: guest.partySize });
      places.positions.set(guest.id, parties.length);
      places.quotes.set(guest.id, this.estimator.quoteLast(parties, floor));
    }
    return places;
  }

  /**
   * The place and quote of a party joining the end of the line now, inside the check-in's
   * transaction (which holds the commit order, so everyone waiting is ahead of it).
   */
  async placeOfNewcomer(manager: EntityManager, guest: Pick<GuestEntity, 'id' | 'partySize'>): Promise<Places> {
    const floor = await this.floorClasses(manager);
    const parties: WaitingParty[] = (await this.sizesWaiting(manager, undefined)).map((partySize) => ({ id: '', partySize }));
    parties.push({ id: guest.id, partySize: guest.partySize });
    return {
      positions: new Map([[guest.id, parties.length]]),
      quotes: new Map([[guest.id, this.estimator.quoteLast(parties, floor)]]),
    };
  }

  @OnSignal(FLOOR_CHANGED)
  @OnSignal(ANY_DOMAIN_EVENT)
  onFloorMayHaveChanged(event?: RecordedEvent): void {
    // Tables change on seat, leave and staff changes (table.status_changed); a party leaving its
    // table adds history. A guest who leaves the line without ever sitting (the usual leave at a
    // busy door) changes neither, and keeping the floor lets the estimator reuse its plays.
    if (event === undefined || event.type === 'table.status_changed') this.floorCache = undefined;
    else if (event.type === 'guest.left' && !leftFromTheLine(event.data)) this.floorCache = undefined;
  }

  /** The guest as the API shows it; `snapshot` is needed only for a waiting guest. */
  view(guest: GuestEntity, snapshot: Places | undefined): GuestSnapshot {
    const waiting = guest.status === 'waiting';
    const quote = waiting ? (snapshot?.quotes.get(guest.id) ?? null) : null;
    return {
      id: guest.id,
      name: guest.name,
      partySize: guest.partySize,
      email: guest.email,
      phone: guest.phone,
      // Rows of the plain waiting-line statement carry SQLite's 0/1, whatever the entity type says.
      marketingOptIn: Boolean(guest.marketingOptIn as unknown),
      notes: guest.notes,
      status: guest.status,
      position: waiting ? (snapshot?.positions.get(guest.id) ?? null) : null,
      quotedWaitMinutes: quote?.minutes ?? null,
      tableId: guest.tableId,
      checkedInAt: guest.checkedInAt,
      seatedAt: guest.seatedAt,
      leftAt: guest.leftAt,
      leftReason: guest.leftReason,
      paid: guest.paidAt !== null,
      quotedWaitAtCheckIn: guest.quotedWaitAtCheckIn ?? null,
      actualWaitMinutes: guest.actualWaitMinutes ?? null,
      quotedWaitRange: quote ? { low: quote.low, high: quote.high } : null,
      notifiedAt: guest.notifiedAt,
      holdUntil: guest.holdUntil,
      heldTableId: guest.status === 'waiting' ? guest.heldTableId : null,
      confirmedAt: guest.confirmedAt,
      erasedAt: guest.erasedAt ?? null,
    };
  }

  /** Views of several guests, reading the line once if any of them is waiting. */
  async views(manager: EntityManager, guests: GuestEntity[]): Promise<GuestSnapshot[]> {
    const waiting = guests.filter((guest) => guest.status === 'waiting');
    const places =
      waiting.length === 0
        ? undefined
        : waiting.length <= COUNTED_VIEWS_MAX
          ? await this.placesOf(manager, waiting)
          : await this.snapshot(manager);
    return guests.map((guest) => this.view(guest, places));
  }

  /** Waiting guests in check-in order, with positions and quotes. */
  async waitlist(): Promise<GuestSnapshot[]> {
    return this.uow.read(async (manager) => {
      const snapshot = await this.snapshot(manager);
      return snapshot.waiting.map((guest) => this.view(guest, snapshot));
    });
  }

  async availability(): Promise<Availability> {
    return this.uow.read(async (manager) => {
      const tables = await manager.find(TableEntity, { order: { capacity: 'ASC', label: 'ASC', id: 'ASC' } });
      const floor = await this.floorClasses(manager);
      const parties = (await this.sizesWaiting(manager, undefined)).map((partySize) => ({ id: '', partySize }));
      const estimates = this.estimator.estimateByClass(parties, floor);
      const byCapacity: Availability['byCapacity'] = {};
      for (const table of tables) {
        const estimate = estimates.get(table.capacity);
        const entry = (byCapacity[String(table.capacity)] ??= {
          total: 0,
          free: 0,
          estimatedWaitMinutes: estimate?.minutes ?? 0,
          estimatedWaitRange: { low: estimate?.low ?? 0, high: estimate?.high ?? 0 },
        });
        entry.total += 1;
        if (table.status === 'free') entry.free += 1;
      }
      return {
        total: tables.length,
        free: tables.filter((table) => table.status === 'free').length,
        waiting: parties.length,
        byCapacity,
        tables: tables.map((table) => ({
          id: table.id,
          label: table.label,
          capacity: table.capacity,
          status: table.status,
        })),
      };
    });
  }

  /** Party sizes of the waiting guests in line order: all of them, or those ahead of `before`. */
  private async sizesWaiting(manager: EntityManager, before: GuestEntity | undefined): Promise<number[]> {
    // Fixed text (run on every check-in and refresh); the order matters to the forward estimator:
    // who is first in line decides who takes which table.
    const postgres = this.config.isPostgres;
    const rows = before
      ? await manager.query<{ partySize: number | string }[]>(postgres ? SIZES_AHEAD.postgres : SIZES_AHEAD.sqlite, [
          before.checkedInAt,
          before.checkedInAt,
          before.id,
        ])
      : await manager.query<{ partySize: number | string }[]>(SIZES_WAITING);
    return rows.map((row) => Number(row.partySize));
  }

  /** Tables per size with each one's state and party, and the recent turn times (cached briefly; see FLOOR_CACHE_MS). */
  private async floorClasses(manager: EntityManager): Promise<FloorClass[]> {
    if (!this.floorCache || Date.now() - this.floorCache.loadedAt >= FLOOR_CACHE_MS) {
      const rows = await manager
        .createQueryBuilder(TableEntity, 't')
        .leftJoin(GuestEntity, 'g', "g.id = t.guest_id AND t.status = 'occupied'")
        .select('t.capacity', 'capacity')
        .addSelect('t.status', 'status')
        .addSelect('t.updated_at', 'updatedAt')
        .addSelect('g.party_size', 'partySize')
        .orderBy('t.capacity', 'ASC')
        .addOrderBy('t.label', 'ASC')
        .addOrderBy('t.id', 'ASC')
        .getRawMany<{ capacity: number | string; status: TableState; updatedAt: string; partySize: number | string | null }>();
      const tables = rows.map((row) => ({
        capacity: Number(row.capacity),
        status: row.status,
        updatedAt: row.updatedAt,
        partySize: row.partySize === null ? undefined : Number(row.partySize),
      }));
      this.floorCache = { tables, history: await this.turnHistory(manager), loadedAt: Date.now() };
    }
    // Minutes in status are measured from the cached times the tables entered their status, as of
    // the end of the current second: quotes are whole minutes, and one floor object per second lets
    // the estimator play a line once for the check-in, the live refresh and the lobby board
    // together. Rounded up, so a wait that is whole minutes to the millisecond stays that many
    // minutes (rounded down, a fraction of a second more would be quoted as one more minute).
    const second = Math.ceil(this.clock.nowMs() / 1000);
    const cache = this.floorCache;
    if (cache.built?.second !== second) {
      cache.built = { second, floor: this.buildFloorClasses(cache.tables, cache.history, second * 1000) };
    }
    return cache.built.floor;
  }

  private buildFloorClasses(
    tables: { capacity: number; status: TableState; updatedAt: string; partySize: number | undefined }[],
    history: { capacity: number; partySize: number; minutes: number }[],
    nowMs: number,
  ): FloorClass[] {
    type Built = FloorClass & { states: TableNow[]; recentPartyMinutes: number[] };
    const classes = new Map<number, Built>();
    for (const table of tables) {
      const entry: Built = classes.get(table.capacity) ?? {
        capacity: table.capacity,
        tables: 0,
        recentTurnMinutes: [],
        recentPartyMinutes: [],
        states: [],
      };
      entry.tables += 1;
      // A table's updated_at is when it entered its status (for an occupied one: when the party sat down).
      entry.states.push({
        status: table.status,
        minutesInStatus: Math.max(0, (nowMs - Date.parse(table.updatedAt)) / 60_000),
        ...(table.partySize !== undefined ? { partySize: table.partySize } : {}),
      });
      classes.set(table.capacity, entry);
    }
    const capacities = [...classes.keys()];
    for (const seating of history) {
      classes.get(seating.capacity)?.recentTurnMinutes.push(seating.minutes);
      const partyClass = capacityClassFor(seating.partySize, capacities);
      if (partyClass !== null) classes.get(partyClass)?.recentPartyMinutes.push(seating.minutes);
    }
    return [...classes.values()];
  }

  /** Seated durations of recently finished parties, newest first, with their table's capacity. */
  private async turnHistory(manager: EntityManager): Promise<{ capacity: number; partySize: number; minutes: number }[]> {
    const rows = await manager
      .createQueryBuilder(GuestEntity, 'g')
      .innerJoin(TableEntity, 't', 't.id = g.table_id')
      .select('t.capacity', 'capacity')
      .addSelect('g.party_size', 'partySize')
      .addSelect('g.seated_at', 'seatedAt')
      .addSelect('g.left_at', 'leftAt')
      .where("g.left_reason = 'finished'")
      .andWhere('g.seated_at IS NOT NULL')
      .andWhere('g.left_at IS NOT NULL')
      .orderBy('g.left_at', 'DESC')
      .limit(TURN_HISTORY_ROWS)
      .getRawMany<{ capacity: number | string; partySize: number | string; seatedAt: string; leftAt: string }>();
    return rows.map((row) => ({
      capacity: Number(row.capacity),
      partySize: Number(row.partySize),
      minutes: (Date.parse(row.leftAt) - Date.parse(row.seatedAt)) / 60_000,
    }));
  }
}
