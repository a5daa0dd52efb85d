/**
 * An operational event (endpoint.disabled, delivery.exhausted) about one endpoint: a delivery to
 * every enabled endpoint of the same API key that lists the type explicitly (an empty filter never
 * matches), in one statement, in the transaction of the change it reports. The body is stored on
 * the delivery (`payload`), like webhook.test's: operational events have no row in the events
 * table, so neither the feed nor /listen can show them.
 */
import { base32Suffix } from '../../common/ids';

function operationalSql(postgres: boolean): string {
  // SQLite's placeholders bind in order of appearance (see operationalParams).
  const [range, eventId, type, now, payload, subject] = postgres
    ? ['$1', '$2', '$3::text', '$4', '$5', '$6']
    : ['?', '?', '?', '?', '?', '?'];
  const nowAgain = postgres ? now : '?';
  const typeAgain = postgres ? type : '?';
  const lists = postgres
    ? `e.event_types::jsonb @> jsonb_build_array(${typeAgain})`
    : `EXISTS (SELECT 1 FROM json_each(e.event_types) WHERE value = ${typeAgain})`;
  const enabled = postgres ? 'e.enabled' : 'e.enabled = 1';
  return `
  INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, retry_step, next_attempt_at, created_at, payload)
  SELECT ${range} || ${base32Suffix('m.n')}, ${eventId}, m.id, ${type}, 'pending', 0, 0, ${now}, ${nowAgain}, ${payload}
  FROM (
    SELECT e.id, row_number() OVER (ORDER BY e.id) - 1 AS n FROM webhook_endpoints e
    WHERE e.owner_key_id = (SELECT s.owner_key_id FROM webhook_endpoints s WHERE s.id = ${subject}) AND ${enabled} AND ${lists}
  ) AS m`;
}

export const OPERATIONAL_POSTGRES = operationalSql(true);
export const OPERATIONAL_SQLITE = operationalSql(false);

export function operationalParams(
  postgres: boolean,
  range: string,
  event: { id: string; type: string; payload: string },
  now: string,
  subjectEndpointId: string,
): unknown[] {
  if (postgres) return [range, event.id, event.type, now, event.payload, subjectEndpointId];
  return [range, event.id, event.type, now, now, event.payload, subjectEndpointId, event.type];
}
