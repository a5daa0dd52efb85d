import {
  adapt,
  capacityOf,
  grant,
  isRateLimited,
  nextTokenInMs,
  RATE_LIMIT_MAX,
  type RateState,
  rateOf,
  refill,
  UNLIMITED,
} from './rate-limit';

const state = (patch: Partial<RateState>): RateState => ({ ...UNLIMITED, ...patch });

describe('rateOf / isRateLimited', () => {
  it.each([
    [{}, null],
    [{ limit: 20 }, 20],
    [{ limit: 20, effective: 5 }, 5],
    [{ effective: 3 }, 3],
  ])('%j → %p', (patch, expected) => {
    expect(rateOf(state(patch))).toBe(expected);
    expect(isRateLimited(state(patch))).toBe(expected !== null);
  });
});

describe('refill', () => {
  it.each([
    // [state, now, tokens]
    ['unlimited', {}, 0, Number.POSITIVE_INFINITY],
    ['a new bucket is full (a fifth of a second)', { limit: 20 }, 0, 4],
    ['the capacity is at least one token', { limit: 2 }, 0, 1],
    ['refills at the rate', { limit: 20, tokens: 0, refilledAt: 1_000 }, 1_100, 2],
    ['never past the capacity', { limit: 20, tokens: 1, refilledAt: 1_000 }, 60_000, 4],
    ['a clock that went back refills nothing', { limit: 20, tokens: 1.5, refilledAt: 2_000 }, 1_000, 1.5],
    ['the effective rate refills and sizes it', { limit: 100, effective: 10, tokens: 0, refilledAt: 0 }, 50, 0.5],
    ['a shrunk rate clamps the tokens left', { limit: 100, effective: 10, tokens: 20, refilledAt: 0 }, 0, 2],
  ])('%s', (_name, patch, now, expected) => {
    expect(refill(state(patch), now)).toBeCloseTo(expected, 9);
  });
});

describe('grant', () => {
  it.each([
    [4, 16, 4],
    [3.99, 16, 3],
    [0.5, 16, 0],
    [10, 2, 2],
    [-1, 5, 0],
    [Number.POSITIVE_INFINITY, 7, 7],
  ])('%p tokens, %p wanted → %p', (tokens, wanted, expected) => {
    expect(grant(tokens, wanted)).toBe(expected);
  });
});

describe('nextTokenInMs', () => {
  it.each([
    [1, 20, 0],
    [0, 20, 50],
    [0.5, 20, 25],
    [0, 1, 1_000],
    [0.25, 2, 375],
  ])('%p left at %p/s → %p ms', (left, rate, expected) => {
    expect(nextTokenInMs(left, rate)).toBe(expected);
  });
});

describe('a bucket over time stays within 10 % in every 5 s window', () => {
  it.each([1, 3, 20, 250, 10_000])('at %p/s, taking greedily every 10 ms', (rate) => {
    let bucket = state({ limit: rate });
    const taken: number[] = [];
    for (let now = 0; now <= 20_000; now += 10) {
      const tokens = refill(bucket, now);
      const n = grant(tokens, 1_000_000);
      for (let i = 0; i < n; i++) taken.push(now);
      bucket = { ...bucket, tokens: tokens - n, refilledAt: now };
    }
    let worst = 0;
    for (let start = 0, end = 0; start < taken.length; start++) {
      while (end < taken.length && taken[end] < taken[start] + 5_000) end++;
      worst = Math.max(worst, end - start);
    }
    expect(worst).toBeLessThanOrEqual(Math.max(5 * rate * 1.1, 5));
    // And close to the rate over the whole run, not far below.
    expect(taken.length).toBeGreaterThanOrEqual(20 * rate * 0.95);
    expect(capacityOf(rate)).toBeLessThanOrEqual(Math.max(1, rate * 0.5));
  });
});

describe('adapt', () => {
  const none = { throttled: 0, succeeded: 0 };
  it.each([
    ['unlimited and fine stays unlimited', {}, { succeeded: 5 }, 100, 10_000, { effective: null, throttledAt: null }],
    [
      'a throttle answer halves the configured limit',
      { limit: 20 },
      { throttled: 1 },
      0,
      10_000,
      { effective: 10, throttledAt: 10_000 },
    ],
    [
      '…and the effective one',
      { limit: 20, effective: 8, throttledAt: 1_000 },
      { throttled: 3 },
      0,
      10_000,
      { effective: 4, throttledAt: 10_000 },
    ],
    [
      'at most once a second',
      { limit: 20, effective: 8, throttledAt: 9_500 },
      { throttled: 1 },
      0,
      10_000,
      { effective: 8, throttledAt: 9_500 },
    ],
    ['never below 1/s', { limit: 20, effective: 1.5 }, { throttled: 1 }, 0, 10_000, { effective: 1, throttledAt: 10_000 }],
    ['without a limit, from half the observed rate', {}, { throttled: 1 }, 60, 10_000, { effective: 30, throttledAt: 10_000 }],
    ['without a limit or an observed rate, 1/s', {}, { throttled: 2 }, 0, 10_000, { effective: 1, throttledAt: 10_000 }],
    [
      'successes add 1/s per second of them',
      { limit: 20, effective: 4, throttledAt: 0 },
      { succeeded: 4 },
      0,
      10_000,
      { effective: 5, throttledAt: 0 },
    ],
    [
      '…up to the limit, where adaptation ends',
      { limit: 20, effective: 19.5 },
      { succeeded: 20 },
      0,
      10_000,
      { effective: null, throttledAt: null },
    ],
    [
      '…or RATE_LIMIT_MAX without one',
      { effective: RATE_LIMIT_MAX - 0.5 },
      { succeeded: 10_000 },
      0,
      10_000,
      { effective: null, throttledAt: null },
    ],
    ['nothing recorded changes nothing', { limit: 20, effective: 4 }, none, 0, 10_000, { effective: 4, throttledAt: null }],
  ])('%s', (_name, patch, outcomes, observed, now, expected) => {
    expect(adapt(state(patch), { ...none, ...outcomes }, observed, now)).toEqual(expected);
  });
});
