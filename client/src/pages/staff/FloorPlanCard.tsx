import { useState } from 'react';
import { Empty, ErrorState, Loading } from '../../components/States';
import { sortTables } from '../../lib/floor';
import { capitalize } from '../../lib/format';
import type { Guest, Table, TableStatus } from '../../lib/types';

/** The floor plan card: every table as a tile in its status colour, with the actions its status allows. */
export function FloorPlanCard({
  tables,
  seated,
  loadError,
  onRetry,
  onSet,
}: {
  tables: Table[] | null;
  seated: Guest[] | null;
  loadError: string | null;
  onRetry: () => void;
  onSet: (table: Table, status: TableStatus) => Promise<boolean>;
}) {
  const guestsById = new Map((seated ?? []).map((g) => [g.id, g]));
  return (
    <section className="card" aria-labelledby="floor-title">
      <div className="card-head">
        <h2 id="floor-title">Floor plan</h2>
        <Legend />
      </div>
      {loadError && !tables ? (
        <ErrorState message={loadError} onRetry={onRetry} />
      ) : !tables ? (
        <Loading>Loading tables…</Loading>
      ) : tables.length === 0 ? (
        <Empty title="No tables yet">An admin adds tables with POST /api/tables.</Empty>
      ) : (
        <div className="floorplan">
          {sortTables(tables).map((table) => (
            <TableTile
              key={table.id}
              table={table}
              guest={table.guestId ? guestsById.get(table.guestId) : undefined}
              onSet={onSet}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function Legend() {
  return (
    <ul className="legend" aria-label="Table colours">
      {(['free', 'occupied', 'reserved', 'cleaning'] as const).map((status) => (
        <li key={status}>
          <span className={`swatch swatch-${status}`} aria-hidden="true" />
          {capitalize(status)}
        </li>
      ))}
    </ul>
  );
}

function TableTile({
  table,
  guest,
  onSet,
}: {
  table: Table;
  guest: Guest | undefined;
  onSet: (t: Table, s: TableStatus) => Promise<boolean>;
}) {
  const [busy, setBusy] = useState(false);
  const set = async (status: TableStatus) => {
    setBusy(true);
    await onSet(table, status);
    setBusy(false);
  };
  return (
    <article className={`table-tile table-${table.status}`} aria-label={`Table ${table.label}`} data-status={table.status}>
      <header>
        <strong>{table.label}</strong>
        <span className="seats" title={`${table.capacity} seats`}>
          {table.capacity} seats
        </span>
      </header>
      <p className="table-status">{capitalize(table.status)}</p>
      {table.status === 'occupied' && guest && (
        <p className="table-guest">
          {guest.name} · {guest.partySize}
          {guest.paid && <span className="badge badge-good">Paid</span>}
        </p>
      )}
      <div className="tile-actions">
        {table.status === 'free' && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void set('reserved')}>
            Reserve
          </button>
        )}
        {(table.status === 'reserved' || table.status === 'cleaning') && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void set('free')}>
            Mark free
          </button>
        )}
      </div>
    </article>
  );
}
