import type { RateState } from '../rate-limit';

/**
 * The rate limit's token buckets on webhook_endpoints (see rate-limit.ts). A claim reads the
 * buckets of the limited endpoints it wants rows of, locked on PostgreSQL (in id order, so two
 * instances cannot deadlock) until its transaction writes back what is left; SQLite's units of
 * work run one at a time, which is the same guarantee.
 */

const COLUMNS = 'id, rate_limit_per_second, rate_effective, rate_tokens, rate_refilled_at, rate_throttled_at';

/**
 * On PostgreSQL the bucket is refilled by the database's clock, read in the same statement: the
 * instances' clocks may differ, and a bucket refilled by one and drawn by another would gain
 * whatever their skew is each time claims alternate between them faster than it.
 */
export const RATE_STATE_POSTGRES = `SELECT ${COLUMNS}, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::double precision AS db_now_ms
  FROM webhook_endpoints WHERE id = ANY($1::varchar[]) ORDER BY id FOR UPDATE`;
export const RATE_STATE_SQLITE = `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`;

/** RATE_STATE_*'s parameters: the endpoint ids. */
export function rateStateParams(postgres: boolean, endpointIds: readonly string[]): unknown[] {
  return [postgres ? endpointIds : JSON.stringify(endpointIds)];
}

/** What is left in one endpoint's bucket after a claim took its rows. */
export const SPEND_TOKENS_POSTGRES = `UPDATE webhook_endpoints SET rate_tokens = $1, rate_refilled_at = $2 WHERE id = $3`;
export const SPEND_TOKENS_SQLITE = `UPDATE webhook_endpoints SET rate_tokens = ?, rate_refilled_at = ? WHERE id = ?`;

/** SPEND_TOKENS_*'s parameters (the same order on both dialects). */
export function spendTokensParams(tokens: number, refilledAt: number, endpointId: string): unknown[] {
  return [tokens, refilledAt, endpointId];
}

/** One endpoint's adapted rate after a batch of attempts (429/502/504 halve it, successes raise it). */
export const ADAPT_RATE_POSTGRES = `UPDATE webhook_endpoints SET rate_effective = $1, rate_throttled_at = $2 WHERE id = $3`;
export const ADAPT_RATE_SQLITE = `UPDATE webhook_endpoints SET rate_effective = ?, rate_throttled_at = ? WHERE id = ?`;

/** ADAPT_RATE_*'s parameters (the same order on both dialects). */
export function adaptRateParams(effective: number | null, throttledAt: number | null, endpointId: string): unknown[] {
  return [effective, throttledAt, endpointId];
}

/** A row of RATE_STATE_*; PostgreSQL's double precision arrives as a number, as SQLite's REAL does. */
export interface RateRow {
  id: string;
  rate_limit_per_second: number | null;
  rate_effective: number | null;
  rate_tokens: number | null;
  rate_refilled_at: number | null;
  rate_throttled_at: number | null;
  /** PostgreSQL only: the database's clock, epoch milliseconds. */
  db_now_ms?: number;
}

/** A row's rate-limit state, as rate-limit.ts reasons about it. */
export function rateStateOf(row: RateRow): RateState {
  return {
    limit: row.rate_limit_per_second,
    effective: row.rate_effective,
    tokens: row.rate_tokens,
    refilledAt: row.rate_refilled_at,
    throttledAt: row.rate_throttled_at,
  };
}
