/**
 * Recording finished attempts: the attempt log, each delivery's new state, and the end of its
 * endpoints' failing streak. Written once per dialect, since they run for every batch of
 * attempts; each batch binds a constant number of parameters whatever its size.
 */
import type { CompletedAttempt } from '../delivery-policy';
import type { Delivery } from '../delivery.entity';
import { storableResponseBody } from '../response-body';
import { batchArrays, batchJson, type BatchColumn, columnNames, jsonEachBatch, unnestBatch } from './columns';

/** webhook_attempts rows; the response body as it may be stored (see response-body.ts). */
const ATTEMPT_COLUMNS: readonly BatchColumn<CompletedAttempt>[] = [
  { name: 'delivery_id', pgType: 'varchar', value: ({ delivery }) => delivery.id },
  { name: 'endpoint_id', pgType: 'varchar', value: ({ delivery }) => delivery.endpointId },
  { name: 'at', pgType: 'varchar', value: ({ outcome }) => outcome.at },
  { name: 'status_code', pgType: 'int', value: ({ outcome }) => outcome.statusCode },
  { name: 'duration_ms', pgType: 'int', value: ({ outcome }) => outcome.durationMs },
  { name: 'error', pgType: 'varchar', value: ({ outcome }) => outcome.error },
  { name: 'response_body', pgType: 'text', value: ({ outcome }) => storableResponseBody(outcome.responseBody) },
];

/** The id and every column a recorded attempt changes in webhook_deliveries (the lease always ends). */
const STATE_COLUMNS: readonly BatchColumn<Delivery>[] = [
  { name: 'id', pgType: 'varchar', value: (d) => d.id },
  { name: 'status', pgType: 'varchar', value: (d) => d.status },
  { name: 'attempt_count', pgType: 'int', value: (d) => d.attemptCount },
  { name: 'retry_step', pgType: 'int', value: (d) => d.retryStep },
  { name: 'next_attempt_at', pgType: 'varchar', value: (d) => d.nextAttemptAt },
  { name: 'last_status_code', pgType: 'int', value: (d) => d.lastStatusCode },
  { name: 'last_error', pgType: 'varchar', value: (d) => d.lastError },
  { name: 'delivered_at', pgType: 'varchar', value: (d) => d.deliveredAt },
];

const SET_STATE = [
  ...STATE_COLUMNS.filter((column) => column.name !== 'id').map((column) => `${column.name} = v.${column.name}`),
  'lease_owner = NULL',
  'lease_expires_at = NULL',
].join(', ');

// Parameter positions on PostgreSQL, from the column lists: attempts, states, worker, healed endpoints.
const ATTEMPTS_FROM = 1;
const STATES_FROM = ATTEMPTS_FROM + ATTEMPT_COLUMNS.length;
const WORKER_PARAM = STATES_FROM + STATE_COLUMNS.length;
const HEALED_PARAM = WORKER_PARAM + 1;

// Attempts are logged only for deliveries that still exist: an endpoint deleted while its attempt
// was in flight took its deliveries with it, and that one row must not fail the whole batch.
const INSERT_ATTEMPTS_POSTGRES = `
  INSERT INTO webhook_attempts (${columnNames(ATTEMPT_COLUMNS)})
  SELECT a.* FROM ${unnestBatch(ATTEMPT_COLUMNS, ATTEMPTS_FROM, 'a')}
  WHERE EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = a.delivery_id)`;

export const INSERT_ATTEMPTS_SQLITE = `
  INSERT INTO webhook_attempts (${columnNames(ATTEMPT_COLUMNS)})
  SELECT ${columnNames(ATTEMPT_COLUMNS)} FROM (${jsonEachBatch(ATTEMPT_COLUMNS)}) AS a
  WHERE EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = a.delivery_id) ORDER BY a.row_order`;

/** Each delivery's new state where this worker still holds the lease; returns the ids written. */
const UPDATE_STATES_POSTGRES = `
  UPDATE webhook_deliveries AS d SET ${SET_STATE}
  FROM ${unnestBatch(STATE_COLUMNS, STATES_FROM, 'v')}
  WHERE d.id = v.id AND d.lease_owner = $${WORKER_PARAM}
  RETURNING d.id`;

/**
 * As on PostgreSQL. The unary `+` keeps SQLite's planner off the lease_owner index: through it, it
 * would scan every row this worker leases and re-read the whole JSON batch for each (quadratic).
 */
export const UPDATE_STATES_SQLITE = `
  UPDATE webhook_deliveries SET ${SET_STATE}
  FROM (${jsonEachBatch(STATE_COLUMNS)}) AS v
  WHERE webhook_deliveries.id = v.id AND +webhook_deliveries.lease_owner = ?
  RETURNING id`;

/** A success ends the failing streak and closes the circuit breaker (see circuit-breaker.ts). */
const HEAL = 'failing_since = NULL, consecutive_failures = 0, breaker_opens = 0, paused_until = NULL';
const UNHEALED = '(failing_since IS NOT NULL OR consecutive_failures > 0 OR breaker_opens > 0 OR paused_until IS NOT NULL)';

/** The attempt log and the new states as one statement. */
export const RECORD_POSTGRES = `WITH logged AS (${INSERT_ATTEMPTS_POSTGRES}) ${UPDATE_STATES_POSTGRES}`;

/** RECORD_POSTGRES for a batch of successes, which also ends the failing streak of their endpoints. */
export const RECORD_SUCCESSES_POSTGRES = `WITH logged AS (${INSERT_ATTEMPTS_POSTGRES}), healed AS (
    UPDATE webhook_endpoints SET ${HEAL} WHERE id = ANY($${HEALED_PARAM}::varchar[]) AND ${UNHEALED}
  ) ${UPDATE_STATES_POSTGRES}`;

export const HEAL_ENDPOINTS_SQLITE = `
  UPDATE webhook_endpoints SET ${HEAL} WHERE id IN (SELECT value FROM json_each(?)) AND ${UNHEALED}`;

/** The parameters of RECORD_POSTGRES, or of RECORD_SUCCESSES_POSTGRES with `healed`. */
export function recordParamsPostgres(
  completed: readonly CompletedAttempt[],
  states: readonly Delivery[],
  workerId: string,
  healed?: readonly string[],
): unknown[] {
  const params = [...batchArrays(ATTEMPT_COLUMNS, completed), ...batchArrays(STATE_COLUMNS, states), workerId];
  return healed ? [...params, healed] : params;
}

export function insertAttemptsSqliteParams(completed: readonly CompletedAttempt[]): unknown[] {
  return [batchJson(ATTEMPT_COLUMNS, completed)];
}

export function updateStatesSqliteParams(states: readonly Delivery[], workerId: string): unknown[] {
  return [batchJson(STATE_COLUMNS, states), workerId];
}
