/**
 * The transactional outbox's fan-out: one statement whatever the number of endpoints. The matching
 * endpoints are selected and their deliveries inserted inside the database, with a constant number
 * of bound parameters (a row per endpoint bound from here ran into the dialects' parameter limits
 * at a few thousand endpoints).
 */
import { base32Suffix } from '../../common/ids';

/**
 * A delivery per enabled endpoint whose filter matches the event's type (`event_types` is the JSON
 * array the entity stores, empty meaning every type), each named by the id range plus its row number.
 */
function fanOutSql(postgres: boolean): string {
  // SQLite's placeholders bind in order of appearance (see fanOutParams).
  const [range, eventId, type, now] = postgres ? ['$1', '$2', '$3::text', '$4'] : ['?', '?', '?', '?'];
  const matches = postgres
    ? `enabled AND (event_types::jsonb = '[]'::jsonb OR event_types::jsonb @> jsonb_build_array(${type}))`
    : `enabled = 1 AND (json_array_length(event_types) = 0 OR EXISTS (SELECT 1 FROM json_each(event_types) WHERE value = ${type}))`;
  return `
  INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, retry_step, next_attempt_at, created_at)
  SELECT ${range} || ${base32Suffix('m.n')}, ${eventId}, m.id, ${type}, 'pending', 0, 0, ${now}, ${now}
  FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM webhook_endpoints WHERE ${matches}) AS m`;
}

export const FAN_OUT_POSTGRES = fanOutSql(true);
export const FAN_OUT_SQLITE = fanOutSql(false);

/** The fan-out's parameters: an id range (see newIdRange), the event, and now. */
export function fanOutParams(postgres: boolean, range: string, event: { id: string; type: string }, now: string): string[] {
  return postgres ? [range, event.id, event.type, now] : [range, event.id, event.type, now, now, event.type];
}
