/**
 * Retention: one batch of events older than the cutoff that no delivery refers to any more
 * (params: cutoff, batch size). Deliveries are purged first, so what still refers to an old event
 * is a pending delivery (which sends it: its body is built from the stored event) or a recent one
 * (a replay), and the event stays until that delivery is gone too.
 */
const purgeEvents = (cutoff: string, limit: string) => `
  DELETE FROM events WHERE seq IN (
    SELECT e.seq FROM events e
    WHERE e."timestamp" < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)
    ORDER BY e.seq
    LIMIT ${limit}
  )`;

export const PURGE_EVENTS_POSTGRES = purgeEvents('$1', '$2');
export const PURGE_EVENTS_SQLITE = purgeEvents('?', '?');
