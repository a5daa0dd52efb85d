/**
 * The circuit breaker's probe (see circuit-breaker.ts): of the paused endpoints whose cool-down
 * has passed, this takes the ones no other instance took first, by moving their `paused_until` to
 * the end of this worker's lease in the same statement. The claim that follows then takes one
 * delivery of each for this worker alone; should this instance die, the probe is claimable again
 * once that lease has run out. Both dialects; returns the endpoint ids won.
 */
export const PROBE_POSTGRES = `
  UPDATE webhook_endpoints SET paused_until = $3
  WHERE id = ANY($1::varchar[]) AND enabled AND paused_until IS NOT NULL AND paused_until <= $2
  RETURNING id`;

export const PROBE_SQLITE = `
  UPDATE webhook_endpoints SET paused_until = ?
  WHERE id IN (SELECT value FROM json_each(?)) AND enabled = 1 AND paused_until IS NOT NULL AND paused_until <= ?
  RETURNING id`;

/** The parameters of PROBE_*: the candidate endpoints, now, and the end of the probe's lease. */
export function probeParams(postgres: boolean, endpointIds: readonly string[], now: string, leaseExpiresAt: string): unknown[] {
  return postgres ? [endpointIds, now, leaseExpiresAt] : [leaseExpiresAt, JSON.stringify(endpointIds), now];
}
