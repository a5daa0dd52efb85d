/**
 * How the dispatcher shares its global budget of concurrent attempts among endpoints, as a pure
 * function so the fairness rules can be read and tested apart from the worker's bookkeeping.
 */

export interface SlotLimits {
  /** At most this many attempts in flight per endpoint (WEBHOOK_ENDPOINT_CONCURRENCY). */
  perEndpoint: number;
  /**
   * An endpoint whose last attempt failed (down, hanging, erroring) holds at most this many, so a
   * few broken endpoints cannot fill the global budget and delay the rest.
   */
  failing: number;
}

export interface SlotAllocation {
  /** Attempts to claim per endpoint id (only endpoints given at least one). */
  slots: Map<string, number>;
  /**
   * Where the next allocation starts: the first endpoint this one left short for lack of budget,
   * so the spare budget goes round the endpoints instead of always to the first ones in the list.
   */
  cursor: number;
}

/**
 * Free slots per endpoint within `budget` (the global limit minus what is in flight; may be zero
 * or less). Endpoints are offered a fair share each, `ceil(budget / endpoints)`, in list order from
 * `cursor`. An endpoint with nothing in flight always gets one slot, even over budget: the global
 * limit bounds the extra concurrency, never whether an endpoint is served at all.
 */
export function allocateSlots(
  endpoints: readonly string[],
  inFlight: ReadonlyMap<string, number>,
  failing: ReadonlySet<string>,
  budget: number,
  cursor: number,
  limits: SlotLimits,
): SlotAllocation {
  const slots = new Map<string, number>();
  const count = endpoints.length;
  if (count === 0) return { slots, cursor: 0 };
  const start = ((cursor % count) + count) % count;
  const fairShare = Math.max(1, Math.ceil(budget / count));
  let left = budget;
  let firstShort: number | null = null;
  for (let offset = 0; offset < count; offset++) {
    const index = (start + offset) % count;
    const id = endpoints[index];
    const busy = inFlight.get(id) ?? 0;
    const cap = failing.has(id) ? Math.min(limits.perEndpoint, limits.failing) : limits.perEndpoint;
    const available = Math.max(0, cap - busy);
    const share = left > 0 ? Math.min(fairShare, left) : 0;
    const take = Math.min(available, Math.max(share, busy === 0 ? 1 : 0));
    if (take > 0) {
      slots.set(id, take);
      left -= take;
    }
    if (take < Math.min(available, fairShare)) firstShort ??= index;
  }
  return { slots, cursor: firstShort ?? start };
}
