import {
  allSucceeded,
  type AttemptOutcome,
  type CompletedAttempt,
  decide,
  type DeliveryPolicy,
  type EndpointHealth,
  healthChange,
  nextState,
} from './delivery-policy';
import { type Delivery, pendingDelivery } from './delivery.entity';

const AT = '2026-12-01T12:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();
const POLICY: DeliveryPolicy = {
  retryScheduleMs: [10_000, 60_000],
  disableAfterMs: 5 * 86_400_000,
  breaker: { threshold: 5, baseCooldownMs: 30_000, maxCooldownMs: 600_000 },
  random: () => 0.5,
};
const CLOSED_BREAKER = { consecutiveFailures: 0, breakerOpens: 0, pausedUntil: null };

function delivery(fields: Partial<Delivery> = {}): Delivery {
  return {
    ...pendingDelivery({ id: 'dlv_1', eventId: 'evt_1', endpointId: 'ep_1', eventType: 'guest.seated', now: later(-1_000) }),
    leaseOwner: 'worker',
    leaseExpiresAt: later(30_000),
    ...fields,
  };
}

function outcome(fields: Partial<AttemptOutcome> = {}): AttemptOutcome {
  return { at: AT, statusCode: 500, durationMs: 12, error: 'http_500', responseBody: null, retryAfterMs: null, ...fields };
}
const success = (fields: Partial<AttemptOutcome> = {}) => outcome({ statusCode: 204, error: null, ...fields });

describe('nextState', () => {
  interface Case {
    name: string;
    delivery?: Partial<Delivery>;
    outcome: AttemptOutcome;
    mayRetry?: boolean;
    expected: Partial<Delivery>;
  }
  const cases: Case[] = [
    {
      name: 'a success ends the delivery',
      outcome: success(),
      expected: {
        status: 'succeeded',
        deliveredAt: AT,
        nextAttemptAt: null,
        attemptCount: 1,
        lastStatusCode: 204,
        lastError: null,
      },
    },
    {
      name: 'a failure waits for the next step of the schedule',
      outcome: outcome(),
      expected: { status: 'pending', retryStep: 1, nextAttemptAt: later(10_000), attemptCount: 1, lastError: 'http_500' },
    },
    {
      name: 'a later failure takes a later step',
      delivery: { retryStep: 1, attemptCount: 4 },
      outcome: outcome({ statusCode: null, error: 'timeout' }),
      expected: { status: 'pending', retryStep: 2, nextAttemptAt: later(60_000), attemptCount: 5, lastStatusCode: null },
    },
    {
      name: 'Retry-After longer than the step wins',
      outcome: outcome({ statusCode: 503, error: 'http_503', retryAfterMs: 120_000 }),
      expected: { status: 'pending', nextAttemptAt: later(120_000) },
    },
    {
      name: 'Retry-After shorter than the step does not shorten it',
      outcome: outcome({ statusCode: 429, error: 'http_429', retryAfterMs: 1_000 }),
      expected: { status: 'pending', nextAttemptAt: later(10_000) },
    },
    {
      name: 'an exhausted schedule fails it',
      delivery: { retryStep: 2 },
      outcome: outcome(),
      expected: { status: 'failed', nextAttemptAt: null, retryStep: 2 },
    },
    {
      name: '410 Gone fails it at once',
      outcome: outcome({ statusCode: 410, error: 'http_410' }),
      expected: { status: 'failed', nextAttemptAt: null },
    },
    {
      name: 'a disabled endpoint gets no retry',
      outcome: outcome(),
      mayRetry: false,
      expected: { status: 'failed', nextAttemptAt: null },
    },
    {
      name: 'a disabled endpoint still records a success',
      outcome: success(),
      mayRetry: false,
      expected: { status: 'succeeded', deliveredAt: AT },
    },
  ];

  it.each(cases)('$name', (c) => {
    const state = nextState(delivery(c.delivery), c.outcome, c.mayRetry ?? true, POLICY);
    expect(state).toMatchObject({ ...c.expected, leaseOwner: null, leaseExpiresAt: null });
    expect(state.id).toBe('dlv_1');
  });

  it('does not change the delivery it was given', () => {
    const before = delivery();
    nextState(before, outcome(), true, POLICY);
    expect(before).toEqual(delivery());
  });
});

