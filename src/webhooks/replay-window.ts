/**
 * Pure decisions of a replay (POST …/replay): which event types it covers and whether its window
 * is well formed. The SQL (sql/replay*.ts) only applies them.
 */

/** At most this many events per replay call; more is 409, split the window. */
export const REPLAY_MAX_EVENTS = 10_000;

/**
 * The feed event types a replay to this endpoint covers: the endpoint's filter (empty meaning every
 * feed type; operational types never, they are not feed events), narrowed to `requested` when given.
 * In the feed's type order, without duplicates.
 */
export function replayTypes(
  feedTypes: readonly string[],
  endpointFilter: readonly string[],
  requested?: readonly string[],
): string[] {
  const filter = new Set(endpointFilter);
  const wanted = requested === undefined ? undefined : new Set(requested);
  return feedTypes.filter((type) => (filter.size === 0 || filter.has(type)) && (wanted === undefined || wanted.has(type)));
}

export type ReplayWindow = { ok: true; since: string; until: string } | { ok: false; field: 'until'; message: string };

/**
 * The window as the stored timestamps spell them (ISO-8601 UTC with milliseconds, which compare as
 * strings), `until` defaulting to now; `until` must come after `since`. Both are RFC 3339 already (the DTO).
 */
export function replayWindow(since: string, until: string | undefined, nowIso: string): ReplayWindow {
  const from = new Date(since).toISOString();
  const to = until === undefined ? nowIso : new Date(until).toISOString();
  if (to <= from) {
    return {
      ok: false,
      field: 'until',
      message: until === undefined ? 'since must be in the past' : 'until must be after since',
    };
  }
  return { ok: true, since: from, until: to };
}
