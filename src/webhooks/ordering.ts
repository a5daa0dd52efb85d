/**
 * Per-guest ordering (`ordering: "per_guest"`): which deliveries one endpoint must receive one
 * after another. The rule lives here as data, so the fan-out (from the event in memory) and the
 * replay (from the stored event, in SQL) derive the same key from the same paths.
 */

export const ORDERING_MODES = ['none', 'per_guest'] as const;
export type OrderingMode = (typeof ORDERING_MODES)[number];

/**
 * Where an event's ordering key is, first match wins: the guest of a guest, offer or payment event,
 * the guest id of guest.erased, the guest at a table (table.status_changed while it has one), and
 * for a table without a guest the table itself. A guest and a table never share an id (their
 * prefixes differ), so one column holds both kinds of key.
 */
export const ORDERING_KEY_PATHS: readonly (readonly string[])[] = [
  ['guest', 'id'],
  ['guestId'],
  ['table', 'guestId'],
  ['table', 'id'],
];

function at(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const field of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[field];
  }
  return value;
}

/** The ordering key of an event's data: its guest's id, else its table's, else null (no ordering constraint). */
export function orderingKeyOf(data: unknown): string | null {
  for (const path of ORDERING_KEY_PATHS) {
    const value = at(data, path);
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

/**
 * The same rule as an SQL expression over a JSON text column (`events.data`): COALESCE of the paths.
 * NULLIF turns an empty string into no key, as orderingKeyOf does.
 */
export function orderingKeySql(postgres: boolean, column: string): string {
  const parts = ORDERING_KEY_PATHS.map((path) =>
    postgres
      ? `NULLIF(${column}::jsonb #>> '{${path.join(',')}}', '')`
      : `NULLIF(json_extract(${column}, '$.${path.join('.')}'), '')`,
  );
  return `COALESCE(${parts.join(', ')})`;
}