describe('healthChange', () => {
  const healthy: EndpointHealth = { id: 'ep_1', enabled: true, failingSince: null, ...CLOSED_BREAKER };
  const failing = (since: string, consecutiveFailures = 1): EndpointHealth => ({
    ...healthy,
    failingSince: since,
    consecutiveFailures,
  });
  interface Case {
    name: string;
    endpoint: EndpointHealth;
    outcome: AttemptOutcome;
    change: ReturnType<typeof healthChange>['change'];
    health: Partial<EndpointHealth>;
  }
  const cases: Case[] = [
    {
      name: 'a success of a healthy endpoint changes nothing',
      endpoint: healthy,
      outcome: success(),
      change: null,
      health: healthy,
    },
    {
      name: 'a success ends a failing streak',
      endpoint: failing(later(-60_000)),
      outcome: success(),
      change: { id: 'ep_1', failingSince: null, breaker: CLOSED_BREAKER },
      health: { failingSince: null, consecutiveFailures: 0 },
    },
    {
      name: 'a first failure starts a streak',
      endpoint: healthy,
      outcome: outcome(),
      change: { id: 'ep_1', failingSince: AT, breaker: { ...CLOSED_BREAKER, consecutiveFailures: 1 } },
      health: { failingSince: AT, enabled: true },
    },
    {
      name: 'a failure within the streak counts towards the breaker only',
      endpoint: failing(later(-86_400_000)),
      outcome: outcome(),
      change: { id: 'ep_1', failingSince: later(-86_400_000), breaker: { ...CLOSED_BREAKER, consecutiveFailures: 2 } },
      health: { failingSince: later(-86_400_000), consecutiveFailures: 2 },
    },
    {
      name: 'the fifth failure in a row opens the breaker for 30 s',
      endpoint: failing(later(-60_000), 4),
      outcome: outcome(),
      change: {
        id: 'ep_1',
        failingSince: later(-60_000),
        breaker: { consecutiveFailures: 5, breakerOpens: 1, pausedUntil: later(30_000) },
      },
      health: { pausedUntil: later(30_000) },
    },
    {
      name: 'a success closes an open breaker',
      endpoint: { ...failing(later(-60_000), 7), breakerOpens: 2, pausedUntil: later(10_000) },
      outcome: success(),
      change: { id: 'ep_1', failingSince: null, breaker: CLOSED_BREAKER },
      health: { pausedUntil: null, breakerOpens: 0 },
    },
    {
      name: 'a streak as long as WEBHOOK_DISABLE_AFTER disables it',
      endpoint: failing(later(-5 * 86_400_000)),
      outcome: outcome(),
      change: { id: 'ep_1', disable: `every delivery failed since ${later(-5 * 86_400_000)} (WEBHOOK_DISABLE_AFTER)` },
      health: { enabled: false },
    },
    {
      name: '410 Gone disables it at once',
      endpoint: healthy,
      outcome: outcome({ statusCode: 410, error: 'http_410' }),
      change: { id: 'ep_1', disable: `the endpoint answered 410 Gone at ${AT}` },
      health: { enabled: false },
    },
    {
      name: 'a failure of a disabled endpoint changes nothing',
      endpoint: { ...healthy, enabled: false },
      outcome: outcome({ statusCode: 410, error: 'http_410' }),
      change: null,
      health: { enabled: false },
    },
  ];

  it.each(cases)('$name', (c) => {
    const result = healthChange(c.endpoint, c.outcome, POLICY);
    expect(result.change).toEqual(c.change);
    expect(result.health).toMatchObject(c.health);
  });
});

describe('decide', () => {
  const endpoints = new Map<string, EndpointHealth>([
    ['ep_1', { id: 'ep_1', enabled: true, failingSince: null, ...CLOSED_BREAKER }],
    ['ep_2', { id: 'ep_2', enabled: false, failingSince: null, ...CLOSED_BREAKER }],
  ]);
  const attempt = (id: string, endpointId: string, result: AttemptOutcome): CompletedAttempt => ({
    delivery: delivery({ id, endpointId }),
    outcome: result,
  });

  it('lets an earlier 410 stop the retries of later attempts at the same endpoint', () => {
    const { states, health } = decide(
      [attempt('dlv_1', 'ep_1', outcome({ statusCode: 410, error: 'http_410' })), attempt('dlv_2', 'ep_1', outcome())],
      endpoints,
      POLICY,
    );
    expect(states.map((s) => [s.id, s.status])).toEqual([
      ['dlv_1', 'failed'],
      ['dlv_2', 'failed'],
    ]);
    expect(health).toEqual([{ id: 'ep_1', disable: `the endpoint answered 410 Gone at ${AT}` }]);
    // The caller's view of the endpoints is left as it was.
    expect(endpoints.get('ep_1')?.enabled).toBe(true);
  });

  it('starts a streak once for several failures in one batch', () => {
    const { states, health } = decide(
      [attempt('dlv_1', 'ep_1', outcome()), attempt('dlv_2', 'ep_1', outcome())],
      endpoints,
      POLICY,
    );
    expect(states.map((s) => s.status)).toEqual(['pending', 'pending']);
    expect(health).toEqual([
      { id: 'ep_1', failingSince: AT, breaker: { ...CLOSED_BREAKER, consecutiveFailures: 1 } },
      { id: 'ep_1', failingSince: AT, breaker: { ...CLOSED_BREAKER, consecutiveFailures: 2 } },
    ]);
  });

  it('retries nothing for a disabled endpoint and retries a vanished one as usual', () => {
    const { states, health } = decide(
      [attempt('dlv_1', 'ep_2', outcome()), attempt('dlv_2', 'ep_gone', outcome())],
      endpoints,
      POLICY,
    );
    expect(states.map((s) => s.status)).toEqual(['failed', 'pending']);
    expect(health).toEqual([]);
  });

  it('lets a failed probe re-open the breaker with a doubled cool-down, and a late failure not', () => {
    const paused = new Map<string, EndpointHealth>([
      [
        'ep_1',
        { id: 'ep_1', enabled: true, failingSince: later(-60_000), consecutiveFailures: 5, breakerOpens: 1, pausedUntil: AT },
      ],
    ]);
    const late = decide([attempt('dlv_1', 'ep_1', outcome())], paused, POLICY).health;
    expect(late).toEqual([
      { id: 'ep_1', failingSince: later(-60_000), breaker: { consecutiveFailures: 6, breakerOpens: 1, pausedUntil: AT } },
    ]);
    const probe = decide([{ ...attempt('dlv_1', 'ep_1', outcome()), probe: true }], paused, POLICY).health;
    expect(probe).toEqual([
      {
        id: 'ep_1',
        failingSince: later(-60_000),
        breaker: { consecutiveFailures: 6, breakerOpens: 2, pausedUntil: later(60_000) },
      },
    ]);
  });

  it('tells a batch of successes apart', () => {
    expect(allSucceeded([attempt('dlv_1', 'ep_1', success())])).toBe(true);
    expect(allSucceeded([attempt('dlv_1', 'ep_1', success()), attempt('dlv_2', 'ep_1', outcome())])).toBe(false);
  });
});
