import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { discovered } from '../common/discovered';
import { InvalidInputError } from '../common/errors';
import { newId } from '../common/ids';
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
import { type RecordSubscriber, SubscribesToRecords } from './record-subscriber';
import { ANY_DOMAIN_EVENT, type Notice, SignalBus } from './signals';

/**
 * A fixed advisory-lock key: on PostgreSQL every event-writing transaction takes it before
 * inserting, so `seq` order is commit order and the feed never hands out a cursor that a
 * later-committing event would fall behind.
 */
const EVENT_ORDER_LOCK_KEY = 727_274_001;

/**
 * NOTIFY channel on PostgreSQL: some instance committed a change. Every instance's live views
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

@Injectable()
export class EventsService {
  /** Found on first use, once every module's providers exist. */
  private subscribers: RecordSubscriber[] | undefined;

  constructor(
    @InjectRepository(EventEntity) private readonly events: Repository<EventEntity>,
    private readonly signals: SignalBus,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
  ) {}

  /**
   * The one writer of event rows: records the event in the caller's transaction, runs every
   * `@SubscribesToRecords()` provider in it (the webhooks outbox writes its delivery rows there),
   * and emits it in-process only after the transaction commits.
   */
  async record<K extends DomainEventType>(tx: Tx, type: K, data: DomainEvents[K]): Promise<RecordedEventOf<K>> {
    await this.enterCommitOrder(tx);
    const event: RecordedEventOf<K> = { id: newId('evt'), type, timestamp: new Date().toISOString(), data };
    await tx.manager.insert(EventEntity, {
      id: event.id,
      type: event.type,
      timestamp: event.timestamp,
      data: JSON.stringify(event.data),
    });
    this.subscribers ??= discovered<RecordSubscriber>(this.discovery, SubscribesToRecords, 'onRecorded');
    const recorded = asRecordedEvent(event);
    for (const subscriber of this.subscribers) await subscriber.onRecorded(tx, recorded);
    await this.notifyOtherInstances(tx);
    tx.afterCommit(() => {
      this.signals.emit(recorded.type, recorded);
      this.signals.emit(ANY_DOMAIN_EVENT, recorded);
    });
    return event;
  }

  /**
   * Takes this transaction's place in the commit order of event-writing transactions (on
   * PostgreSQL an advisory lock held until commit; SQLite already runs one writer at a time).
   * Services call it first thing when the data they derive must match the event order, for
   * example a check-in's place in line; `record` takes it anyway.
   */
  async enterCommitOrder(tx: Tx): Promise<void> {
    if (!this.config.isPostgres || tx.heldLocks.has('event-order')) return;
    await tx.manager.query('SELECT pg_advisory_xact_lock($1)', [EVENT_ORDER_LOCK_KEY]);
    tx.heldLocks.add('event-order');
  }

  /**
   * Emits an in-process notification after commit for a change that is not a domain event
   * (for example a new table), so live views refresh without inventing an event type.
   */
  async signal(tx: Tx, name: Notice): Promise<void> {
    await this.notifyOtherInstances(tx);
    tx.afterCommit(() => {
      this.signals.emit(name, undefined);
    });
  }

  /** Once per transaction on PostgreSQL; the database delivers it only if the transaction commits. */
  private async notifyOtherInstances(tx: Tx): Promise<void> {
    if (!this.config.isPostgres || tx.heldLocks.has('changes-notified')) return;
    tx.heldLocks.add('changes-notified');
    await tx.manager.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, '']);
  }

  /** The newest event's id (a cursor that skips all history), or null when there is none. */
  async latestId(): Promise<string | null> {
    const [latest] = await this.uow.read((manager) =>
      manager.find(EventEntity, { select: { id: true }, order: { seq: 'DESC' }, take: 1 }),
    );
    return latest?.id ?? null;
  }

  async feed(query: FeedQuery): Promise<FeedPage> {
    return this.uow.read(async (manager) => {
      let afterSeq = 0;
      if (query.after !== undefined) {
        const cursor = await manager.findOne(EventEntity, { where: { id: query.after }, select: { seq: true } });
        if (!cursor) {
          throw new InvalidInputError(`Unknown event id ${query.after}`, [
            { field: 'after', message: 'must be the id of an event in this feed' },
          ]);
        }
        afterSeq = cursor.seq;
      }
      const rows = await manager.find(EventEntity, {
        where: {
          seq: MoreThan(afterSeq),
          ...(query.types && query.types.length > 0 ? { type: In(query.types) } : {}),
        },
        order: { seq: 'ASC' },
        take: query.limit,
      });
      const data = rows.map(toRecordedEvent);
      return { data, next: data.length > 0 ? data[data.length - 1].id : (query.after ?? null) };
    });
  }
}

export function toRecordedEvent(row: EventEntity): RecordedEvent {
  if (!isDomainEventType(row.type)) {
    // Rows are only written by `record`, so this means the schema and the code disagree.
    throw new Error(`event ${row.id} has unknown type ${row.type}`);
  }
  // The data was written by `record` for this type, from the type's own class.
  const data: unknown = JSON.parse(row.data);
  return { id: row.id, type: row.type, timestamp: row.timestamp, data } as RecordedEvent;
}
