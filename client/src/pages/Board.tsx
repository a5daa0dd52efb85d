import { useEffect, useState } from 'react';
import { QrCode } from '../components/QrCode';
import { Shell } from '../components/Shell';
import { Empty, Loading } from '../components/States';
import { capacityRows, sortTables } from '../lib/floor';
import { waitText } from '../lib/format';
import { useLive, useNow } from '../lib/live';
import type { Availability } from '../lib/types';

/** `/board`: the lobby screen. Public, live from `/floor`, readable from across the room. */
export function BoardPage() {
  const [availability, setAvailability] = useState<Availability | null>(null);
  const { state } = useLive({ namespace: '/floor', on: { availability: (a: Availability) => setAvailability(a) } });
  const now = useNow(10_000);

  useEffect(() => {
    document.title = 'Tables · Maitred';
  }, []);

  return (
    <Shell variant="board" live={state} nav={false}>
      <div className="board-head">
        <div>
          <h1>Tables right now</h1>
          {availability && (
            <p className="board-summary">
              <strong>{availability.free}</strong> of {availability.total} tables free · <strong>{availability.waiting}</strong>{' '}
              {availability.waiting === 1 ? 'party' : 'parties'} waiting
            </p>
          )}
        </div>
        <time className="board-clock" dateTime={new Date(now).toISOString()}>
          {new Date(now).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
        </time>
      </div>
      {!availability ? (
        <Loading>{state === 'reconnecting' ? 'Cannot reach the restaurant system; retrying…' : 'Loading the floor…'}</Loading>
      ) : availability.total === 0 ? (
        <Empty title="No tables on the floor yet" />
      ) : (
        <div className="board-body">
          <div className="board-grid">
            {capacityRows(availability).map((row) => (
              <section
                key={row.capacity}
                className={`board-card${row.free > 0 ? ' board-card-free' : ''}`}
                aria-label={`Tables for ${row.capacity}`}
              >
                <h2>
                  Tables for <span className="big">{row.capacity}</span>
                </h2>
                <p className="board-free">
                  <strong>{row.free}</strong> free of {row.total}
                </p>
                <p className="board-wait">
                  {row.estimatedWaitMinutes > 0
                    ? `Wait: ${waitText(row.estimatedWaitMinutes).toLowerCase()}`
                    : row.free > 0
                      ? 'Seating now'
                      : 'First in line for the next table'}
                </p>
                <div className="board-dots" aria-hidden="true">
                  {sortTables(availability.tables.filter((t) => t.capacity === row.capacity)).map((t) => (
                    <span key={t.id} className={`dot-table table-${t.status}`} title={`${t.label}: ${t.status}`} />
                  ))}
                </div>
              </section>
            ))}
          </div>
          <aside className="board-qr">
            <h2>Join the waitlist</h2>
            <QrCode url={`${window.location.origin}/`} label="QR code to check in" />
            <p>Scan to check in. We will show your place in line live on your phone.</p>
          </aside>
        </div>
      )}
    </Shell>
  );
}
