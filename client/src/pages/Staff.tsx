import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AccuracyPanel } from '../components/AccuracyPanel';
import { Field } from '../components/Field';
import { KeyGate, type KeySession } from '../components/KeyGate';
import { QrCode } from '../components/QrCode';
import { QuoteCompare } from '../components/QuoteCompare';
import { Shell } from '../components/Shell';
import { Empty, ErrorState, Loading, Notice } from '../components/States';
import { ApiError, api, explain } from '../lib/api';
import { mapFieldIssues } from '../lib/errors';
import { describeEvent, eventTone } from '../lib/events';
import { fittingTables, sortTables } from '../lib/floor';
import { ago, capitalize, clockTime, money, parseAmount } from '../lib/format';
import { type LiveState, useLive, useNow } from '../lib/live';
import { STAFF_KEY } from '../lib/storage';
import type { Delivery, DomainEvent, Guest, Table, TableStatus } from '../lib/types';

const STREAM_LENGTH = 60;

type StreamItem =
  | { kind: 'event'; key: string; at: string; event: DomainEvent }
  | { kind: 'delivery'; key: string; at: string; delivery: Delivery };

/** `/staff`: the host stand. Asks once for a staff (or admin) key. */
export function StaffPage() {
  useEffect(() => {
    document.title = 'Staff · Maitred';
  }, []);
  return (
    <KeyGate
      storageKey={STAFF_KEY}
      title="Staff sign-in"
      intro="Enter an API key with the staff or admin scope. This browser remembers it until you sign out."
      forbidden="This key cannot run the floor; it needs the staff or admin scope."
      check={(key) => api('GET', '/api/guests?status=waiting&limit=1', { apiKey: key })}
    >
      {(session) => <Dashboard session={session} />}
    </KeyGate>
  );
}

