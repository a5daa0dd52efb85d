const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** The one duration grammar (`500ms`, `5s`, `30m`, `24h`, `5d`, `1.5h`): the config's validation and parsing both use it. */
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i;

/** Parses durations like `500ms`, `5s`, `30m`, `24h`, `5d` into milliseconds; returns null when malformed. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  const value = Number(match[1]) * UNIT_MS[match[2].toLowerCase()];
  return Number.isFinite(value) ? Math.round(value) : null;
}

/** Parses a comma-separated list of durations (`1s, 2s,5s`); null when any item is malformed or missing. */
export function parseDurationList(text: string): number[] | null {
  const values = text.split(',').map(parseDuration);
  return values.every((value): value is number => value !== null) ? values : null;
}
