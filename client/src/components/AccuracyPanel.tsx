import { useCallback, useEffect, useState } from 'react';
import { api, explain } from '../lib/api';
import { type Accuracy, accuracyPeriods, minutesText, shareText } from '../lib/quotes';
import { ErrorState, Loading } from './States';
import './QuoteCompare.css';

/**
 * How well quotes kept their word, today and over the last 7 days (GET /api/waitlist/accuracy).
 * Reloads whenever `refreshOn` changes (the dashboard passes its seated list, which changes on seating).
 */
export function AccuracyPanel({ apiKey, refreshOn, now }: { apiKey: string; refreshOn: unknown; now: number }) {
  const [reports, setReports] = useState<{ label: string; accuracy: Accuracy }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const day = new Date(now).toDateString();

  const load = useCallback(() => {
    const periods = accuracyPeriods(Date.parse(day) || Date.now());
    Promise.all(
      periods.map(async (period) => ({
        label: period.label,
        accuracy: await api<Accuracy>('GET', `/api/waitlist/accuracy?since=${encodeURIComponent(period.since)}`, { apiKey }),
      })),
    ).then(
      (loaded) => {
        setReports(loaded);
        setError(null);
      },
      (failure: unknown) => setError(explain(failure)),
    );
  }, [apiKey, day]);

  useEffect(() => {
    load();
  }, [load, refreshOn]);

  const sizes = [...new Set((reports ?? []).flatMap((r) => Object.keys(r.accuracy.byCapacity)))].sort(
    (a, b) => Number(a) - Number(b),
  );

  return (
    <section className="card" aria-labelledby="accuracy-title">
      <h2 id="accuracy-title">Quote accuracy</h2>
      {error && !reports ? (
        <ErrorState message={error} onRetry={load} />
      ) : !reports ? (
        <Loading>Loading accuracy…</Loading>
      ) : (
        <>
          <table className="accuracy-table" aria-label="Quote accuracy by period">
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Seated</th>
                <th scope="col">Mean error</th>
                <th scope="col">Within ±5 min</th>
                <th scope="col">Under-quoted</th>
              </tr>
            </thead>
            <tbody>
              {reports.map(({ label, accuracy }) => (
                <tr key={label} aria-label={label}>
                  <th scope="row">{label}</th>
                  <td>{accuracy.seated}</td>
                  <td>{minutesText(accuracy.meanAbsoluteErrorMinutes)}</td>
                  <td>{shareText(accuracy.withinFiveMinutesShare)}</td>
                  <td>{shareText(accuracy.underQuotedShare)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {sizes.length > 0 && (
            <table className="accuracy-table accuracy-sizes" aria-label="Mean error by table size">
              <thead>
                <tr>
                  <th scope="col">Mean error</th>
                  {sizes.map((size) => (
                    <th key={size} scope="col">
                      {size} seats
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {reports.map(({ label, accuracy }) => (
                  <tr key={label} aria-label={`${label} by table size`}>
                    <th scope="row">{label}</th>
                    {sizes.map((size) => (
                      <td key={size}>{minutesText(accuracy.byCapacity[size]?.meanAbsoluteErrorMinutes ?? null)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="accuracy-note muted">Each seated guest's quote at check-in against the wait they actually had.</p>
        </>
      )}
    </section>
  );
}