function Dashboard({ session }: { session: KeySession }) {
  const { key, signOut } = session;
  const [waitlist, setWaitlist] = useState<Guest[] | null>(null);
  const [tables, setTables] = useState<Table[] | null>(null);
  const [seated, setSeated] = useState<Guest[] | null>(null);
  const [stream, setStream] = useState<StreamItem[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [toast, setToast] = useState<{ tone: 'good' | 'bad'; text: string } | null>(null);
  const now = useNow(15_000);

  const failed = useCallback(
    (failure: unknown) => {
      if (failure instanceof ApiError && failure.status === 401) signOut('Your key is no longer accepted. Sign in again.');
      return explain(failure);
    },
    [signOut],
  );

  const loadTables = useCallback(() => {
    api<Table[]>('GET', '/api/tables', { apiKey: key }).then(
      (list) => {
        setTables(list);
        setLoadError(null);
      },
      (failure: unknown) => setLoadError(failed(failure)),
    );
  }, [key, failed]);

  const loadSeated = useCallback(() => {
    api<Guest[]>('GET', '/api/guests?status=seated&limit=500', { apiKey: key }).then(setSeated, (failure: unknown) =>
      setLoadError(failed(failure)),
    );
  }, [key, failed]);

  // Pushes arrive in bursts (a seating changes two tables and a guest); one reload per burst is plenty.
  const pending = useRef<{ tables: boolean; seated: boolean; frame: number | null }>({ tables: false, seated: false, frame: null });
  const refresh = useCallback(
    (what: { tables?: boolean; seated?: boolean }) => {
      const state = pending.current;
      state.tables ||= Boolean(what.tables);
      state.seated ||= Boolean(what.seated);
      if (state.frame !== null) return;
      state.frame = window.setTimeout(() => {
        state.frame = null;
        if (state.tables) loadTables();
        if (state.seated) loadSeated();
        state.tables = false;
        state.seated = false;
      }, 50);
    },
    [loadTables, loadSeated],
  );

  useEffect(() => {
    loadTables();
    loadSeated();
  }, [loadTables, loadSeated]);

  const auth = useMemo(() => ({ token: key }), [key]);
  const staff = useLive({
    namespace: '/staff',
    auth,
    on: {
      waitlist: (list: Guest[]) => setWaitlist(list),
      event: (event: DomainEvent) => {
        setStream((items) => [{ kind: 'event' as const, key: event.id, at: event.timestamp, event }, ...items].slice(0, STREAM_LENGTH));
        if (event.type.startsWith('guest.') || event.type === 'payment.received') refresh({ seated: true });
      },
      delivery: (delivery: Delivery) => {
        setStream((items) =>
          [{ kind: 'delivery' as const, key: `${delivery.id}:${delivery.attemptCount}`, at: new Date().toISOString(), delivery }, ...items].slice(
            0,
            STREAM_LENGTH,
          ),
        );
      },
    },
  });
  const floor = useLive({ namespace: '/floor', on: { availability: () => refresh({ tables: true }) } });

  useEffect(() => {
    if (staff.state === 'unauthorized') signOut('Your key is no longer accepted for live updates. Sign in again.');
  }, [staff.state, signOut]);
  // After a reconnect the pushes we missed are gone; reload what the pushes would have told us.
  useEffect(() => {
    if (floor.state === 'live') refresh({ tables: true, seated: true });
  }, [floor.state, refresh]);

  const live: LiveState = staff.state === 'live' && floor.state === 'live' ? 'live' : staff.state === 'live' ? floor.state : staff.state;

  useEffect(() => {
    if (!toast) return;
    const timer = window.setTimeout(() => setToast(null), toast.tone === 'good' ? 4000 : 8000);
    return () => window.clearTimeout(timer);
  }, [toast]);

  const act = async (text: string, run: () => Promise<unknown>): Promise<boolean> => {
    try {
      await run();
      setToast({ tone: 'good', text });
      return true;
    } catch (failure) {
      setToast({ tone: 'bad', text: failed(failure) });
      return false;
    }
  };

  const setTableStatus = (table: Table, status: TableStatus) =>
    act(`Table ${table.label} is ${status}.`, () => api('PATCH', `/api/tables/${encodeURIComponent(table.id)}`, { apiKey: key, body: { status } }));

  const guestsById = new Map((seated ?? []).map((g) => [g.id, g]));
  const free = tables?.filter((t) => t.status === 'free').length ?? 0;

  return (
    <Shell
      live={live}
      actions={
        <button type="button" className="btn btn-small btn-ghost" onClick={() => signOut()}>
          Sign out
        </button>
      }
    >
      <div className="page-head">
        <h1>Floor</h1>
        <dl className="stats">
          <div>
            <dt>Waiting</dt>
            <dd>{waitlist?.length ?? '–'}</dd>
          </div>
          <div>
            <dt>Seated</dt>
            <dd>{seated?.length ?? '–'}</dd>
          </div>
          <div>
            <dt>Free tables</dt>
            <dd>
              {tables ? free : '–'}
              <small>/{tables?.length ?? '–'}</small>
            </dd>
          </div>
        </dl>
      </div>
      {toast && (
        <div className={`toast toast-${toast.tone}`} role={toast.tone === 'bad' ? 'alert' : 'status'}>
          <span>{toast.text}</span>
          <button type="button" className="btn btn-small btn-ghost" aria-label="Dismiss" onClick={() => setToast(null)}>
            ×
          </button>
        </div>
      )}
      <div className="dashboard">
        <div className="dashboard-main">
          <section className="card" aria-labelledby="floor-title">
            <div className="card-head">
              <h2 id="floor-title">Floor plan</h2>
              <Legend />
            </div>
            {loadError && !tables ? (
              <ErrorState message={loadError} onRetry={loadTables} />
            ) : !tables ? (
              <Loading>Loading tables…</Loading>
            ) : tables.length === 0 ? (
              <Empty title="No tables yet">An admin adds tables with POST /api/tables.</Empty>
            ) : (
              <div className="floorplan">
                {sortTables(tables).map((table) => (
                  <TableTile key={table.id} table={table} guest={table.guestId ? guestsById.get(table.guestId) : undefined} onSet={setTableStatus} />
                ))}
              </div>
            )}
          </section>

          <section className="card" aria-labelledby="waitlist-title">
            <h2 id="waitlist-title">Waitlist</h2>
            {waitlist === null ? (
              staff.state === 'reconnecting' ? (
                <ErrorState message="Cannot reach Maitred; retrying…" />
              ) : (
                <Loading>Loading the waitlist…</Loading>
              )
            ) : waitlist.length === 0 ? (
              <Empty title="Nobody is waiting">New check-ins appear here instantly.</Empty>
            ) : (
              <ol className="waitlist">
                {waitlist.map((guest) => (
                  <WaitlistRow key={guest.id} guest={guest} tables={tables ?? []} now={now} apiKey={key} act={act} />
                ))}
              </ol>
            )}
          </section>

          <section className="card" aria-labelledby="seated-title">
            <h2 id="seated-title">Seated</h2>
            {seated === null ? (
              <Loading>Loading seated guests…</Loading>
            ) : seated.length === 0 ? (
              <Empty title="No one is seated" />
            ) : (
              <ul className="seated">
                {seated.map((guest) => (
                  <SeatedRow key={guest.id} guest={guest} table={tables?.find((t) => t.id === guest.tableId)} now={now} apiKey={key} act={act} onAuthFailure={failed} />
                ))}
              </ul>
            )}
          </section>
        </div>

        <aside className="dashboard-side">
          <AccuracyPanel apiKey={key} refreshOn={seated} now={now} />
          <section className="card" aria-labelledby="qr-title">
            <h2 id="qr-title">Guests check in here</h2>
            <QrCode url={`${window.location.origin}/`} label="QR code to the check-in page" />
          </section>
          <section className="card" aria-labelledby="stream-title">
            <h2 id="stream-title">Live events</h2>
            {stream.length === 0 ? (
              <Empty title="Listening…">Check-ins, seatings, offers, payments and webhook attempts appear here as they happen.</Empty>
            ) : (
              <ol className="stream" aria-live="polite">
                {stream.map((item) =>
                  item.kind === 'event' ? (
                    <li key={item.key} className={`stream-item tone-${eventTone(item.event.type)}`}>
                      <time dateTime={item.at}>{clockTime(item.at)}</time>
                      <code>{item.event.type}</code>
                      <span>{describeEvent(item.event)}</span>
                    </li>
                  ) : (
                    <li key={item.key} className={`stream-item tone-${item.delivery.status === 'failed' ? 'warn' : item.delivery.status === 'succeeded' ? 'muted' : 'info'}`}>
                      <time dateTime={item.at}>{clockTime(item.at)}</time>
                      <code>webhook</code>
                      <span>
                        {item.delivery.eventType} → {item.delivery.endpointId}: {item.delivery.status}
                        {item.delivery.lastStatusCode !== null ? ` (${item.delivery.lastStatusCode})` : item.delivery.lastError ? ` (${item.delivery.lastError})` : ''}
                      </span>
                    </li>
                  ),
                )}
              </ol>
            )}
          </section>
        </aside>
      </div>
    </Shell>
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

function TableTile({ table, guest, onSet }: { table: Table; guest: Guest | undefined; onSet: (t: Table, s: TableStatus) => Promise<boolean> }) {
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
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => set('reserved')}>
            Reserve
          </button>
        )}
        {(table.status === 'reserved' || table.status === 'cleaning') && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => set('free')}>
            Mark free
          </button>
        )}
      </div>
    </article>
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
  act: (text: string, run: () => Promise<unknown>) => Promise<boolean>;
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
    act(`${guest.name} removed from the line.`, () => api('POST', `/api/guests/${encodeURIComponent(guest.id)}/leave`, { apiKey, body: { reason } }));

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
        <button type="button" className="btn btn-primary btn-small" aria-expanded={choosing} onClick={() => setChoosing((c) => !c)}>
          {choosing ? 'Cancel' : `Seat ${guest.name}`}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => remove('no_show')}>
          No-show
        </button>
      </div>
      {choosing && (
        <div className="chooser" role="group" aria-label={`Tables for ${guest.name}`}>
          {options.length === 0 ? (
            <span className="muted">No free table seats {guest.partySize} right now.</span>
          ) : (
            <>
              <span className="muted">Choose a table:</span>
              {options.map((table) => (
                <button key={table.id} type="button" className="btn btn-small btn-table" disabled={busy} onClick={() => seat(table)}>
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

function SeatedRow({
  guest,
  table,
  now,
  apiKey,
  act,
  onAuthFailure,
}: {
  guest: Guest;
  table: Table | undefined;
  now: number;
  apiKey: string;
  act: (text: string, run: () => Promise<unknown>) => Promise<boolean>;
  onAuthFailure: (failure: unknown) => string;
}) {
  const [paying, setPaying] = useState(false);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [amountError, setAmountError] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [requested, setRequested] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const charge = async (event: FormEvent) => {
    event.preventDefault();
    const minor = parseAmount(amount);
    if (minor === null) {
      setAmountError('Enter an amount like 42.50');
      return;
    }
    setBusy(true);
    setAmountError(undefined);
    setError(undefined);
    try {
      await api('POST', `/api/guests/${encodeURIComponent(guest.id)}/charge`, { apiKey, body: { amount: minor, currency } });
      setRequested(money(minor, currency));
      setPaying(false);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 503) {
        // The server says which: no gateway configured, or the gateway unreachable right now.
        setError(`${failure.message}.`.replace(/\.\.$/, '.'));
      } else if (failure instanceof ApiError && failure.status === 502) {
        setError(failure.message);
      } else if (failure instanceof ApiError && failure.status === 404 && failure.message.startsWith('Cannot')) {
        setError('This server does not take payments.');
      } else if (failure instanceof ApiError && failure.status === 400) {
        const mapped = mapFieldIssues(failure.details, ['amount']);
        if (mapped.byField.amount) setAmountError(mapped.byField.amount);
        else setError(mapped.other.join('; ') || failure.message);
      } else {
        setError(onAuthFailure(failure));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="seated-row" aria-label={guest.name}>
      <div className="who">
        <strong>{guest.name}</strong>
        <span className="muted">
          party of {guest.partySize} at {table?.label ?? '…'} · seated {ago(guest.seatedAt, now)}
        </span>
      </div>
      <div className="row-actions">
        {guest.paid ? (
          <span className="badge badge-good">Paid</span>
        ) : requested ? (
          <span className="badge badge-info" role="status">
            {requested} requested…
          </span>
        ) : (
          <button type="button" className="btn btn-small" aria-expanded={paying} onClick={() => setPaying((p) => !p)}>
            Take payment
          </button>
        )}
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => act(`${guest.name} finished; ${table?.label ?? 'the table'} needs cleaning.`, () =>
            api('POST', `/api/guests/${encodeURIComponent(guest.id)}/leave`, { apiKey, body: { reason: 'finished' } }),
          )}
        >
          Finish
        </button>
      </div>
      {paying && !guest.paid && (
        <form className="pay-form" onSubmit={charge} noValidate aria-label={`Payment for ${guest.name}`}>
          <Field
            label="Amount"
            inputMode="decimal"
            placeholder="42.50"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              setAmountError(undefined);
            }}
            error={amountError}
            autoFocus
          />
          <div className="field">
            <label htmlFor={`currency-${guest.id}`}>Currency</label>
            <select id={`currency-${guest.id}`} value={currency} onChange={(e) => setCurrency(e.target.value)}>
              {['EUR', 'USD', 'GBP', 'CHF'].map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
            {busy ? 'Charging…' : 'Charge'}
          </button>
        </form>
      )}
      {error && <Notice tone="bad">{error}</Notice>}
    </li>
  );
}
