import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { In, MoreThan } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { InvalidInputError } from '../common/errors';
import { newId } from '../common/ids';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { ANY_DOMAIN_EVENT, DomainEvents, DomainEventType, RecordedEvent, isDomainEventType } from './domain-events';
import { EventEntity } from './event.entity';

/** Runs inside the recording transaction for every event (the webhooks module writes delivery rows here). */
export type RecordHook = (tx: Tx, event: RecordedEvent) => Promise<void>;

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
  private readonly hooks: RecordHook[] = [];

  constructor(
    private readonly emitter: EventEmitter2,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Lets another module add rows in the same transaction as each recorded event. */
  addRecordHook(hook: RecordHook): void {
    this.hooks.push(hook);
  }

  /**
   * The one writer of event rows: records the event in the caller's transaction, runs the
   * record hooks in it, and emits it in-process only after the transaction commits.
   */
  async record<K extends DomainEventType>(tx: Tx, type: K, data: DomainEvents[K]): Promise<RecordedEvent<K>> {
    await this.enterCommitOrder(tx);
    const event: RecordedEvent<K> = { id: newId('evt'), type, timestamp: this.clock.iso(), data };
    await tx.manager.insert(EventEntity, {
      id: event.id,
      type: event.type,
      timestamp: event.timestamp,
      data: JSON.stringify(event.data),
    });
    for (const hook of this.hooks) await hook(tx, event);
    await this.notifyOtherInstances(tx);
    tx.afterCommit(() => {
      this.emitter.emit(type, event);
      this.emitter.emit(ANY_DOMAIN_EVENT, event);
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
  async signal(tx: Tx, name: string): Promise<void> {
    await this.notifyOtherInstances(tx);
    tx.afterCommit(() => this.emitter.emit(name));
  }

  /** Once per transaction on PostgreSQL; the database delivers it only if the transaction commits. */
  private async notifyOtherInstances(tx: Tx): Promise<void> {
    if (!this.config.isPostgres || !tx.once('changes-notified')) return;
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
  return { id: row.id, type: row.type, timestamp: row.timestamp, data: JSON.parse(row.data) as DomainEvents[typeof row.type] };
}
