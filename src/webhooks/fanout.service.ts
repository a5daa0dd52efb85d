import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { base32Suffix, newIdRange } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { Tx } from '../database/unit-of-work';
import { RecordedEvent } from '../events/domain-events';
import { EventsService } from '../events/events.service';

/** Called after a transaction that created deliveries commits (the dispatcher wakes up). */
export type WakeUp = () => void;

/** NOTIFY channel on PostgreSQL: delivered at commit to every instance's dispatcher. */
export const DELIVERIES_CHANNEL = 'maitred_deliveries';

/**
 * A delivery per enabled endpoint whose filter matches ($3; `event_types` is the JSON array the
 * entity stores, empty meaning every type), each named by the id range $1 plus its row number.
 */
function fanoutSql(postgres: boolean): string {
  // SQLite's placeholders bind in order of appearance (see fanoutParams).
  const [range, eventId, type, now] = postgres ? ['$1', '$2', '$3::text', '$4'] : ['?', '?', '?', '?'];
  const matches = postgres
    ? `enabled AND (event_types::jsonb = '[]'::jsonb OR event_types::jsonb @> jsonb_build_array(${type}))`
    : `enabled = 1 AND (json_array_length(event_types) = 0 OR EXISTS (SELECT 1 FROM json_each(event_types) WHERE value = ${type}))`;
  return `
  INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, retry_step, next_attempt_at, created_at)
  SELECT ${range} || ${base32Suffix('m.n')}, ${eventId}, m.id, ${type}, 'pending', 0, 0, ${now}, ${now}
  FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM webhook_endpoints WHERE ${matches}) AS m`;
}

const FANOUT_POSTGRES = fanoutSql(true);
const FANOUT_SQLITE = fanoutSql(false);

function fanoutParams(postgres: boolean, range: string, event: RecordedEvent, now: string): string[] {
  return postgres ? [range, event.id, event.type, now] : [range, event.id, event.type, now, now, event.type];
}

/**
 * The transactional outbox: for every recorded event, one delivery row per matching enabled
 * endpoint is written in the same transaction as the event, so a crash can lose neither.
 */
@Injectable()
export class FanoutService implements OnModuleInit {
  private wake: WakeUp = () => undefined;

  constructor(
    private readonly events: EventsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.addRecordHook(async (tx, event) => {
      await this.fanOut(tx, event);
    });
  }

  onDeliveriesCommitted(wake: WakeUp): void {
    this.wake = wake;
  }

  /**
   * One statement whatever the number of endpoints: the matching endpoints are selected and their
   * deliveries inserted inside the database, with a constant number of bound parameters (a row per
   * endpoint bound from here ran into the dialects' parameter limits at a few thousand endpoints).
   */
  async fanOut(tx: Tx, event: RecordedEvent): Promise<number> {
    const runner = tx.manager.queryRunner;
    if (!runner) throw new Error('fan-out needs the transaction\'s query runner');
    const postgres = this.config.isPostgres;
    const params = fanoutParams(postgres, newIdRange('dlv'), event, this.clock.iso());
    const result = await runner.query(postgres ? FANOUT_POSTGRES : FANOUT_SQLITE, params, true);
    const created = result.affected ?? 0;
    if (created === 0) return 0;
    await this.deliveriesDue(tx);
    return created;
  }

  /**
   * Wakes dispatchers once this transaction commits: this instance's directly, the others
   * through NOTIFY on PostgreSQL (sent after the commit, see PgListener).
   */
  deliveriesDue(tx: Tx): Promise<void> {
    tx.notifyAfterCommit(DELIVERIES_CHANNEL);
    tx.afterCommit(() => this.wake());
    // Still a promise, so callers need not change if waking ever takes a round trip again.
    return Promise.resolve();
  }
}
