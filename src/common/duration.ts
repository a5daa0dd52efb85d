const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses durations like `500ms`, `5s`, `30m`, `24h`, `5d` into milliseconds; returns null when malformed. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i.exec(text);
  if (!match) return null;
  const value = Number(match[1]) * UNIT_MS[match[2].toLowerCase()];
  return Number.isFinite(value) ? Math.round(value) : null;
}

/** Parses a comma-separated list of durations (`1s,2s,5s`); null when any item is malformed or the list is empty. */
export function parseDurationList(text: string): number[] | null {
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
  if (parts.length === 0) return null;
  const values = parts.map(parseDuration);
  return values.every((value): value is number => value !== null) ? values : null;
}
