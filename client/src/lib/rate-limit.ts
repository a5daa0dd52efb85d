/** The API's bounds for `rateLimitPerSecond` (null: no limit). */
export const RATE_LIMIT_MIN = 1;
export const RATE_LIMIT_MAX = 10_000;

export type ParsedRateLimit = { ok: true; value: number | null } | { ok: false; message: string };

/**
 * What a rate-limit input means: blank is no limit, else a whole number of attempts per second in
 * the API's range. Checked here too so the form can say so before a round trip; the API decides.
 */
export function parseRateLimit(text: string): ParsedRateLimit {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const message = `A whole number from ${RATE_LIMIT_MIN} to ${RATE_LIMIT_MAX.toLocaleString('en')} per second, or blank for no limit`;
  if (!/^\d+$/.test(trimmed)) return { ok: false, message };
  const value = Number(trimmed);
  return value >= RATE_LIMIT_MIN && value <= RATE_LIMIT_MAX ? { ok: true, value } : { ok: false, message };
}

/** How an endpoint's limit reads on its card. */
export function rateLimitText(limit: number | null): string {
  return limit === null ? 'No rate limit' : `≤ ${limit.toLocaleString('en')}/s`;
}
