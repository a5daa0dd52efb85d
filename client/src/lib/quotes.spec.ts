import { accuracyPeriods, minutesOverQuote, minutesText, minutesWaited, rangeText, shareText } from './quotes';

const at = '2026-12-01T18:00:00.000Z';
const later = (minutes: number, seconds = 0) => Date.parse(at) + minutes * 60_000 + seconds * 1000;

describe('minutesWaited and minutesOverQuote', () => {
  it.each([
    [0, 0, 20, 0, 0],
    [19, 59, 20, 19, 0],
    [20, 0, 20, 20, 0],
    [21, 0, 20, 21, 1],
    [35, 30, 20, 35, 15],
    [5, 0, 0, 5, 5],
  ])('%i min %i s after check-in, quoted %i: waited %i, over by %i', (minutes, seconds, quoted, waited, over) => {
    expect(minutesWaited(at, later(minutes, seconds))).toBe(waited);
    expect(minutesOverQuote(quoted, at, later(minutes, seconds))).toBe(over);
  });

  it('is never over without a kept quote, and never negative', () => {
    expect(minutesOverQuote(null, at, later(90))).toBe(0);
    expect(minutesOverQuote(undefined, at, later(90))).toBe(0);
    expect(minutesWaited(at, later(-5))).toBe(0);
  });
});

describe('texts', () => {
  it.each([
    [{ low: 10, high: 25 }, '10–25 min'],
    [{ low: 15, high: 15 }, '15 min'],
    [{ low: 0, high: 0 }, null],
    [null, null],
  ])('range %j is %j', (range, text) => {
    expect(rangeText(range)).toBe(text);
  });

  it.each([
    [null, '–', '–'],
    [0, '0.0 min', '0 %'],
    [0.6667, '0.7 min', '67 %'],
    [4.33, '4.3 min', '433 %'],
  ])('%j', (value, minutes, share) => {
    expect(minutesText(value)).toBe(minutes);
    expect(shareText(value)).toBe(share);
  });
});

describe('accuracyPeriods', () => {
  it('starts today at local midnight and the week six midnights earlier', () => {
    const now = new Date(2026, 11, 8, 19, 30).getTime();
    const [today, week] = accuracyPeriods(now);
    expect(today).toEqual({ label: 'Today', since: new Date(2026, 11, 8).toISOString() });
    expect(week).toEqual({ label: 'Last 7 days', since: new Date(2026, 11, 2).toISOString() });
  });
});
