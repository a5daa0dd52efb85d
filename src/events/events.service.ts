import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Clock } from '../common/clock';
import { EntityManager, FindOptionsSelect, In, MoreThan } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { discovered } from '../common/discovered';
import { InvalidInputError } from '../common/errors';
import { newId } from '../common/ids';
import { currentTraceparent } from '../common/trace-scope';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import {
  asRecordedEvent,
  DomainEvents,
  DomainEventType,
  RecordedEvent,
  RecordedEventOf,
  isDomainEventType,
} from './domain-events';
import { EventEntity } from './event.entity';
import { eraseGuestFromEventData } from './erasure';
import { type RecordSubscriber, SubscribesToRecords } from './record-subscriber';
import { ANY_DOMAIN_EVENT, type Notice, SignalBus } from './signals';

/**
 * NOTIFY topic on PostgreSQL: some instance committed a change. Every instance's live views
 * (availability, waitlist, guests' places) refresh their own clients from it.
 */
export const CHANGES_CHANNEL = 'maitred_changes';

export interface FeedQuery {
  after?: string;
  limit: number;
  types?: DomainEventType[];
}

export interface FeedPage {
  data: RecordedEvent[];
  next: string | null;
}

/** A page for a reader that follows the feed (the live tail), which must know when to look again. */
export interface TailPage extends FeedPage {
  /**
   * Events have committed after this page that the feed still holds back, behind a transaction
   * that began writing before them and is still open (PostgreSQL). That transaction may end
   * without a notification (a rollback, or a transaction that records no event), so the reader
   * should look again shortly rather than wait for one.
   */
  held: boolean;
}

/**
 * The oldest transaction id that may still write events to this database, as `xmin` (a bigint):
 * the statement snapshot's xmin, except that a transaction positively running in another database
 * of the same server is passed over. That is always safe to skip, since it cannot write to this
 * database's events table; anything not positively known to be elsewhere (finished since the
 * snapshot, or hidden from this role by pg_stat_activity's privileges) still counts, as before.
 * Without this, every test database on one server, or every other application's database on a
 * shared one, held the feed back with its own open transactions. `backend_xid` is a 32-bit xid and
 * the snapshot's are 64-bit (epoch and xid), hence the comparison modulo 2^32: the ids in
 * progress at once lie within 2^31 of each other, so they are unique modulo 2^32.
 */
const HORIZON_POSTGRES = `
  SELECT COALESCE(
    (SELECT min(x::text::bigint)
     FROM pg_snapshot_xip(pg_current_snapshot()) AS x
     WHERE NOT EXISTS (
       SELECT 1 FROM pg_stat_activity a
       WHERE a.backend_xid IS NOT NULL
         AND a.backend_xid::text::bigint = x::text::bigint % 4294967296
         AND a.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database()))),
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint) AS xmin`;

/**
 * The PostgreSQL feed: events ordered by (writing transaction id, seq), and only those whose
 * transaction is older than the oldest transaction still writing (the snapshot's xmin).
 *
 * Why that never skips: `seq` is taken at insert, not at commit, so on PostgreSQL (no global lock)
 * an event with a lower `seq` can commit after one with a higher `seq`, and a transaction's id is
 * assigned at its first write, not at its event insert, so neither order alone is commit order.
 * But transaction ids are handed out in increasing order, and xmin (`pg_snapshot_xmin`) is the
 * oldest id still in progress when the statement's snapshot was taken (narrowed to this database
 * by HORIZON_POSTGRES): every transaction with a
 * lower id has ended, so its events are either in this snapshot (it committed) or never will be
 * (it rolled back). Any event that becomes visible later therefore has a transaction id ≥ this
 * xmin, which is above every event this query returns, so it sorts after every cursor handed
 * out from it. A later query's xmin is never lower (a transaction in progress then was either in
 * progress now or got its id later), so pages compose. Ordering by `seq` with the same filter
 * would not be enough: a transaction that got its id early (xid 99) but inserted its event late
 * (seq 11) could commit and pass the filter while one with xid 100 and seq 10 is still open.
 *
 * What this order is: within a transaction, insert order; between transactions, the order in
 * which they made their first write. A transaction that read another's committed change got its
 * id after that commit only if it had not written yet, hence the rule "take every lock before the
 * first write" (src/database/locks.ts), which makes changes of one guest or table appear in the
 * order they were made. The price: an event is held back while any older transaction is still
 * writing (typically milliseconds; webhooks are not held back, they are sent right after commit).
 *
 * `held` is computed in the same statement (same snapshot), so a reader that sees `false` cannot
 * have missed a release that happened between two queries.
 *
 * The xmin used is HORIZON_POSTGRES's, not the server-wide one: see there.
 */
