/**
 * The circuit breaker of an endpoint, as pure decisions: after `threshold` consecutive failed
 * attempts the endpoint is paused (no claim, no hand-off takes its deliveries, so they keep their
 * retries) for a cool-down that starts at 30 s and doubles on every re-open up to 10 min. When the
 * cool-down has passed, one instance claims a single probe attempt (sql/probe.ts); its success
 * closes the breaker, its failure re-opens it with the next, longer cool-down.
 *
 * State, stored on webhook_endpoints: `consecutiveFailures`, `breakerOpens` (re-opens since the
 * last success, which sets the cool-down) and `pausedUntil` (null while closed; while a probe is in
 * flight, the end of its lease, so a probe lost with its instance is taken over after it).
 */

export interface BreakerState {
  consecutiveFailures: number;
  breakerOpens: number;
  pausedUntil: string | null;
}

export interface BreakerPolicy {
  /** Consecutive failed attempts that open the breaker; 0 turns it off (WEBHOOK_BREAKER_AFTER). */
  threshold: number;
  baseCooldownMs: number;
  maxCooldownMs: number;
}

export const BREAKER_DEFAULTS: Omit<BreakerPolicy, 'threshold'> = { baseCooldownMs: 30_000, maxCooldownMs: 600_000 };

export const CLOSED: BreakerState = { consecutiveFailures: 0, breakerOpens: 0, pausedUntil: null };

/** The cool-down of the breaker's `opens`-th re-open since the last success (0: the first open). */
export function cooldownMs(opens: number, policy: Omit<BreakerPolicy, 'threshold'>): number {
  // 2^20 × 30 s is far past any cap; bounding the exponent keeps the arithmetic finite.
  return Math.min(policy.maxCooldownMs, policy.baseCooldownMs * 2 ** Math.min(Math.max(opens, 0), 20));
}

export interface BreakerAttempt {
  at: string;
  failed: boolean;
  /** The single attempt the breaker let through after its cool-down. */
  probe: boolean;
}

/**
 * The breaker after one attempt. A success closes it whatever it was (the receiver answers again).
 * A failed probe re-opens it with a doubled cool-down. Failures of attempts that were already in
 * flight when it opened count, but neither extend nor re-open it: only the probe decides.
 */
export function breakerAfter(current: BreakerState, attempt: BreakerAttempt, policy: BreakerPolicy): BreakerState {
  if (!attempt.failed) return CLOSED;
  // Only the breaker's own fields, whatever else the caller's record carries.
  const state = {
    consecutiveFailures: current.consecutiveFailures,
    breakerOpens: current.breakerOpens,
    pausedUntil: current.pausedUntil,
  };
  const consecutiveFailures = state.consecutiveFailures + 1;
  if (policy.threshold <= 0) return { ...state, consecutiveFailures };
  const open = () => ({
    consecutiveFailures,
    breakerOpens: state.breakerOpens + 1,
    pausedUntil: new Date(Date.parse(attempt.at) + cooldownMs(state.breakerOpens, policy)).toISOString(),
  });
  if (attempt.probe) return open();
  if (state.pausedUntil !== null) return { ...state, consecutiveFailures };
  return consecutiveFailures >= policy.threshold ? open() : { ...state, consecutiveFailures };
}

export function sameBreaker(a: BreakerState, b: BreakerState): boolean {
  return a.consecutiveFailures === b.consecutiveFailures && a.breakerOpens === b.breakerOpens && a.pausedUntil === b.pausedUntil;
}

export type EndpointHealthName = 'healthy' | 'failing' | 'paused';
export const ENDPOINT_HEALTH: readonly EndpointHealthName[] = ['healthy', 'failing', 'paused'];

/**
 * What the API shows: `paused` while the breaker is open (with the time of the next probe: the end
 * of the cool-down, or of the probe in flight), `failing` while the latest attempts failed,
 * `healthy` otherwise.
 */
export function healthView(endpoint: BreakerState & { failingSince: string | null }): {
  health: EndpointHealthName;
  nextProbeAt: string | null;
} {
  if (endpoint.pausedUntil !== null) return { health: 'paused', nextProbeAt: endpoint.pausedUntil };
  if (endpoint.failingSince !== null || endpoint.consecutiveFailures > 0) return { health: 'failing', nextProbeAt: null };
  return { health: 'healthy', nextProbeAt: null };
}
