import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { AttemptEntity, DeliveryEntity } from './delivery.entity';
import { EndpointEntity } from './endpoint.entity';
import { EndpointsService } from './endpoints.service';
import { storableResponseBody } from './response-body';
import { nextRetryDelayMs } from './retry-policy';

/** A claimed delivery with the exact bytes to send. */
export interface ClaimedDelivery {
  delivery: DeliveryEntity;
  body: string;
}

/** What one attempt produced, as the sender saw it. */
export interface AttemptOutcome {
  at: string;
  statusCode: number | null;
  durationMs: number;
  /** null on success; otherwise the attempt's error class (AttemptResponse.error in /api/docs). */
  error: string | null;
  responseBody: string | null;
  /** From Retry-After on 429/503: the earliest next attempt. */
  retryAfterMs: number | null;
}

export interface CompletedAttempt {
  delivery: DeliveryEntity;
  outcome: AttemptOutcome;
}

/** A webhook_deliveries row as the database returns it. */
interface DeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  event_type: string;
  status: DeliveryEntity['status'];
  attempt_count: number | string;
  retry_step: number | string;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_status_code: number | string | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  payload: string | null;
}

interface EventRow {
  id: string;
  type: string;
  timestamp: string;
  data: string;
}

function deliveryFromRow(row: DeliveryRow): DeliveryEntity {
  return {
    id: row.id,
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    eventType: row.event_type,
    status: row.status,
    attemptCount: Number(row.attempt_count),
    retryStep: Number(row.retry_step),
    nextAttemptAt: row.next_attempt_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    payload: row.payload,
  };
}

/** A claimed delivery row with its event's columns (PostgreSQL claims both in one statement). */
interface ClaimedRow extends DeliveryRow {
  e_type?: string | null;
  e_timestamp?: string | null;
  e_data?: string | null;
}

/** The delivery and the exact body to send: `{ type, timestamp, data }` with `data` spliced in as stored. */
function claimedFromRow(row: ClaimedRow, event?: EventRow): ClaimedDelivery {
  const delivery = deliveryFromRow(row);
  if (delivery.payload !== null) return { delivery, body: delivery.payload };
  const type = event?.type ?? row.e_type;
  const timestamp = event?.timestamp ?? row.e_timestamp;
  const data = event?.data ?? row.e_data;
  // An outbox row always has its event: they are written in one transaction.
  if (type == null || timestamp == null || data == null) throw new Error(`delivery ${delivery.id} has no event ${delivery.eventId}`);
  return { delivery, body: `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(timestamp)},"data":${data}}` };
}

/** What one batch changes about an endpoint's health. */
type HealthChange = { id: string; failingSince: string | null } | { id: string; disable: string };

/** Rows as columns: unnest on PostgreSQL takes one array per column. */
function columns(rows: unknown[][], width: number): unknown[][] {
  return Array.from({ length: width }, (_, i) => rows.map((row) => row[i]));
}

/** The rows a raw statement returned (including an UPDATE's RETURNING), on either dialect. */
async function records<T>(tx: Tx, sql: string, params: unknown[]): Promise<T[]> {
  const runner = tx.manager.queryRunner;
  if (!runner) throw new Error('a raw statement needs the transaction\'s query runner');
  const result = await runner.query(sql, params, true);
  return (result.records ?? []) as T[];
}

// The hot statements of the outbox, written once per dialect: the query builder costs more than
// the database does for these, and they run for every batch of deliveries. Parameters travel as
// arrays (PostgreSQL, unnest) or one JSON array (SQLite, json_each), so the text never changes.

/**
 * Due deliveries of each wanted endpoint, oldest first, leased in the same statement, with their
 * events. The ids are gathered into an array first, so the update finds its rows through the
 * primary key whatever the planner's statistics say (a join here turns into a full scan once
 * ANALYZE has run).
 */
