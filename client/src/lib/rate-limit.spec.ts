import { parseRateLimit, rateLimitText } from './rate-limit';

describe('parseRateLimit', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['1', 1],
    [' 20 ', 20],
    ['10000', 10_000],
  ])('%j → %p', (text, value) => {
    expect(parseRateLimit(text)).toEqual({ ok: true, value });
  });

  it.each(['0', '10001', '1.5', '-3', 'fast', '2e3'])('refuses %j', (text) => {
    const parsed = parseRateLimit(text);
    expect(parsed.ok).toBe(false);
  });
});

describe('rateLimitText', () => {
  it.each([
    [null, 'No rate limit'],
    [20, '≤ 20/s'],
    [10_000, '≤ 10,000/s'],
  ])('%p → %p', (limit, text) => {
    expect(rateLimitText(limit)).toBe(text);
  });
});
