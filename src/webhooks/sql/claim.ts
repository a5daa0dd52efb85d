/**
 * Claiming due deliveries under a lease, per endpoint, oldest first. These run for every batch of
 * deliveries, so they are written once per dialect rather than through the query builder.
 */

/**
 * The endpoint's circuit breaker is open (see circuit-breaker.ts) and this claim did not win its
 * probe: none of its deliveries may be claimed, by any instance.
 */
function paused(endpoint: string, probing: string, postgres: boolean): string {
  const probed = postgres ? `e.id = ANY(${probing})` : `e.id IN (SELECT value FROM json_each(${probing}))`;
  return `SELECT 1 FROM webhook_endpoints e WHERE e.id = ${endpoint} AND e.paused_until IS NOT NULL AND NOT (${probed})`;
}

/**
 * Per-guest ordering (ordering.ts): a row with an ordering key is claimable only as the head of its
 * key, when no earlier row of the same endpoint and key is unfinished. "Unfinished" is status
 * `pending`, which covers a row waiting for its retry and one leased or in flight (a lease never
 * changes the status), so a retry of the head holds back its own key and no other; `succeeded` and
 * `failed` (exhausted, 410, disabled) release the next. "Earlier" is the event's `seq`, then the
 * delivery id (a replay's second row of one event). For one key `seq` is commit order, which is
 * feed order: every change of a guest or table takes that entity's lock before its first write
 * (src/database/locks.ts), and `seq` is drawn at the event's insert, after the lock, so a later
 * change of the guest always draws a higher one. The probe is one range of
 * idx_webhook_deliveries_ordering (pending rows with a key only).
 *
 * Only heads pass, so one claim never takes two rows of a key: the second fails the test on the
 * first, which is pending in the statement's snapshot whatever this statement does to it.
 *
 * Two instances on PostgreSQL (READ COMMITTED): A and B claim at once, rows 1 and 2 of one key
 * pending and unleased. A locks row 1 (FOR UPDATE SKIP LOCKED); B skips row 1 because A holds it,
 * and reaches row 2, whose NOT EXISTS is a plain read of B's snapshot: it sees row 1, and row 1 is
 * `pending` there whether or not A's lease has committed (A only sets the lease columns), so row 2
 * is excluded too. Row 2 becomes claimable only in a snapshot taken after row 1's `succeeded` or
 * `failed` committed, and by then row 1 is no longer a candidate. SKIP LOCKED never skips the probe:
 * it applies to the rows the statement locks, not to the rows its subquery reads, so no advisory
 * lock is needed.
 */
function headOfKey(d: string): string {
  return `(${d}.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM webhook_deliveries h
          WHERE h.endpoint_id = ${d}.endpoint_id AND h.ordering_key = ${d}.ordering_key AND h.status = 'pending'
            AND (h.ordering_seq < ${d}.ordering_seq OR (h.ordering_seq = ${d}.ordering_seq AND h.id < ${d}.id))
        ))`;
}

/**
 * Due deliveries of each wanted endpoint, oldest first, leased in the same statement, with their
 * events; of a per_guest endpoint only the head of each key (headOfKey). The ids are gathered
 * into an array first, so the update finds its rows through the primary key whatever the planner's statistics say (a join here turns into a full scan once
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
          AND NOT EXISTS (${paused('w.endpoint_id', '$6::varchar[]', true)})
          AND ${headOfKey('d')}
        ORDER BY d.next_attempt_at
        LIMIT w.n
        FOR UPDATE SKIP LOCKED
      ) p
    ))
    RETURNING *
  )
  SELECT c.*, e.type AS e_type, e."timestamp" AS e_timestamp, e.data AS e_data, e.trace_context AS e_trace_context
  FROM claimed c LEFT JOIN events e ON e.id = c.event_id AND c.payload IS NULL`;

/**
 * The same in one statement for every wanted endpoint: `json_each` of `{endpointId: limit}`, each
 * endpoint's oldest due rows found through its own index range (a correlated IN, capped at the
 * largest limit, since SQLite's LIMIT cannot refer to the outer row), then cut to its own limit by
 * row_number(). One statement per endpoint cost a tick O(endpoints) trips through the write queue.
 */
