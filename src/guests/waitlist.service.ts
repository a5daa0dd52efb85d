import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { GuestSnapshot } from '../events/event-data';
import { TableEntity } from '../tables/table.entity';
import { GuestEntity } from './guest.entity';
import { FloorClass, TurnTimeEstimator, WaitEstimator } from './wait-estimator';

/** How many recent finished parties per class make the turn-time mean. */
const TURN_SAMPLE_SIZE = 20;
const TURN_HISTORY_ROWS = 500;

/** The waiting line with positions and quotes derived at read time. */
export interface WaitlistSnapshot {
  waiting: GuestEntity[];
  positions: Map<string, number>;
  quotes: Map<string, number | null>;
  tables: TableEntity[];
  estimatesByClass: Map<number, number>;
}

export interface Availability {
  total: number;
  free: number;
  waiting: number;
  byCapacity: Record<string, { total: number; free: number; estimatedWaitMinutes: number }>;
  tables: Array<{ id: string; label: string; capacity: number; status: string }>;
}

/**
 * Read models of the line and the floor. Positions and quotes are never stored: they are
 * computed from the waiting guests (indexed by status and check-in order), the tables and
 * the recent turn times whenever they are read.
 */
@Injectable()
export class WaitlistService {
  private readonly estimator: WaitEstimator;

  constructor(
    private readonly uow: UnitOfWork,
    config: AppConfig,
  ) {
    this.estimator = new TurnTimeEstimator({
      defaultTurnMinutes: config.defaultTurnMinutes,
      turnSampleSize: TURN_SAMPLE_SIZE,
    });
  }

  async snapshot(manager: EntityManager): Promise<WaitlistSnapshot> {
    // One after another: inside a transaction they share one connection.
    const waiting = await manager.find(GuestEntity, {
      where: { status: 'waiting' },
      order: { checkedInAt: 'ASC', id: 'ASC' },
    });
    const tables = await manager.find(TableEntity, { order: { capacity: 'ASC', label: 'ASC', id: 'ASC' } });
    const history = await this.turnHistory(manager);
    const floor = this.floorClasses(tables, history);
    const parties = waiting.map((guest) => ({ id: guest.id, partySize: guest.partySize }));
    return {
      waiting,
      positions: new Map(waiting.map((guest, index) => [guest.id, index + 1])),
      quotes: this.estimator.quote(parties, floor),
      tables,
      estimatesByClass: this.estimator.estimateByClass(parties, floor),
    };
  }

  /** The guest as the API shows it; `snapshot` is needed only for a waiting guest. */
  view(guest: GuestEntity, snapshot: WaitlistSnapshot | undefined): GuestSnapshot {
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
    const snapshot = guests.some((guest) => guest.status === 'waiting') ? await this.snapshot(manager) : undefined;
    return guests.map((guest) => this.view(guest, snapshot));
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
      const snapshot = await this.snapshot(manager);
      const byCapacity: Availability['byCapacity'] = {};
      for (const table of snapshot.tables) {
        const entry = (byCapacity[String(table.capacity)] ??= {
          total: 0,
          free: 0,
          estimatedWaitMinutes: snapshot.estimatesByClass.get(table.capacity) ?? 0,
        });
        entry.total += 1;
        if (table.status === 'free') entry.free += 1;
      }
      return {
        total: snapshot.tables.length,
        free: snapshot.tables.filter((table) => table.status === 'free').length,
        waiting: snapshot.waiting.length,
        byCapacity,
        tables: snapshot.tables.map((table) => ({
          id: table.id,
          label: table.label,
          capacity: table.capacity,
          status: table.status,
        })),
      };
    });
  }

  private floorClasses(tables: TableEntity[], history: Array<{ capacity: number; minutes: number }>): FloorClass[] {
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
  private async turnHistory(manager: EntityManager): Promise<Array<{ capacity: number; minutes: number }>> {
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
