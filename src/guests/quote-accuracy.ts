/**
 * Scoring quotes against what happened: pure, shared by GET /api/waitlist/accuracy (which sums in
 * SQL) and the service simulator (which sums its own seated guests), so both mean the same thing.
 *
 * Per seated guest: the error is |actual − quoted| minutes; "within five" is an error of at most 5;
 * "under-quoted" is an actual wait longer than the quote (a promise broken).
 */

export const WITHIN_MINUTES = 5;

/** Sums over some seated guests; what the database adds up. */
export interface AccuracyTotals {
  seated: number;
  absoluteErrorSum: number;
  withinFive: number;
  underQuoted: number;
}

export interface AccuracyFigures {
  seated: number;
  meanAbsoluteErrorMinutes: number | null;
  withinFiveMinutesShare: number | null;
  underQuotedShare: number | null;
}

export interface Accuracy extends AccuracyFigures {
  byCapacity: Record<string, { seated: number; meanAbsoluteErrorMinutes: number | null }>;
}

export interface ScoredWait {
  quotedMinutes: number;
  actualMinutes: number;
  /** The table size class the guest was seated at. */
  capacity: number;
}

export const EMPTY_TOTALS: AccuracyTotals = { seated: 0, absoluteErrorSum: 0, withinFive: 0, underQuoted: 0 };

export function addWait(totals: AccuracyTotals, quoted: number, actual: number): AccuracyTotals {
  const error = Math.abs(actual - quoted);
  return {
    seated: totals.seated + 1,
    absoluteErrorSum: totals.absoluteErrorSum + error,
    withinFive: totals.withinFive + (error <= WITHIN_MINUTES ? 1 : 0),
    underQuoted: totals.underQuoted + (actual > quoted ? 1 : 0),
  };
}

export function mergeTotals(a: AccuracyTotals, b: AccuracyTotals): AccuracyTotals {
  return {
    seated: a.seated + b.seated,
    absoluteErrorSum: a.absoluteErrorSum + b.absoluteErrorSum,
    withinFive: a.withinFive + b.withinFive,
    underQuoted: a.underQuoted + b.underQuoted,
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Minutes to two decimals and shares (0–1) to four; every figure null when nobody was seated. */
export function accuracyFigures(totals: AccuracyTotals): AccuracyFigures {
  if (totals.seated <= 0) {
    return { seated: 0, meanAbsoluteErrorMinutes: null, withinFiveMinutesShare: null, underQuotedShare: null };
  }
  return {
    seated: totals.seated,
    meanAbsoluteErrorMinutes: round(totals.absoluteErrorSum / totals.seated, 2),
    withinFiveMinutesShare: round(totals.withinFive / totals.seated, 4),
    underQuotedShare: round(totals.underQuoted / totals.seated, 4),
  };
}

/** The accuracy report from totals per table size class. */
export function accuracyReport(byCapacity: Map<number, AccuracyTotals>): Accuracy {
  let all = EMPTY_TOTALS;
  const perClass: Accuracy['byCapacity'] = {};
  for (const [capacity, totals] of [...byCapacity].sort(([a], [b]) => a - b)) {
    all = mergeTotals(all, totals);
    const figures = accuracyFigures(totals);
    perClass[String(capacity)] = { seated: figures.seated, meanAbsoluteErrorMinutes: figures.meanAbsoluteErrorMinutes };
  }
  return { ...accuracyFigures(all), byCapacity: perClass };
}

/** The same report from individual seated guests (the simulator's path). */
export function scoreWaits(waits: ScoredWait[]): Accuracy {
  const byCapacity = new Map<number, AccuracyTotals>();
  for (const wait of waits) {
    byCapacity.set(wait.capacity, addWait(byCapacity.get(wait.capacity) ?? EMPTY_TOTALS, wait.quotedMinutes, wait.actualMinutes));
  }
  return accuracyReport(byCapacity);
}

/** Whole minutes from check-in to seat, as `actualWaitMinutes` reports them. */
export function wholeMinutesBetween(fromIso: string, toIso: string): number {
  return Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
}
