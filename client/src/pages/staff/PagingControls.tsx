import { useState } from 'react';
import { api } from '../../lib/api';
import { fittingTables } from '../../lib/floor';
import { useNow } from '../../lib/live';
import { countdown, isPaged } from '../../lib/paging';
import type { Guest, Table } from '../../lib/types';
import type { Act } from './Toast';

/**
 * Paging one waiting guest from the waitlist: `Notify` (optionally holding a free table that fits),
 * then, while paged, the time left, whether they confirmed, and seating them at the held table.
 */
export function PagingControls({ guest, tables, apiKey, act }: { guest: Guest; tables: Table[]; apiKey: string; act: Act }) {
  const now = useNow(1_000);
  const [choosing, setChoosing] = useState(false);
  const [busy, setBusy] = useState(false);
  const path = (action: string) => `/api/guests/${encodeURIComponent(guest.id)}/${action}`;

  if (isPaged(guest)) {
    const held = guest.heldTableId ? tables.find((t) => t.id === guest.heldTableId) : undefined;
    const left = countdown(guest.holdUntil, now);
    const seatHeld = () =>
      act(`${guest.name} seated at ${held?.label ?? 'the held table'}.`, () =>
        api('POST', path('seat'), { apiKey, body: { tableId: guest.heldTableId } }),
      );
    return (
      <div className="paging" role="group" aria-label={`Paging ${guest.name}`}>
        <span className="badge badge-info">Paged</span>
        <span className="countdown">{left ? `${left} left` : 'hold ended'}</span>
        {guest.confirmedAt ? (
          <span className="badge badge-good">Confirmed</span>
        ) : (
          <span className="muted">not confirmed yet</span>
        )}
        {held && <span className="muted">holding {held.label}</span>}
        {guest.heldTableId && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => void seatHeld()}>
            Seat at {held?.label ?? 'held table'}
          </button>
        )}
      </div>
    );
  }

  const notify = async (table: Table | null) => {
    setBusy(true);
    const ok = await act(table ? `${guest.name} paged; ${table.label} is held for them.` : `${guest.name} paged.`, () =>
      api('POST', path('notify'), { apiKey, body: table ? { tableId: table.id } : {} }),
    );
    setBusy(false);
    if (ok) setChoosing(false);
  };

  return (
    <div className="paging">
      <button
        type="button"
        className="btn btn-small"
        aria-expanded={choosing}
        aria-label={`Notify ${guest.name}`}
        onClick={() => setChoosing((c) => !c)}
      >
        {choosing ? 'Close' : 'Notify'}
      </button>
      {choosing && (
        <div className="chooser" role="group" aria-label={`Notify ${guest.name}: hold a table?`}>
          <span className="muted">Page {guest.name} and hold:</span>
          {fittingTables(tables, guest.partySize).map((table) => (
            <button
              key={table.id}
              type="button"
              className="btn btn-small btn-table"
              disabled={busy}
              onClick={() => void notify(table)}
            >
              Hold {table.label}
            </button>
          ))}
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void notify(null)}>
            No table, just page
          </button>
        </div>
      )}
    </div>
  );
}
