/**
 * The transactional outbox's fan-out: one statement whatever the number of endpoints. The matching
 * endpoints are selected and their deliveries inserted inside the database, with a constant number
 * of bound parameters (a row per endpoint bound from here ran into the dialects' parameter limits
 * at a few thousand endpoints).
 */
import { base32Suffix } from '../../common/ids';

/**
 * Rate-limited endpoints (a configured or an adaptive limit, see rate-limit.ts) are never handed
 * off: a hand-off skips the claim, where their token bucket is drawn from, so their rows always go
 * through a claim.
 */
function notRateLimited(m: string): string {
  return `${m}.rate_limit_per_second IS NULL AND ${m}.rate_effective IS NULL`;
}

/**
 * A delivery per enabled endpoint whose filter matches the event's type (`event_types` is the JSON
 * array the entity stores, empty meaning every type), each named by the id range plus its row number.
 * A per_guest endpoint's row gets the event's ordering key (bound, see ordering.ts) and the event's
 * `seq` as its place in that key's order (the claim holds it back behind earlier pending rows).
 * The hand-off variant also leases the rows of the endpoints listed to this instance's dispatcher
 * (see FanoutService) and returns every row it wrote. Rows of per_guest endpoints are never leased
 * here: the claim is where "no earlier pending row of this key" is checked, and a hand-off would
 * bypass it (the previous event of the guest may still be in flight, here or on another instance).
 */
function fanOutSql(postgres: boolean, handOff: boolean): string {
  // SQLite's placeholders bind in order of appearance (see fanOutParams).
  // $2 is typed: it is both inserted and compared (one parameter, one type).
  const [range, eventId, type, now] = postgres ? ['$1', '$2::varchar', '$3::text', '$4'] : ['?', '?', '?', '?'];
  const [listed, owner, until] = postgres
    ? ['m.id = ANY($5::varchar[])', '$6', '$7']
    : ['m.id IN (SELECT value FROM json_each(?))', '?', '?'];
  const key = postgres ? (handOff ? '$8::varchar' : '$5::varchar') : '?';
  const [keyAgain, eventIdAgain] = postgres ? [key, eventId] : ['?', '?'];
  const matches = postgres
    ? `enabled AND (event_types::jsonb = '[]'::jsonb OR event_types::jsonb @> jsonb_build_array(${type}))`
    : `enabled = 1 AND (json_array_length(event_types) = 0 OR EXISTS (SELECT 1 FROM json_each(event_types) WHERE value = ${type}))`;
  const leaseColumns = handOff ? ', lease_owner, lease_expires_at' : '';
  // SQLite reads the second `listed` as a placeholder of its own, so its list is bound twice.
  // An endpoint whose circuit breaker is open is never handed off, whatever the dispatcher's cached
  // view of it says: its rows wait, due, for the probe (see circuit-breaker.ts). Nor are rate-limited
  // or per_guest endpoints' rows (above).
  const handed = `${listed} AND m.paused_until IS NULL AND ${notRateLimited('m')} AND m.ordering <> 'per_guest'`;
  const lease = handOff ? `, CASE WHEN ${handed} THEN ${owner} END, CASE WHEN ${handed} THEN ${until} END` : '';
  const ordered = `m.ordering = 'per_guest'`;
  const ordering = `, CASE WHEN ${ordered} THEN ${key} END, CASE WHEN ${ordered} AND ${keyAgain} IS NOT NULL THEN (SELECT seq FROM events WHERE id = ${eventIdAgain}) END`;
  return `
  INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, retry_step, next_attempt_at, created_at${leaseColumns}, ordering_key, ordering_seq)
  SELECT ${range} || ${base32Suffix('m.n')}, ${eventId}, m.id, ${type}, 'pending', 0, 0, ${now}, ${now}${lease}${ordering}
  FROM (SELECT id, ordering, paused_until, rate_limit_per_second, rate_effective, row_number() OVER (ORDER BY id) - 1 AS n FROM webhook_endpoints WHERE ${matches}) AS m${handOff ? '\n  RETURNING *' : ''}`;
}

export const FAN_OUT_POSTGRES = fanOutSql(true, false);
export const FAN_OUT_SQLITE = fanOutSql(false, false);
export const FAN_OUT_HAND_OFF_POSTGRES = fanOutSql(true, true);
export const FAN_OUT_HAND_OFF_SQLITE = fanOutSql(false, true);

/** Deliveries leased to a dispatcher as they are written: its worker id, the endpoints, the lease's end. */
export interface HandOffLease {
  workerId: string;
  endpointIds: readonly string[];
  leaseExpiresAt: string;
}

/**
 * The fan-out's parameters: an id range (see newIdRange), the event with its ordering key (null
 * when it has none), now, and the hand-off's lease if any.
 */
export function fanOutParams(
  postgres: boolean,
  range: string,
  event: { id: string; type: string; orderingKey: string | null },
  now: string,
  lease?: HandOffLease,
): unknown[] {
  const key = event.orderingKey;
  if (postgres) {
    const base = [range, event.id, event.type, now];
    return lease ? [...base, lease.endpointIds, lease.workerId, lease.leaseExpiresAt, key] : [...base, key];
  }
  if (!lease) return [range, event.id, event.type, now, now, key, key, event.id, event.type];
  const list = JSON.stringify(lease.endpointIds);
  return [
    range,
    event.id,
    event.type,
    now,
    now,
    list,
    lease.workerId,
    list,
    lease.leaseExpiresAt,
    key,
    key,
    event.id,
    event.type,
  ];
}