const FEED_POSTGRES = (typed: boolean) => `
  WITH horizon AS (${HORIZON_POSTGRES}),
  page AS (
    SELECT e.seq, e.id, e.type, e."timestamp", e.data, e.xact_id
    FROM events e, horizon h
    WHERE e.xact_id < h.xmin AND (e.xact_id, e.seq) > ($1::bigint, $2::integer)${typed ? ' AND e.type = ANY($4::varchar[])' : ''}
    ORDER BY e.xact_id, e.seq
    LIMIT $3
  )
  SELECT page.*, EXISTS (SELECT 1 FROM events e, horizon h WHERE e.xact_id >= h.xmin) AS held
  FROM horizon LEFT JOIN page ON true
  ORDER BY page.xact_id, page.seq`;

/** The newest event below the horizon (see FEED_POSTGRES): a cursor that skips history but nothing after it. */
/**
 * The event insert as fixed text: through the entity manager it was a query build and, for the
 * generated `seq`, a second statement reading it back, on every change; nothing here needs `seq`.
 * `xact_id` is left to its column default (PostgreSQL).
 */
const INSERT_EVENT = {
  sqlite: 'INSERT INTO events (id, type, "timestamp", data, trace_context) VALUES (?, ?, ?, ?, ?)',
  postgres: 'INSERT INTO events (id, type, "timestamp", data, trace_context) VALUES ($1, $2, $3, $4, $5)',
} as const;

const LATEST_POSTGRES = `
  SELECT e.id FROM events e
  WHERE e.xact_id < (${HORIZON_POSTGRES})
  ORDER BY e.xact_id DESC, e.seq DESC
  LIMIT 1`;

interface FeedRow {
  seq: number;
  id: string | null;
  type: string;
  timestamp: string;
  data: string;
  held?: boolean;
}

@Injectable()
export class EventsService {
  /** Found on first use, once every module's providers exist. */
  private subscribers: RecordSubscriber[] | undefined;

  constructor(
    private readonly signals: SignalBus,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly clock: Clock,
  ) {}

  /**
   * The one writer of event rows: records the event in the caller's transaction, runs every
   * `@SubscribesToRecords()` provider in it (the webhooks outbox writes its delivery rows there),
   * and emits it in-process only after the transaction commits.
   */
  async record<K extends DomainEventType>(tx: Tx, type: K, data: DomainEvents[K]): Promise<RecordedEventOf<K>> {
    const event: RecordedEventOf<K> = { id: newId('evt'), type, timestamp: this.clock.iso(), data };
    const context = { traceContext: currentTraceparent() ?? null };
    await tx.manager.query(this.config.isPostgres ? INSERT_EVENT.postgres : INSERT_EVENT.sqlite, [
      event.id,
      event.type,
      event.timestamp,
      JSON.stringify(event.data),
      context.traceContext,
    ]);
    this.subscribers ??= discovered<RecordSubscriber>(this.discovery, SubscribesToRecords, 'onRecorded');
    const recorded = asRecordedEvent(event);
    for (const subscriber of this.subscribers) await subscriber.onRecorded(tx, recorded, context);
    tx.notifyAfterCommit(CHANGES_CHANNEL);
    tx.afterCommit(() => {
      this.signals.emit(recorded.type, recorded);
      this.signals.emit(ANY_DOMAIN_EVENT, recorded);
    });
    return event;
  }

  /**
   * Emits an in-process notification after commit for a change that is not a domain event
   * (for example a new table), so live views refresh without inventing an event type.
   */
  signal(tx: Tx, name: Notice): void {
    tx.notifyAfterCommit(CHANGES_CHANNEL);
    tx.afterCommit(() => {
      this.signals.emit(name, undefined);
    });
  }