const CLAIM_POSTGRES = `
  WITH claimed AS (
    UPDATE webhook_deliveries SET lease_owner = $4, lease_expires_at = $5
    WHERE id = ANY(ARRAY(
      SELECT p.id
      FROM unnest($1::varchar[], $2::int[]) AS w(endpoint_id, n)
      CROSS JOIN LATERAL (
        SELECT d.id FROM webhook_deliveries d
        WHERE d.endpoint_id = w.endpoint_id AND d.status = 'pending' AND d.next_attempt_at <= $3
          AND (d.lease_expires_at IS NULL OR d.lease_expires_at < $3)
        ORDER BY d.next_attempt_at
        LIMIT w.n
        FOR UPDATE SKIP LOCKED
      ) p
    ))
    RETURNING *
  )
  SELECT c.*, e.type AS e_type, e."timestamp" AS e_timestamp, e.data AS e_data
  FROM claimed c LEFT JOIN events e ON e.id = c.event_id AND c.payload IS NULL`;

const CLAIM_SQLITE = `
  UPDATE webhook_deliveries SET lease_owner = ?, lease_expires_at = ?
  WHERE id IN (
    SELECT id FROM webhook_deliveries
    WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ?
      AND (lease_expires_at IS NULL OR lease_expires_at < ?)
    ORDER BY next_attempt_at
    LIMIT ?
  )
  RETURNING *`;

const EVENTS_SQLITE = `SELECT id, type, "timestamp", data FROM events WHERE id IN (SELECT value FROM json_each(?))`;

// Attempts are logged only for deliveries that still exist: an endpoint deleted while its attempt
// was in flight took its deliveries with it, and that one row must not fail the whole batch.
const INSERT_ATTEMPTS_POSTGRES = `
  INSERT INTO webhook_attempts (delivery_id, endpoint_id, at, status_code, duration_ms, error, response_body)
  SELECT a.* FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::int[], $5::int[], $6::varchar[], $7::text[])
    AS a(delivery_id, endpoint_id, at, status_code, duration_ms, error, response_body)
  WHERE EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = a.delivery_id)`;

const INSERT_ATTEMPTS_SQLITE = `
  INSERT INTO webhook_attempts (delivery_id, endpoint_id, at, status_code, duration_ms, error, response_body)
  SELECT value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]', value ->> '$[5]', value ->> '$[6]'
  FROM json_each(?) WHERE EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = value ->> '$[0]') ORDER BY key`;

/** Each delivery's new state from unnested arrays ($from … $from+7), where lease_owner = $from+8 still holds. */
function updateStatesPostgres(from: number): string {
  const p = (offset: number) => `$${from + offset}`;
  return `
  UPDATE webhook_deliveries AS d
  SET status = v.status, attempt_count = v.attempt_count, retry_step = v.retry_step,
      next_attempt_at = v.next_attempt_at, last_status_code = v.last_status_code, last_error = v.last_error,
      delivered_at = v.delivered_at, lease_owner = NULL, lease_expires_at = NULL
  FROM unnest(${p(0)}::varchar[], ${p(1)}::varchar[], ${p(2)}::int[], ${p(3)}::int[], ${p(4)}::varchar[], ${p(5)}::int[], ${p(6)}::varchar[], ${p(7)}::varchar[])
    AS v(id, status, attempt_count, retry_step, next_attempt_at, last_status_code, last_error, delivered_at)
  WHERE d.id = v.id AND d.lease_owner = ${p(8)}
  RETURNING d.id`;
}

/** The attempt log's rows ($1–$7) as a CTE in front of the state update. */
const LOG_ATTEMPTS_POSTGRES = `logged AS (${INSERT_ATTEMPTS_POSTGRES})`;

const RECORD_STATES_POSTGRES = updateStatesPostgres(1);

/** The attempt log and the new states as one statement ($1–$7 attempts, $8–$15 states, $16 worker). */
const RECORD_POSTGRES = `WITH ${LOG_ATTEMPTS_POSTGRES} ${updateStatesPostgres(8)}`;

/** RECORD_POSTGRES for a batch of successes, which also ends the failing streak of their endpoints ($17). */
const RECORD_SUCCESSES_POSTGRES = `WITH ${LOG_ATTEMPTS_POSTGRES}, healed AS (
    UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ANY($17::varchar[]) AND failing_since IS NOT NULL
  ) ${updateStatesPostgres(8)}`;

const HEAL_ENDPOINTS_SQLITE = `UPDATE webhook_endpoints SET failing_since = NULL WHERE id IN (SELECT value FROM json_each(?)) AND failing_since IS NOT NULL`;

/**
 * Each delivery's new state, only where this worker still holds the lease; returns the ids written.
 * On SQLite the unary `+` keeps the planner off the lease_owner index: through it, it would scan
 * every row this worker leases and re-read the whole JSON batch for each (quadratic).
 */
