/**
 * A replay: a new delivery to one endpoint for every feed event in a window whose type is listed,
 * in one statement. Each delivery's event_id is the event's own id, which is what the dispatcher
 * sends as `webhook-id`, so a replayed event carries the webhook-id of its first delivery. Ids
 * come from one range (see newIdRange), numbered in feed order; the caller has counted the window
 * first (sql/replay-count.ts), and the LIMIT keeps the statement bounded whatever happened since.
 * To a per_guest endpoint each row gets its event's ordering key, read from the stored data by the
 * fan-out's own rule (ordering.ts), and the event's `seq`: a replayed event takes its feed place in
 * its key's order (rows already leased are not called back).
 */
import { base32Suffix } from '../../common/ids';
import { orderingKeySql } from '../ordering';

function replaySql(postgres: boolean): string {
  // SQLite's placeholders bind in order of appearance (see replayParams).
  const [range, endpointId, now, since, until, types, limit] = postgres
    ? ['$1', '$2::varchar', '$3', '$4', '$5', '$6::varchar[]', '$7']
    : ['?', '?', '?', '?', '?', '(SELECT value FROM json_each(?))', '?'];
  const typeMatch = postgres ? `type = ANY(${types})` : `type IN ${types}`;
  const nowAgain = postgres ? now : '?';
  const endpointAgain = postgres ? endpointId : '?';
  return `
  INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, retry_step, next_attempt_at, created_at, ordering_key, ordering_seq)
  SELECT ${range} || ${base32Suffix('w.n')}, w.id, ${endpointId}, w.type, 'pending', 0, 0, ${now}, ${nowAgain},
    CASE WHEN o.ordering = 'per_guest' THEN w.k END, CASE WHEN o.ordering = 'per_guest' AND w.k IS NOT NULL THEN w.seq END
  FROM (SELECT ordering FROM webhook_endpoints WHERE id = ${endpointAgain}) AS o, (
    SELECT id, type, seq, ${orderingKeySql(postgres, 'data')} AS k, row_number() OVER (ORDER BY seq) - 1 AS n FROM events
    WHERE timestamp >= ${since} AND timestamp <= ${until} AND ${typeMatch}
    ORDER BY seq LIMIT ${limit}
  ) AS w`;
}

export const REPLAY_POSTGRES = replaySql(true);
export const REPLAY_SQLITE = replaySql(false);

export function replayParams(
  postgres: boolean,
  range: string,
  endpointId: string,
  now: string,
  window: { since: string; until: string },
  types: readonly string[],
  limit: number,
): unknown[] {
  if (postgres) return [range, endpointId, now, window.since, window.until, types, limit];
  return [range, endpointId, now, now, endpointId, window.since, window.until, JSON.stringify(types), limit];
}