  /**
   * Removes one guest's personal data from every stored event, in the caller's transaction (see
   * erasure.ts). Deliveries build their body from the stored event when they are sent, so pending
   * ones send the erased data. The candidates are found by the id in the JSON text (a scan of the
   * events table, which retention keeps bounded); the pure rule decides what changes.
   */
  async eraseGuest(tx: Tx, guestId: string): Promise<number> {
    const rows = await tx.manager
      .createQueryBuilder(EventEntity, 'e')
      .select(['e.seq', 'e.type', 'e.data'])
      .where('e.data LIKE :pattern', { pattern: `%"${guestId}"%` })
      .getMany();
    let changed = 0;
    for (const row of rows) {
      const data = eraseGuestFromEventData(row.type, row.data, guestId);
      if (data === null) continue;
      await tx.manager.update(EventEntity, { seq: row.seq }, { data });
      changed += 1;
    }
    return changed;
  }

  /** The newest event's id (a cursor that skips all history), or null when there is none. */
  async latestId(): Promise<string | null> {
    if (this.config.isPostgres) {
      const rows = await this.uow.read((manager) => manager.query<{ id: string }[]>(LATEST_POSTGRES));
      return rows.at(0)?.id ?? null;
    }
    const rows = await this.uow.read((manager) =>
      manager.find(EventEntity, { select: { id: true }, order: { seq: 'DESC' }, take: 1 }),
    );
    return rows.at(0)?.id ?? null;
  }

  /** Events in commit order after the `after` cursor; `next` is the cursor for the following page. */
  async feed(query: FeedQuery): Promise<FeedPage> {
    const { data, next } = await this.tail(query);
    return { data, next };
  }

  /** `feed` for a reader that follows it: says whether committed events are still held back. */
  async tail(query: FeedQuery): Promise<TailPage> {
    return this.uow.read(async (manager) => {
      if (this.config.isPostgres) return this.feedPostgres(manager, query);
      let afterSeq = 0;
      if (query.after !== undefined) afterSeq = (await this.cursor(manager, query.after, { seq: true })).seq;
      const rows = await manager.find(EventEntity, {
        where: {
          seq: MoreThan(afterSeq),
          ...(query.types && query.types.length > 0 ? { type: In(query.types) } : {}),
        },
        order: { seq: 'ASC' },
        take: query.limit,
      });
      const data = rows.map(toRecordedEvent);
      return { data, next: data.length > 0 ? data[data.length - 1].id : (query.after ?? null), held: false };
    });
  }

  private async feedPostgres(manager: EntityManager, query: FeedQuery): Promise<TailPage> {
    let after: [string, number] = ['-1', 0];
    if (query.after !== undefined) {
      const cursor = await this.cursor(manager, query.after, { seq: true, xactId: true });
      after = [cursor.xactId ?? '0', cursor.seq];
    }
    const typed = query.types !== undefined && query.types.length > 0;
    const rows = await manager.query<FeedRow[]>(FEED_POSTGRES(typed), [...after, query.limit, ...(typed ? [query.types] : [])]);
    // With nothing to return, the one row carries only `held` (the left join's empty side).
    const data = rows.filter((row): row is FeedRow & { id: string } => row.id !== null).map(toRecordedEvent);
    return { data, next: data.length > 0 ? data[data.length - 1].id : (query.after ?? null), held: rows[0]?.held === true };
  }

  private async cursor(manager: EntityManager, id: string, select: FindOptionsSelect<EventEntity>): Promise<EventEntity> {
    const cursor = await manager.findOne(EventEntity, { where: { id }, select });
    if (!cursor) {
      // Events older than RETENTION are deleted, so an old cursor ends up here too: say so.
      throw new InvalidInputError(
        `Unknown event id ${id}: not in the feed, or deleted after RETENTION; start again without after`,
        [{ field: 'after', message: 'must be the id of an event in this feed (events older than RETENTION are deleted)' }],
      );
    }
    return cursor;
  }
}

export function toRecordedEvent(row: Pick<EventEntity, 'id' | 'type' | 'timestamp' | 'data'>): RecordedEvent {
  if (!isDomainEventType(row.type)) {
    // Rows are only written by `record`, so this means the schema and the code disagree.
    throw new Error(`event ${row.id} has unknown type ${row.type}`);
  }
  // The data was written by `record` for this type, from the type's own class.
  const data: unknown = JSON.parse(row.data);
  return { id: row.id, type: row.type, timestamp: row.timestamp, data } as RecordedEvent;
}
