/**
 * How many feed events a replay would send, counted no further than one past the bound
 * (REPLAY_MAX_EVENTS + 1), so a refusal of a huge window costs no more than an accepted one.
 * Read through the events' timestamp index.
 */
function replayCountSql(postgres: boolean): string {
  const [since, until, types, limit] = postgres
    ? ['$1', '$2', '$3::varchar[]', '$4']
    : ['?', '?', '(SELECT value FROM json_each(?))', '?'];
  const typeMatch = postgres ? `type = ANY(${types})` : `type IN ${types}`;
  return `
  SELECT count(*) AS n FROM (
    SELECT 1 FROM events WHERE timestamp >= ${since} AND timestamp <= ${until} AND ${typeMatch} LIMIT ${limit}
  ) AS w`;
}

export const REPLAY_COUNT_POSTGRES = replayCountSql(true);
export const REPLAY_COUNT_SQLITE = replayCountSql(false);

export function replayCountParams(
  postgres: boolean,
  window: { since: string; until: string },
  types: readonly string[],
  limit: number,
): unknown[] {
  return [window.since, window.until, postgres ? types : JSON.stringify(types), limit];
}
