/** Quote accuracy on the staff screen: pure helpers, unit-tested in quotes.spec.ts. */

export interface QuoteRange {
  low: number;
  high: number;
}

export interface CapacityAccuracy {
  seated: number;
  meanAbsoluteErrorMinutes: number | null;
}

/** GET /api/waitlist/accuracy */
export interface Accuracy {
  seated: number;
  meanAbsoluteErrorMinutes: number | null;
  withinFiveMinutesShare: number | null;
  underQuotedShare: number | null;
  byCapacity: Record<string, CapacityAccuracy>;
}

/** Whole minutes a guest has waited so far. */
export function minutesWaited(checkedInAt: string, now: number): number {
  const at = Date.parse(checkedInAt);
  return Number.isFinite(at) ? Math.max(0, Math.floor((now - at) / 60_000)) : 0;
}

/** Minutes past the check-in quote, or 0 while the quote still holds (or there was none). */
export function minutesOverQuote(quotedAtCheckIn: number | null | undefined, checkedInAt: string, now: number): number {
  if (quotedAtCheckIn === null || quotedAtCheckIn === undefined) return 0;
  return Math.max(0, minutesWaited(checkedInAt, now) - quotedAtCheckIn);
}

export function rangeText(range: QuoteRange | null | undefined): string | null {
  if (!range || range.high <= 0) return null;
  return range.low === range.high ? `${range.low} min` : `${range.low}–${range.high} min`;
}

export function minutesText(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)} min`;
}

export function shareText(value: number | null): string {
  return value === null ? '–' : `${Math.round(value * 100)} %`;
}

/** RFC 3339 instants for "today" (since local midnight) and "the last 7 days" (since local midnight six days ago). */
export function accuracyPeriods(now: number): { label: string; since: string }[] {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const weekStart = new Date(midnight);
  weekStart.setDate(weekStart.getDate() - 6);
  return [
    { label: 'Today', since: midnight.toISOString() },
    { label: 'Last 7 days', since: weekStart.toISOString() },
  ];
}
