import { parseDuration, parseDurationList } from './duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5_000],
    [' 30m ', 1_800_000],
    ['24h', 86_400_000],
    ['5D', 432_000_000],
    ['1.5s', 1_500],
    ['0.0004s', 0],
    ['', null],
    ['5', null],
    ['-5s', null],
    ['5w', null],
    ['5 s 2', null],
    ['1'.repeat(400) + 's', null],
  ])('%p → %p', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('parseDurationList', () => {
  it.each([
    ['1s', [1_000]],
    ['1s,2s, 5m ', [1_000, 2_000, 300_000]],
    ['', null],
    ['1s,', null],
    ['1s,,2s', null],
    [',1s', null],
    ['1s;2s', null],
  ])('%p → %p', (text, list) => {
    expect(parseDurationList(text)).toEqual(list);
  });
});
