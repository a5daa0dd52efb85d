import {
  type BreakerAttempt,
  breakerAfter,
  type BreakerPolicy,
  type BreakerState,
  CLOSED,
  cooldownMs,
  healthView,
} from './circuit-breaker';

const AT = '2026-12-02T12:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();
const POLICY: BreakerPolicy = { threshold: 5, baseCooldownMs: 30_000, maxCooldownMs: 600_000 };
const failure: BreakerAttempt = { at: AT, failed: true, probe: false };
const success: BreakerAttempt = { at: AT, failed: false, probe: false };
const probeFailure: BreakerAttempt = { ...failure, probe: true };

describe('cooldownMs', () => {
  it.each([
    [0, 30_000],
    [1, 60_000],
    [2, 120_000],
    [3, 240_000],
    [4, 480_000],
    [5, 600_000],
    [60, 600_000],
  ])('re-open %i waits %i ms', (opens, expected) => {
    expect(cooldownMs(opens, POLICY)).toBe(expected);
  });
});

describe('breakerAfter', () => {
  interface Case {
    name: string;
    state: BreakerState;
    attempt: BreakerAttempt;
    policy?: BreakerPolicy;
    expected: BreakerState;
  }
  const cases: Case[] = [
    { name: 'a success keeps it closed', state: CLOSED, attempt: success, expected: CLOSED },
    {
      name: 'a failure below the threshold counts',
      state: { ...CLOSED, consecutiveFailures: 3 },
      attempt: failure,
      expected: { ...CLOSED, consecutiveFailures: 4 },
    },
    {
      name: 'the fifth failure in a row opens it for 30 s',
      state: { ...CLOSED, consecutiveFailures: 4 },
      attempt: failure,
      expected: { consecutiveFailures: 5, breakerOpens: 1, pausedUntil: later(30_000) },
    },
    {
      name: 'a failure of an attempt already in flight when it opened changes only the count',
      state: { consecutiveFailures: 5, breakerOpens: 1, pausedUntil: later(30_000) },
      attempt: failure,
      expected: { consecutiveFailures: 6, breakerOpens: 1, pausedUntil: later(30_000) },
    },
    {
      name: 'a failed probe re-opens it with a doubled cool-down',
      state: { consecutiveFailures: 5, breakerOpens: 1, pausedUntil: later(20_000) },
      attempt: probeFailure,
      expected: { consecutiveFailures: 6, breakerOpens: 2, pausedUntil: later(60_000) },
    },
    {
      name: 'the cool-down stops doubling at 10 min',
      state: { consecutiveFailures: 40, breakerOpens: 9, pausedUntil: later(20_000) },
      attempt: probeFailure,
      expected: { consecutiveFailures: 41, breakerOpens: 10, pausedUntil: later(600_000) },
    },
    {
      name: 'a successful probe closes it and forgets the re-opens',
      state: { consecutiveFailures: 9, breakerOpens: 3, pausedUntil: later(20_000) },
      attempt: { ...success, probe: true },
      expected: CLOSED,
    },
    {
      name: 'with the breaker off (threshold 0) failures only count',
      state: { ...CLOSED, consecutiveFailures: 99 },
      attempt: failure,
      policy: { ...POLICY, threshold: 0 },
      expected: { ...CLOSED, consecutiveFailures: 100 },
    },
  ];

  it.each(cases)('$name', (c) => {
    expect(breakerAfter(c.state, c.attempt, c.policy ?? POLICY)).toEqual(c.expected);
  });
});

describe('healthView', () => {
  it.each([
    ['healthy', { ...CLOSED, failingSince: null }, { health: 'healthy', nextProbeAt: null }],
    ['failing', { ...CLOSED, consecutiveFailures: 2, failingSince: AT }, { health: 'failing', nextProbeAt: null }],
    [
      'paused',
      { consecutiveFailures: 5, breakerOpens: 1, pausedUntil: later(30_000), failingSince: AT },
      { health: 'paused', nextProbeAt: later(30_000) },
    ],
  ] as const)('%s', (_name, endpoint, expected) => {
    expect(healthView(endpoint)).toEqual(expected);
  });
});
