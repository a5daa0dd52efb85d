/**
 * Per-endpoint rate limits, as pure decisions: a token bucket whose state lives in the endpoint's
 * row (`rate_tokens`, `rate_refilled_at`), so that every instance draws from the same bucket. A
 * claim locks the row, refills the bucket for the time since it was last refilled, takes at most
 * `floor(tokens)` of the endpoint's due rows and writes back what is left, in one transaction
 * (DeliveryLifecycle.claimWithLimits). Rows a claim cannot take stay due and are skipped, never
 * waited on, so the dispatcher's slots go to other endpoints meanwhile.
 *
 * The bucket holds at most a fifth of a second's worth of tokens (at least one): a full bucket plus
 * five seconds of refill is at most 5.2 s of attempts, inside the contract's "at most 10 % over in
 * any 5 s window".
 *
 * Adaptation (AIMD): a 429, 502 or 504 answer halves the endpoint's effective rate (at most once
 * per second, never below 1/s); successes then raise it additively, by 1/s for each second's worth
 * of successes at the current rate, back up to the configured limit, where the adaptation ends. An
 * endpoint without a configured limit starts its adaptive limit from half the rate this instance
 * observed sending to it, and recovers the same way up to RATE_LIMIT_MAX, where it is unlimited
 * again.
 */

export const RATE_LIMIT_MIN = 1;
export const RATE_LIMIT_MAX = 10_000;
/** The answers that mean "slow down". */
export const THROTTLE_STATUSES: readonly number[] = [429, 502, 504];
/** The bucket's size in seconds of the rate (see above). */
export const BURST_SECONDS = 0.2;
/** A run of throttle answers halves the rate at most once per this long. */
export const HALVING_INTERVAL_MS = 1_000;

/** An endpoint's rate-limit state as stored on its row (times in epoch milliseconds). */
export interface RateState {
  /** The configured `rateLimitPerSecond`; null: none. */
  limit: number | null;
  /** The adaptive rate after throttle answers; null: not adapting (the configured limit applies). */
  effective: number | null;
  /** Tokens left at `refilledAt`; null: a full bucket (new or just reconfigured). */
  tokens: number | null;
  refilledAt: number | null;
  /** When a throttle answer last halved the rate. */
  throttledAt: number | null;
}

export const UNLIMITED: RateState = { limit: null, effective: null, tokens: null, refilledAt: null, throttledAt: null };

/** The rate attempts to the endpoint are held to now, per second; null: none. */
export function rateOf(state: Pick<RateState, 'limit' | 'effective'>): number | null {
  return state.effective ?? state.limit;
}

/** Whether claims of this endpoint go through its bucket. */
export function isRateLimited(state: Pick<RateState, 'limit' | 'effective'>): boolean {
  return rateOf(state) !== null;
}

export function capacityOf(rate: number): number {
  return Math.max(1, rate * BURST_SECONDS);
}

/** The bucket's tokens at `nowMs`: what was left plus the refill since, up to its capacity. */
export function refill(state: RateState, nowMs: number): number {
  const rate = rateOf(state);
  if (rate === null) return Number.POSITIVE_INFINITY;
  const capacity = capacityOf(rate);
  if (state.tokens === null || state.refilledAt === null) return capacity;
  const elapsedMs = Math.max(0, nowMs - state.refilledAt);
  return Math.min(capacity, state.tokens + (elapsedMs / 1000) * rate);
}

/** Rows a claim wanting `wanted` of them may take with `tokens` in the bucket. */
export function grant(tokens: number, wanted: number): number {
  return Math.max(0, Math.min(wanted, Math.floor(tokens)));
}

/** Milliseconds until the bucket holds a whole token again, after `left` tokens remained. */
export function nextTokenInMs(left: number, rate: number): number {
  return left >= 1 ? 0 : Math.ceil(((1 - left) / rate) * 1000);
}

/** What one batch of recorded attempts says about an endpoint's rate. */
export interface RateOutcomes {
  /** Answers with a status in THROTTLE_STATUSES. */
  throttled: number;
  succeeded: number;
}

/**
 * The endpoint's new `effective` and `throttledAt` after a batch of attempts. `observedPerSecond`
 * is the rate this instance was sending at (the starting point for an endpoint without a limit).
 */
export function adapt(
  state: RateState,
  outcomes: RateOutcomes,
  observedPerSecond: number,
  nowMs: number,
): Pick<RateState, 'effective' | 'throttledAt'> {
  const unchanged = { effective: state.effective, throttledAt: state.throttledAt };
  if (outcomes.throttled > 0) {
    if (state.throttledAt !== null && nowMs - state.throttledAt < HALVING_INTERVAL_MS && state.effective !== null) {
      return unchanged;
    }
    const current = state.effective ?? state.limit ?? Math.max(RATE_LIMIT_MIN, observedPerSecond);
    return { effective: Math.max(RATE_LIMIT_MIN, current / 2), throttledAt: nowMs };
  }
  if (state.effective === null || outcomes.succeeded === 0) return unchanged;
  const raised = state.effective + outcomes.succeeded / state.effective;
  const ceiling = state.limit ?? RATE_LIMIT_MAX;
  // Back at the configured limit (or, without one, at the largest limit there is): adaptation ends.
  return raised >= ceiling
    ? { effective: null, throttledAt: state.throttledAt }
    : { effective: raised, throttledAt: state.throttledAt };
}