const RECORD_STATES_SQLITE = `
  UPDATE webhook_deliveries
  SET status = v.status, attempt_count = v.attempt_count, retry_step = v.retry_step,
      next_attempt_at = v.next_attempt_at, last_status_code = v.last_status_code, last_error = v.last_error,
      delivered_at = v.delivered_at, lease_owner = NULL, lease_expires_at = NULL
  FROM (
    SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS status, value ->> '$[2]' AS attempt_count,
           value ->> '$[3]' AS retry_step, value ->> '$[4]' AS next_attempt_at, value ->> '$[5]' AS last_status_code,
           value ->> '$[6]' AS last_error, value ->> '$[7]' AS delivered_at
    FROM json_each(?)
  ) AS v
  WHERE webhook_deliveries.id = v.id AND +webhook_deliveries.lease_owner = ?
  RETURNING id`;

/**
 * The delivery outbox's storage side: claiming due work under a lease, renewing and
 * releasing leases, and recording attempts with their consequences, each in one transaction.
 */
@Injectable()
export class DeliveryStore {
  private readonly postgres: boolean;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly endpoints: EndpointsService,
    private readonly dataSource: DataSource,
  ) {
    this.postgres = config.isPostgres;
  }

  /**
   * Claims up to `slots.get(endpointId)` due deliveries per endpoint, each endpoint through its
   * own index range, so a huge backlog at one endpoint costs the others nothing. This runs for
   * every batch of deliveries: one statement on PostgreSQL, one per endpoint on SQLite.
   */
  async claim(workerId: string, slots: Map<string, number>): Promise<ClaimedDelivery[]> {
    const wanted = [...slots].filter(([, limit]) => limit > 0);
    if (wanted.length === 0) return [];
    const now = this.clock.iso();
    const leaseExpiresAt = this.clock.iso(this.config.webhookLeaseMs);
    if (this.postgres) {
      // One statement, so one round trip, committing on its own (the lease is its only write).
      const params = [wanted.map(([id]) => id), wanted.map(([, limit]) => limit), now, workerId, leaseExpiresAt];
      const rows = await this.statement<ClaimedRow>(CLAIM_POSTGRES, params);
      return rows.map((row) => claimedFromRow(row));
    }
    return this.uow.run(async (tx) => {
      const rows: DeliveryRow[] = [];
      for (const [endpointId, limit] of wanted) {
        rows.push(...(await records<DeliveryRow>(tx, CLAIM_SQLITE, [workerId, leaseExpiresAt, endpointId, now, now, limit])));
      }
      const eventIds = [...new Set(rows.filter((row) => row.payload === null).map((row) => row.event_id))];
      const events = eventIds.length ? await records<EventRow>(tx, EVENTS_SQLITE, [JSON.stringify(eventIds)]) : [];
      const byId = new Map(events.map((event) => [event.id, event]));
      return rows.map((row) => claimedFromRow(row, byId.get(row.event_id)));
    });
  }

  /** Extends the lease of work this worker still has in flight. */
  async renewLeases(workerId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const leaseExpiresAt = this.clock.iso(this.config.webhookLeaseMs);
    if (this.postgres) {
      // Skips rows another transaction holds (this worker recording their outcome, which ends the
      // lease anyway): waiting for them while they wait for ours was a deadlock that could lose a batch.
      await this.uow.run((tx) =>
        tx.manager.query(
          `UPDATE webhook_deliveries SET lease_expires_at = $1
           WHERE id IN (SELECT id FROM webhook_deliveries WHERE id = ANY($2::varchar[]) AND lease_owner = $3 FOR UPDATE SKIP LOCKED)`,
          [leaseExpiresAt, ids, workerId],
        ),
      );
      return;
    }
    await this.uow.run((tx) => tx.manager.update(DeliveryEntity, { id: In(ids), leaseOwner: workerId }, { leaseExpiresAt }));
  }

  /** Gives work back at once, e.g. on shutdown or, for a lone SQLite instance, at start. */
  async releaseLeases(workerId: string | null, ids?: string[]): Promise<number> {
    return this.uow.run(async (tx) => {
      const result = await tx.manager.update(
        DeliveryEntity,
        {
          ...(workerId === null ? { leaseOwner: Not(IsNull()) } : { leaseOwner: workerId }),
          ...(ids ? { id: In(ids) } : {}),
        },
        { leaseOwner: null, leaseExpiresAt: null },
      );
      return result.affected ?? 0;
    });
  }

  /**
   * Records a batch of finished attempts atomically: the attempt log, the delivery's new state
   * (success, next retry, or failed), and the endpoint's health (410 and prolonged failure disable
   * it). Returns the deliveries as they now stand. The attempts and the new states are written
   * with one statement each whatever the batch size; on PostgreSQL a batch of successes is one
   * statement, and any other batch that changes no endpoint's health one after reading the endpoints.
   */
  async complete(workerId: string, completed: CompletedAttempt[]): Promise<DeliveryEntity[]> {
    if (completed.length === 0) return [];
    const endpointIds = [...new Set(completed.map(({ delivery }) => delivery.endpointId))];
    if (completed.every(({ outcome }) => outcome.error === null)) return this.completeSuccesses(workerId, completed, endpointIds);
    if (this.postgres) {
      const endpoints = await this.endpointsById(this.dataSource.manager, endpointIds);
      const { states, health } = this.decide(completed, endpoints);
      if (health.length === 0) {
        const params = [...columns(this.attemptRows(completed), 7), ...columns(this.stateRows(states), 8), workerId];
        const written = await this.statement<{ id: string }>(RECORD_POSTGRES, params);
        const recorded = new Set(written.map((row) => row.id));
        return states.filter((state) => recorded.has(state.id));
      }
    }
    return this.uow.run(async (tx) => {
      await this.insertAttempts(tx, completed);
      const { states, health } = this.decide(completed, await this.endpointsById(tx.manager, endpointIds));
      const recorded = await this.recordStates(tx, workerId, states);
      for (const change of health) await this.applyHealth(tx, change);
      // Someone retried or took over a delivery meanwhile: its attempt is logged, their state stands.
      return states.filter((state) => recorded.has(state.id));
    });
  }

  /**
   * The common batch, every attempt a success: its outcome does not depend on the endpoint's state
   * (the delivery has succeeded, any run of failures is over), so nothing needs reading first.
   */
  private async completeSuccesses(workerId: string, completed: CompletedAttempt[], endpointIds: string[]): Promise<DeliveryEntity[]> {
    const states = completed.map(({ delivery, outcome }) => ({ ...delivery, ...this.nextState(delivery, outcome, true) }));
    let recorded: Set<string>;
    if (this.postgres) {
      const params = [...columns(this.attemptRows(completed), 7), ...columns(this.stateRows(states), 8), workerId, endpointIds];
      const written = await this.statement<{ id: string }>(RECORD_SUCCESSES_POSTGRES, params);
      recorded = new Set(written.map((row) => row.id));
    } else {
      recorded = await this.uow.run(async (tx) => {
        await this.insertAttempts(tx, completed);
        const ids = await this.recordStates(tx, workerId, states);
        await tx.manager.query(HEAL_ENDPOINTS_SQLITE, [JSON.stringify(endpointIds)]);
        return ids;
      });
    }
    return states.filter((state) => recorded.has(state.id));
  }

  /**
   * One statement outside any transaction (it commits on its own), returning its rows: the
   * query runner's structured result, since a bare query() answers an UPDATE with [rows, count].
   */
  private async statement<T>(sql: string, params: unknown[]): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, params, true);
      return (result.records ?? []) as T[];
    } finally {
      await runner.release();
    }
  }

  private async endpointsById(manager: EntityManager, ids: string[]): Promise<Map<string, EndpointEntity>> {
    return new Map((await manager.find(EndpointEntity, { where: { id: In(ids) } })).map((e) => [e.id, e]));
  }

  /**
   * Each delivery's next state and the endpoints' health changes, decided in order as the attempts
   * finished: an earlier attempt's 410 means no retry for the later ones of that endpoint.
   */
  private decide(completed: CompletedAttempt[], endpoints: Map<string, EndpointEntity>): { states: DeliveryEntity[]; health: HealthChange[] } {
    const states: DeliveryEntity[] = [];
    const health: HealthChange[] = [];
    for (const { delivery, outcome } of completed) {
      const endpoint = endpoints.get(delivery.endpointId);
      // A disabled endpoint's in-flight attempt still counts, but it is not tried again.
      states.push({ ...delivery, ...this.nextState(delivery, outcome, endpoint?.enabled !== false) });
      const change = endpoint ? this.healthChange(endpoint, outcome) : null;
      if (change) health.push(change);
    }
    return { states, health };
  }

  /** webhook_attempts rows: delivery_id, endpoint_id, at, status_code, duration_ms, error, response_body. */
  private attemptRows(completed: CompletedAttempt[]): unknown[][] {
    return completed.map(({ delivery, outcome }) => [
      delivery.id,
      delivery.endpointId,
      outcome.at,
      outcome.statusCode,
      outcome.durationMs,
      outcome.error,
      storableResponseBody(outcome.responseBody),
    ]);
  }

  /** id and the columns a recorded attempt changes, in the order of the RECORD_* statements. */
  private stateRows(states: DeliveryEntity[]): unknown[][] {
    return states.map((d) => [d.id, d.status, d.attemptCount, d.retryStep, d.nextAttemptAt, d.lastStatusCode, d.lastError, d.deliveredAt]);
  }

  private async insertAttempts(tx: Tx, completed: CompletedAttempt[]): Promise<void> {
    const rows = this.attemptRows(completed);
    if (this.postgres) await tx.manager.query(INSERT_ATTEMPTS_POSTGRES, columns(rows, 7));
    else await tx.manager.query(INSERT_ATTEMPTS_SQLITE, [JSON.stringify(rows)]);
  }

  /** Writes each delivery's new state if this worker still holds its lease; returns the ids written. */
  private async recordStates(tx: Tx, workerId: string, states: DeliveryEntity[]): Promise<Set<string>> {
    const rows = this.stateRows(states);
    const written = this.postgres
      ? await records<{ id: string }>(tx, RECORD_STATES_POSTGRES, [...columns(rows, 8), workerId])
      : await records<{ id: string }>(tx, RECORD_STATES_SQLITE, [JSON.stringify(rows), workerId]);
    return new Set(written.map((row) => row.id));
  }

  private nextState(delivery: DeliveryEntity, outcome: AttemptOutcome, mayRetry: boolean): Partial<DeliveryEntity> {
    const common = {
      attemptCount: delivery.attemptCount + 1,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      leaseOwner: null,
      leaseExpiresAt: null,
    };
    if (outcome.error === null) {
      return { ...common, status: 'succeeded', deliveredAt: outcome.at, nextAttemptAt: null };
    }
    const delay =
      outcome.statusCode === 410 || !mayRetry ? null : nextRetryDelayMs(delivery.retryStep, this.config.webhookRetryScheduleMs);
    if (delay === null) return { ...common, status: 'failed', nextAttemptAt: null };
    const wait = Math.max(delay, outcome.retryAfterMs ?? 0);
    return {
      ...common,
      status: 'pending',
      retryStep: delivery.retryStep + 1,
      nextAttemptAt: new Date(Date.parse(outcome.at) + wait).toISOString(),
    };
  }

  /**
   * The endpoint's health after this outcome: updates the in-memory endpoint at once (so later
   * attempts in the same batch see it) and returns the change to record, if any.
   */
  private healthChange(endpoint: EndpointEntity, outcome: AttemptOutcome): HealthChange | null {
    const { id } = endpoint;
    if (outcome.error === null) {
      if (endpoint.failingSince === null) return null;
      endpoint.failingSince = null;
      return { id, failingSince: null };
    }
    if (!endpoint.enabled) return null;
    if (outcome.statusCode === 410) {
      endpoint.enabled = false;
      return { id, disable: `the endpoint answered 410 Gone at ${outcome.at}` };
    }
    if (endpoint.failingSince === null) {
      endpoint.failingSince = outcome.at;
      return { id, failingSince: outcome.at };
    }
    const failingForMs = Date.parse(outcome.at) - Date.parse(endpoint.failingSince);
    if (failingForMs < this.config.webhookDisableAfterMs) return null;
    endpoint.enabled = false;
    return { id, disable: `every delivery failed since ${endpoint.failingSince} (WEBHOOK_DISABLE_AFTER)` };
  }

  private async applyHealth(tx: Tx, change: HealthChange): Promise<void> {
    if ('disable' in change) await this.endpoints.disableIn(tx, change.id, change.disable);
    else await tx.manager.update(EndpointEntity, { id: change.id }, { failingSince: change.failingSince });
  }
}
