/**
 * How long to wait before retry number `attempt` (1 for the first retry): `baseMs` doubling up to `maxMs`,
 * spread by ±`jitter` (0.2 = ±20 %) so many failed jobs do not all come back in the same instant.
 */
export function backoffMs(attempt: number, options: { baseMs?: number; maxMs?: number; jitter?: number } = {}): number {
  const { baseMs = 500, maxMs = 60_000, jitter = 0 } = options;
  // The exponent is capped so 2 ** attempt stays a finite number long after maxMs is reached.
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return exponential * (1 - jitter + Math.random() * 2 * jitter);
}
