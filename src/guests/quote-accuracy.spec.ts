import { accuracyFigures, accuracyReport, addWait, EMPTY_TOTALS, scoreWaits, wholeMinutesBetween } from './quote-accuracy';

describe('addWait', () => {
  it.each([
    // quoted, actual → error, within five, under-quoted
    [10, 10, 0, 1, 0],
    [10, 15, 5, 1, 1],
    [10, 16, 6, 0, 1],
    [10, 4, 6, 0, 0],
    [10, 5, 5, 1, 0],
    [0, 0, 0, 1, 0],
    [0, 30, 30, 0, 1],
  ])('quoted %i, waited %i: error %i, within %i, under %i', (quoted, actual, error, within, under) => {
    expect(addWait(EMPTY_TOTALS, quoted, actual)).toEqual({
      seated: 1,
      absoluteErrorSum: error,
      withinFive: within,
      underQuoted: under,
    });
  });
});

describe('accuracyFigures', () => {
  it.each([
    [
      { seated: 0, absoluteErrorSum: 0, withinFive: 0, underQuoted: 0 },
      { seated: 0, meanAbsoluteErrorMinutes: null, withinFiveMinutesShare: null, underQuotedShare: null },
    ],
    [
      { seated: 4, absoluteErrorSum: 20, withinFive: 3, underQuoted: 1 },
      { seated: 4, meanAbsoluteErrorMinutes: 5, withinFiveMinutesShare: 0.75, underQuotedShare: 0.25 },
    ],
    [
      { seated: 3, absoluteErrorSum: 13, withinFive: 1, underQuoted: 2 },
      { seated: 3, meanAbsoluteErrorMinutes: 4.33, withinFiveMinutesShare: 0.3333, underQuotedShare: 0.6667 },
    ],
  ])('%j → %j', (totals, figures) => {
    expect(accuracyFigures(totals)).toEqual(figures);
  });
});

describe('accuracyReport and scoreWaits', () => {
  it('adds the classes up and reports each by table size, smallest first', () => {
    const report = scoreWaits([
      { quotedMinutes: 10, actualMinutes: 12, capacity: 4 },
      { quotedMinutes: 20, actualMinutes: 10, capacity: 4 },
      { quotedMinutes: 0, actualMinutes: 0, capacity: 2 },
    ]);
    expect(report).toEqual({
      seated: 3,
      meanAbsoluteErrorMinutes: 4,
      withinFiveMinutesShare: 0.6667,
      underQuotedShare: 0.3333,
      byCapacity: { '2': { seated: 1, meanAbsoluteErrorMinutes: 0 }, '4': { seated: 2, meanAbsoluteErrorMinutes: 6 } },
    });
    expect(Object.keys(report.byCapacity)).toEqual(['2', '4']);
  });

  it('is all nulls and no classes when nobody was seated', () => {
    expect(accuracyReport(new Map())).toEqual({
      seated: 0,
      meanAbsoluteErrorMinutes: null,
      withinFiveMinutesShare: null,
      underQuotedShare: null,
      byCapacity: {},
    });
  });
});

describe('wholeMinutesBetween', () => {
  it.each([
    ['2026-12-01T18:00:00.000Z', '2026-12-01T18:00:00.000Z', 0],
    ['2026-12-01T18:00:00.000Z', '2026-12-01T18:10:00.000Z', 10],
    ['2026-12-01T18:00:00.000Z', '2026-12-01T18:10:29.999Z', 10],
    ['2026-12-01T18:00:00.000Z', '2026-12-01T18:10:30.000Z', 11],
    ['2026-12-01T18:00:00.000Z', '2026-12-01T17:59:00.000Z', 0],
  ])('%s → %s is %i', (from, to, minutes) => {
    expect(wholeMinutesBetween(from, to)).toBe(minutes);
  });
});
