/**
 * Pure decisions about a finished attempt: the delivery's next state (succeeded, retried, failed)
 * and what it changes about its endpoint's health (a failing streak starts or ends, 410 Gone or a
 * streak longer than WEBHOOK_DISABLE_AFTER disables it). The store only writes what these return.
 */
import type { Delivery } from './delivery.entity';
import type { EndpointEntity } from './endpoint.entity';
import { type BreakerPolicy, type BreakerState, breakerAfter, sameBreaker } from './circuit-breaker';
import { nextRetryDelayMs } from './retry-policy';

/** What one attempt produced, as the sender saw it. */
export interface AttemptOutcome {
  at: string;
  statusCode: number | null;
  durationMs: number;
  /** null on success; otherwise the attempt's error class (AttemptResponse.error in /api/docs). */
  error: string | null;
  responseBody: string | null;
  /** From Retry-After on 429/503: the earliest next attempt. */
  retryAfterMs: number | null;
}

export interface CompletedAttempt {
  delivery: Delivery;
  outcome: AttemptOutcome;
  /** The single attempt a paused endpoint's breaker let through (see circuit-breaker.ts). */
  probe?: boolean;
}

/** The part of an endpoint its deliveries' outcomes decide about. */
export type EndpointHealth = Pick<
  EndpointEntity,
  'id' | 'enabled' | 'failingSince' | 'consecutiveFailures' | 'breakerOpens' | 'pausedUntil'
>;

/** What one outcome changes about an endpoint's health, to be recorded with it. */
export type HealthChange = { id: string; failingSince: string | null; breaker: BreakerState } | { id: string; disable: string };

export interface DeliveryPolicy {
  /** WEBHOOK_RETRY_SCHEDULE: the waits between attempts. */
  retryScheduleMs: readonly number[];
  /** WEBHOOK_DISABLE_AFTER: an endpoint failing this long without a success is disabled. */
  disableAfterMs: number;
  /** When an endpoint's circuit breaker opens, and for how long (circuit-breaker.ts). */
  breaker: BreakerPolicy;
  /** The jitter source of the retry schedule. */
  random?: () => number;
}

/**
 * The delivery after this attempt. A success ends it; a failure waits for the next step of the
 * schedule (at least as long as Retry-After asked), unless the endpoint answered 410 Gone, may not
 * be retried (it was disabled), or the schedule is exhausted: then it has failed.
 */
export function nextState(delivery: Delivery, outcome: AttemptOutcome, mayRetry: boolean, policy: DeliveryPolicy): Delivery {
  const common = {
    ...delivery,
    attemptCount: delivery.attemptCount + 1,
    lastStatusCode: outcome.statusCode,
    lastError: outcome.error,
    leaseOwner: null,
    leaseExpiresAt: null,
  };
  if (outcome.error === null) return { ...common, status: 'succeeded', deliveredAt: outcome.at, nextAttemptAt: null };
  const delay =
    outcome.statusCode === 410 || !mayRetry ? null : nextRetryDelayMs(delivery.retryStep, policy.retryScheduleMs, policy.random);
  if (delay === null) return { ...common, status: 'failed', nextAttemptAt: null };
  const wait = Math.max(delay, outcome.retryAfterMs ?? 0);
  return {
    ...common,
    status: 'pending',
    retryStep: delivery.retryStep + 1,
    nextAttemptAt: new Date(Date.parse(outcome.at) + wait).toISOString(),
  };
}

/**
 * The endpoint's health after this outcome, and the change to record (null when there is none):
 * its failing streak (WEBHOOK_DISABLE_AFTER, 410 Gone) and its circuit breaker. A disabled
 * endpoint's late failures change nothing.
 */
export function healthChange(
  endpoint: EndpointHealth,
  outcome: AttemptOutcome,
  policy: Pick<DeliveryPolicy, 'disableAfterMs' | 'breaker'>,
  probe = false,
): { health: EndpointHealth; change: HealthChange | null } {
  const { id } = endpoint;
  const unchanged = { health: endpoint, change: null };
  const failed = outcome.error !== null;
  if (failed && !endpoint.enabled) return unchanged;
  if (outcome.statusCode === 410) {
    return {
      health: { ...endpoint, enabled: false },
      change: { id, disable: `the endpoint answered 410 Gone at ${outcome.at}` },
    };
  }
  if (
    failed &&
    endpoint.failingSince !== null &&
    Date.parse(outcome.at) - Date.parse(endpoint.failingSince) >= policy.disableAfterMs
  ) {
    return {
      health: { ...endpoint, enabled: false },
      change: { id, disable: `every delivery failed since ${endpoint.failingSince} (WEBHOOK_DISABLE_AFTER)` },
    };
  }
  const failingSince = failed ? (endpoint.failingSince ?? outcome.at) : null;
  const breaker = breakerAfter(endpoint, { at: outcome.at, failed, probe }, policy.breaker);
  if (failingSince === endpoint.failingSince && sameBreaker(endpoint, breaker)) return unchanged;
  return { health: { ...endpoint, failingSince, ...breaker }, change: { id, failingSince, breaker } };
}

/**
 * Each delivery's next state and the endpoints' health changes for a batch, decided in the order
 * the attempts finished: an earlier attempt's 410 means no retry for the later ones of that
 * endpoint. A delivery whose endpoint is gone is decided as if it were enabled (its row goes too).
 */
export function decide(
  completed: readonly CompletedAttempt[],
  endpoints: ReadonlyMap<string, EndpointHealth>,
  policy: DeliveryPolicy,
): { states: Delivery[]; health: HealthChange[] } {
  const current = new Map(endpoints);
  const states: Delivery[] = [];
  const health: HealthChange[] = [];
  for (const { delivery, outcome, probe } of completed) {
    const endpoint = current.get(delivery.endpointId);
    // A disabled endpoint's in-flight attempt still counts, but it is not tried again.
    states.push(nextState(delivery, outcome, endpoint?.enabled !== false, policy));
    if (!endpoint) continue;
    const next = healthChange(endpoint, outcome, policy, probe === true);
    current.set(endpoint.id, next.health);
    if (next.change) health.push(next.change);
  }
  return { states, health };
}

/** True when every attempt succeeded: the batch's outcome then depends on no endpoint's state. */
export function allSucceeded(completed: readonly CompletedAttempt[]): boolean {
  return completed.every(({ outcome }) => outcome.error === null);
}
