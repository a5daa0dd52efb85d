import { type SubmitEvent, useState } from 'react';
import { Field } from '../../components/Field';
import { Empty, Loading, Notice } from '../../components/States';
import { ApiError, api } from '../../lib/api';
import { mapFieldIssues } from '../../lib/errors';
import { ago, money, parseAmount } from '../../lib/format';
import type { Guest, Table } from '../../lib/types';
import type { Act } from './Toast';

/** Seated parties with their table, time at the table, payment and the finish action. */
export function SeatedCard({
  seated,
  tables,
  now,
  apiKey,
  act,
  onAuthFailure,
}: {
  seated: Guest[] | null;
  tables: Table[] | null;
  now: number;
  apiKey: string;
  act: Act;
  onAuthFailure: (failure: unknown) => string;
}) {
  return (
    <section className="card" aria-labelledby="seated-title">
      <h2 id="seated-title">Seated</h2>
      {seated === null ? (
        <Loading>Loading seated guests…</Loading>
      ) : seated.length === 0 ? (
        <Empty title="No one is seated" />
      ) : (
        <ul className="seated">
          {seated.map((guest) => (
            <SeatedRow
              key={guest.id}
              guest={guest}
              table={tables?.find((t) => t.id === guest.tableId)}
              now={now}
              apiKey={apiKey}
              act={act}
              onAuthFailure={onAuthFailure}
            />
          ))}
        </ul>
      )}
    </section>
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
  act: Act;
  onAuthFailure: (failure: unknown) => string;
}) {
  const [paying, setPaying] = useState(false);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [amountError, setAmountError] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [requested, setRequested] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const charge = async (event: SubmitEvent<HTMLFormElement>) => {
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
          onClick={() =>
            void act(`${guest.name} finished; ${table?.label ?? 'the table'} needs cleaning.`, () =>
              api('POST', `/api/guests/${encodeURIComponent(guest.id)}/leave`, { apiKey, body: { reason: 'finished' } }),
            )
          }
        >
          Finish
        </button>
      </div>
      {paying && !guest.paid && (
        <form className="pay-form" onSubmit={(event) => void charge(event)} noValidate aria-label={`Payment for ${guest.name}`}>
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
