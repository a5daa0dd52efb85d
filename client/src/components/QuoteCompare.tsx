import { waitText } from '../lib/format';
import { minutesOverQuote, type QuoteRange, rangeText } from '../lib/quotes';
import './QuoteCompare.css';

/**
 * A waiting guest's quote as staff see it: the current estimate (and its range) next to the quote the
 * guest was given at check-in, turning red once they have waited longer than that original quote.
 */
export function QuoteCompare({
  guest,
  now,
}: {
  guest: {
    quotedWaitMinutes: number | null;
    quotedWaitAtCheckIn?: number | null;
    quotedWaitRange?: QuoteRange | null;
    checkedInAt: string;
  };
  now: number;
}) {
  const original = guest.quotedWaitAtCheckIn ?? null;
  // The dashboard's clock ticks every 15 s; a push re-renders the row sooner, so look at the time too.
  // eslint-disable-next-line react-hooks/purity -- deliberately the clock at render, as said above.
  const over = minutesOverQuote(original, guest.checkedInAt, Math.max(now, Date.now()));
  const range = rangeText(guest.quotedWaitRange);
  return (
    <span className={`quote-compare${over > 0 ? ' quote-late' : ''}`} data-late={over > 0 ? 'true' : 'false'}>
      <span className="quote" title="Quoted wait">
        {waitText(guest.quotedWaitMinutes)}
      </span>
      {range && <span className="quote-range muted">likely {range}</span>}
      {original !== null && (
        <span className="quote-original" title="Quoted at check-in">
          Quoted {waitText(original).replace(/^About /, '')} at check-in
        </span>
      )}
      {over > 0 && (
        <span className="badge badge-bad" role="status">
          {over} min over
        </span>
      )}
    </span>
  );
}
