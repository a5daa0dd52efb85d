import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { GuestSnapshot } from '../events/event-data';
import { type RecordedEvent } from '../events/domain-events';
import { ANY_DOMAIN_EVENT, FLOOR_CHANGED, OnSignal } from '../events/signals';
import { TableEntity } from '../tables/table.entity';
import { GuestEntity } from './guest.entity';
import { FloorClass, TurnTimeEstimator, WaitEstimator } from './wait-estimator';

/** How many recent finished parties per class make the turn-time mean. */
const TURN_SAMPLE_SIZE = 20;
const TURN_HISTORY_ROWS = 200;
/**
 * The floor model (tables per size, recent turn times) changes rarely; estimates may use one
 * up to this old. This instance drops it at once when a table is added or a party leaves.
 */
const FLOOR_CACHE_MS = 2_000;
/** Up to this many waiting guests in one read are placed with counting queries instead of reading the line. */
const COUNTED_VIEWS_MAX = 3;

/** Places in line and quotes for some waiting guests. */
export interface Places {
  positions: Map<string, number>;
  quotes: Map<string, number | null>;
}

/** The waiting line with positions and quotes derived at read time. */
export interface WaitlistSnapshot extends Places {
  waiting: GuestEntity[];
}

export interface Availability {
  total: number;
  free: number;
  waiting: number;
  byCapacity: Record<string, { total: number; free: number; estimatedWaitMinutes: number }>;
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
  private floorCache: { classes: FloorClass[]; loadedAt: number } | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    config: AppConfig,
  ) {
    this.estimator = new TurnTimeEstimator({
      defaultTurnMinutes: config.defaultTurnMinutes,
      turnSampleSize: TURN_SAMPLE_SIZE,
    });
  }

  /** The whole line in check-in order, with every place and quote. */
  async snapshot(manager: EntityManager): Promise<WaitlistSnapshot> {
    // One after another: inside a transaction they share one connection.
    const waiting = await manager.find(GuestEntity, {
      where: { status: 'waiting' },
      order: { checkedInAt: 'ASC', id: 'ASC' },
    });
    const floor = await this.floorClasses(manager);
    const parties = waiting.map((guest) => ({ id: guest.id, partySize: guest.partySize }));
    return {
      waiting,
      positions: new Map(waiting.map((guest, index) => [guest.id, index + 1])),
      quotes: this.estimator.quote(parties, floor),
    };
  }

  /**
   * Places for a few waiting guests without reading the whole line: how many wait ahead of
   * each, by party size, is counted in the database (the status/check-in index), and the
   * estimator sees exactly the parties that matter for the quote.
   */
  async placesOf(manager: EntityManager, guests: GuestEntity[]): Promise<Places> {
    const floor = await this.floorClasses(manager);
    const places: Places = { positions: new Map(), quotes: new Map() };
    for (const guest of guests) {
      const ahead = await this.countWaiting(manager, guest);
      const parties = [...ahead].flatMap(([partySize, count]) => Array.from({ length: count }, () => ({ id: '', partySize })));
      parties.push({ id: guest.id, partySize: guest.partySize });
      places.positions.set(guest.id, parties.length);
      places.quotes.set(guest.id, this.estimator.quote(parties, floor).get(guest.id) ?? null);
    }
    return places;
  }

  @OnSignal(FLOOR_CHANGED)
  @OnSignal(ANY_DOMAIN_EVENT)
  onFloorMayHaveChanged(event?: RecordedEvent): void {
    // New tables change the classes; a party leaving adds turn-time history.
    if (event === undefined || event.type === 'guest.left') this.floorCache = undefined;
  }

  /** The guest as the API shows it; `snapshot` is needed only for a waiting guest. */
  view(guest: GuestEntity, snapshot: Places | undefined): GuestSnapshot {
    const waiting = guest.status === 'waiting';
    return {
      id: guest.id,
      name: guest.name,
      partySize: guest.partySize,
      email: guest.email,
      phone: guest.phone,
      marketingOptIn: Boolean(guest.marketingOptIn),
      notes: guest.notes,
      status: guest.status,
      position: waiting ? (snapshot?.positions.get(guest.id) ?? null) : null,
      quotedWaitMinutes: waiting ? (snapshot?.quotes.get(guest.id) ?? null) : null,
      tableId: guest.tableId,
      checkedInAt: guest.checkedInAt,
      seatedAt: guest.seatedAt,
      leftAt: guest.leftAt,
      leftReason: guest.leftReason,
      paid: guest.paidAt !== null,
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
      const waitingBySize = await this.countWaiting(manager, undefined);
      const floor = await this.floorClasses(manager);
      const parties = [...waitingBySize].flatMap(([partySize, count]) =>
        Array.from({ length: count }, () => ({ id: '', partySize })),
      );
      const estimates = this.estimator.estimateByClass(parties, floor);
      const byCapacity: Availability['byCapacity'] = {};
      for (const table of tables) {
        const entry = (byCapacity[String(table.capacity)] ??= {
          total: 0,
          free: 0,
          estimatedWaitMinutes: estimates.get(table.capacity) ?? 0,
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

  /** Waiting parties by size: all of them, or those ahead of `before` in check-in order. */
  private async countWaiting(manager: EntityManager, before: GuestEntity | undefined): Promise<Map<number, number>> {
    const query = manager
      .createQueryBuilder(GuestEntity, 'g')
      .select('g.party_size', 'partySize')
      .addSelect('COUNT(*)', 'count')
      .where("g.status = 'waiting'");
    if (before) {
      query.andWhere('(g.checked_in_at < :at OR (g.checked_in_at = :at AND g.id < :id))', {
        at: before.checkedInAt,
        id: before.id,
      });
    }
    const rows = await query.groupBy('g.party_size').getRawMany<{ partySize: number | string; count: number | string }>();
    return new Map(rows.map((row) => [Number(row.partySize), Number(row.count)]));
  }

  /** Tables per size with their recent turn times (cached briefly; see FLOOR_CACHE_MS). */
  private async floorClasses(manager: EntityManager): Promise<FloorClass[]> {
    if (this.floorCache && Date.now() - this.floorCache.loadedAt < FLOOR_CACHE_MS) return this.floorCache.classes;
    const tables = await manager.find(TableEntity, { select: { capacity: true } });
    const history = await this.turnHistory(manager);
    const classes = this.buildFloorClasses(tables, history);
    this.floorCache = { classes, loadedAt: Date.now() };
    return classes;
  }

  private buildFloorClasses(
    tables: Pick<TableEntity, 'capacity'>[],
    history: { capacity: number; minutes: number }[],
  ): FloorClass[] {
    const classes = new Map<number, FloorClass>();
    for (const table of tables) {
      const entry = classes.get(table.capacity) ?? { capacity: table.capacity, tables: 0, recentTurnMinutes: [] };
      entry.tables += 1;
      classes.set(table.capacity, entry);
    }
    for (const seating of history) classes.get(seating.capacity)?.recentTurnMinutes.push(seating.minutes);
    return [...classes.values()];
  }

  /** Seated durations of recently finished parties, newest first, with their table's capacity. */
  private async turnHistory(manager: EntityManager): Promise<{ capacity: number; minutes: number }[]> {
    const rows = await manager
      .createQueryBuilder(GuestEntity, 'g')
      .innerJoin(TableEntity, 't', 't.id = g.table_id')
      .select('t.capacity', 'capacity')
      .addSelect('g.seated_at', 'seatedAt')
      .addSelect('g.left_at', 'leftAt')
      .where("g.left_reason = 'finished'")
      .andWhere('g.seated_at IS NOT NULL')
      .andWhere('g.left_at IS NOT NULL')
      .orderBy('g.left_at', 'DESC')
      .limit(TURN_HISTORY_ROWS)
      .getRawMany<{ capacity: number | string; seatedAt: string; leftAt: string }>();
    return rows.map((row) => ({
      capacity: Number(row.capacity),
      minutes: (Date.parse(row.leftAt) - Date.parse(row.seatedAt)) / 60_000,
    }));
  }
}
