/**
 * Claiming due deliveries under a lease, per endpoint, oldest first. These run for every batch of
 * deliveries, so they are written once per dialect rather than through the query builder.
 */

/**
 * Due deliveries of each wanted endpoint, oldest first, leased in the same statement, with their
 * events. The ids are gathered into an array first, so the update finds its rows through the
 * primary key whatever the planner's statistics say (a join here turns into a full scan once
 * ANALYZE has run).
 */
export const CLAIM_POSTGRES = `
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

export const CLAIM_SQLITE = `
  UPDATE webhook_deliveries SET lease_owner = ?, lease_expires_at = ?
  WHERE id IN (
    SELECT id FROM webhook_deliveries
    WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ?
      AND (lease_expires_at IS NULL OR lease_expires_at < ?)
    ORDER BY next_attempt_at
    LIMIT ?
  )
  RETURNING *`;

/** The events of claimed outbox rows (PostgreSQL joins them in the claim itself). */
export const EVENTS_SQLITE = `SELECT id, type, "timestamp", data FROM events WHERE id IN (SELECT value FROM json_each(?))`;

/** CLAIM_POSTGRES's parameters, in its order: endpoint ids and limits, now, the worker, its lease's end. */
export function claimParamsPostgres(
  wanted: readonly [string, number][],
  now: string,
  workerId: string,
  leaseExpiresAt: string,
): unknown[] {
  return [wanted.map(([id]) => id), wanted.map(([, limit]) => limit), now, workerId, leaseExpiresAt];
}

/** CLAIM_SQLITE's parameters for one endpoint, in order of appearance. */
export function claimParamsSqlite(
  endpointId: string,
  limit: number,
  now: string,
  workerId: string,
  leaseExpiresAt: string,
): unknown[] {
  return [workerId, leaseExpiresAt, endpointId, now, now, limit];
}
