import { useState } from 'react';
import { Empty, ErrorState, Loading } from '../../components/States';
import { api } from '../../lib/api';
import { fittingTables } from '../../lib/floor';
import { QuoteCompare } from '../../components/QuoteCompare';
import { ago } from '../../lib/format';
import type { Guest, Table } from '../../lib/types';
import { PagingControls } from './PagingControls';
import type { Act } from './Toast';

/** The waiting line, in order, each party with its wait and the seat/remove actions. */
export function WaitlistCard({
  waitlist,
  reconnecting,
  tables,
  now,
  apiKey,
  act,
}: {
  waitlist: Guest[] | null;
  reconnecting: boolean;
  tables: Table[];
  now: number;
  apiKey: string;
  act: Act;
}) {
  return (
    <section className="card" aria-labelledby="waitlist-title">
      <h2 id="waitlist-title">Waitlist</h2>
      {waitlist === null ? (
        reconnecting ? (
          <ErrorState message="Cannot reach Maitred; retrying…" />
        ) : (
          <Loading>Loading the waitlist…</Loading>
        )
      ) : waitlist.length === 0 ? (
        <Empty title="Nobody is waiting">New check-ins appear here instantly.</Empty>
      ) : (
        <ol className="waitlist">
          {waitlist.map((guest) => (
            <WaitlistRow key={guest.id} guest={guest} tables={tables} now={now} apiKey={apiKey} act={act} />
          ))}
        </ol>
      )}
    </section>
  );
}

function WaitlistRow({
  guest,
  tables,
  now,
  apiKey,
  act,
}: {
  guest: Guest;
  tables: Table[];
  now: number;
  apiKey: string;
  act: Act;
}) {
  const [choosing, setChoosing] = useState(false);
  const [busy, setBusy] = useState(false);
  const options = fittingTables(tables, guest.partySize);

  const seat = async (table: Table) => {
    setBusy(true);
    const ok = await act(`${guest.name} seated at ${table.label}.`, () =>
      api('POST', `/api/guests/${encodeURIComponent(guest.id)}/seat`, { apiKey, body: { tableId: table.id } }),
    );
    setBusy(false);
    if (ok) setChoosing(false);
  };
  const remove = (reason: 'no_show' | 'cancelled') =>
    act(`${guest.name} removed from the line.`, () =>
      api('POST', `/api/guests/${encodeURIComponent(guest.id)}/leave`, { apiKey, body: { reason } }),
    );

  return (
    <li className="waitlist-row" aria-label={guest.name}>
      <span className="position" aria-label={`Position ${guest.position ?? ''}`}>
        {guest.position}
      </span>
      <div className="who">
        <strong>{guest.name}</strong>
        <span className="muted">
          party of {guest.partySize} · checked in {ago(guest.checkedInAt, now)}
          {guest.phone ? ` · ${guest.phone}` : ''}
        </span>
      </div>
      <QuoteCompare guest={guest} now={now} />
      <div className="row-actions">
        <button
          type="button"
          className="btn btn-primary btn-small"
          aria-expanded={choosing}
          onClick={() => setChoosing((c) => !c)}
        >
          {choosing ? 'Cancel' : `Seat ${guest.name}`}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => void remove('no_show')}>
          No-show
        </button>
      </div>
      <PagingControls guest={guest} tables={tables} apiKey={apiKey} act={act} />
      {choosing && (
        <div className="chooser" role="group" aria-label={`Tables for ${guest.name}`}>
          {options.length === 0 ? (
            <span className="muted">No free table seats {guest.partySize} right now.</span>
          ) : (
            <>
              <span className="muted">Choose a table:</span>
              {options.map((table) => (
                <button
                  key={table.id}
                  type="button"
                  className="btn btn-small btn-table"
                  disabled={busy}
                  onClick={() => void seat(table)}
                >
                  {table.label} · {table.capacity} seats
                </button>
              ))}
            </>
          )}
        </div>
      )}
    </li>
  );
}