export const CLAIM_SQLITE = `
  UPDATE webhook_deliveries SET lease_owner = ?, lease_expires_at = ?
  WHERE id IN (
    SELECT id FROM (
      SELECT x.id, w.value AS n, row_number() OVER (PARTITION BY x.endpoint_id ORDER BY x.next_attempt_at, x.id) AS rn
      FROM json_each(?) w
      JOIN webhook_deliveries x ON x.id IN (
        SELECT y.id FROM webhook_deliveries y
        WHERE y.endpoint_id = w.key AND y.status = 'pending' AND y.next_attempt_at <= ?
          AND (y.lease_expires_at IS NULL OR y.lease_expires_at < ?)
          AND NOT EXISTS (${paused('w.key', '?', false)})
          AND ${headOfKey('y')}
        ORDER BY y.next_attempt_at
        LIMIT ?
      )
    ) WHERE rn <= n
  )
  RETURNING *`;

/**
 * The endpoints with at least one due, unleased delivery, in id order: a loose index scan over
 * (status, endpoint_id, next_attempt_at), one index probe per endpoint found, so the cost follows
 * the endpoints with work, not all endpoints nor all due rows (a 100k backlog is one probe). An
 * endpoint's future retries and leased rows are stepped over, bounded by its own pending rows.
 * A per_guest endpoint whose due rows all wait behind their keys' heads is still listed (the
 * ordering test is the claim's, not repeated here): its claim then takes nothing, and the
 * dispatcher's next wake-up (an attempt recorded, the poll) asks again.
 * Both dialects; `?` or `$1` for now, as the caller's placeholder says.
 */
function dueEndpoints(now: string): string {
  const due = (d: string) =>
    `${d}.status = 'pending' AND ${d}.next_attempt_at <= ${now} AND (${d}.lease_expires_at IS NULL OR ${d}.lease_expires_at < ${now})`;
  return `
  WITH RECURSIVE due(endpoint_id) AS (
    SELECT (SELECT d.endpoint_id FROM webhook_deliveries d WHERE ${due('d')} ORDER BY d.endpoint_id LIMIT 1)
    UNION ALL
    SELECT (
      SELECT d.endpoint_id FROM webhook_deliveries d WHERE d.endpoint_id > due.endpoint_id AND ${due('d')}
      ORDER BY d.endpoint_id LIMIT 1
    )
    FROM due WHERE due.endpoint_id IS NOT NULL
  )
  SELECT endpoint_id FROM due WHERE endpoint_id IS NOT NULL`;
}

export const DUE_ENDPOINTS_POSTGRES = dueEndpoints('$1');
/** Its `?` parameters are all `now` (see dueParamsSqlite). */
export const DUE_ENDPOINTS_SQLITE = dueEndpoints('?');

/** DUE_ENDPOINTS_SQLITE's parameters: `now` at each of its four places. */
export function dueParamsSqlite(now: string): string[] {
  return [now, now, now, now];
}

/** The events of claimed outbox rows (PostgreSQL joins them in the claim itself). */
export const EVENTS_SQLITE = `SELECT id, type, "timestamp", data, trace_context FROM events WHERE id IN (SELECT value FROM json_each(?))`;

/**
 * CLAIM_POSTGRES's parameters, in its order: endpoint ids and limits, now, the worker, its lease's
 * end, and the paused endpoints whose probe this worker won (sql/probe.ts).
 */
export function claimParamsPostgres(
  wanted: readonly [string, number][],
  now: string,
  workerId: string,
  leaseExpiresAt: string,
  probing: readonly string[] = [],
): unknown[] {
  return [wanted.map(([id]) => id), wanted.map(([, limit]) => limit), now, workerId, leaseExpiresAt, probing];
}

/** CLAIM_SQLITE's parameters for all wanted endpoints, in order of appearance. */
export function claimParamsSqlite(
  wanted: readonly [string, number][],
  now: string,
  workerId: string,
  leaseExpiresAt: string,
  probing: readonly string[] = [],
): unknown[] {
  const limits = Object.fromEntries(wanted);
  return [
    workerId,
    leaseExpiresAt,
    JSON.stringify(limits),
    now,
    now,
    JSON.stringify(probing),
    Math.max(...wanted.map(([, limit]) => limit)),
  ];
}
