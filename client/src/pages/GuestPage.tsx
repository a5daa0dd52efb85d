import { type SubmitEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { Field } from '../components/Field';
import { Shell } from '../components/Shell';
import { Empty, Loading, Notice } from '../components/States';
import { ApiError, api, explain } from '../lib/api';
import { mapFieldIssues } from '../lib/errors';
import { ago, money, ordinal, STATUS_WORDS, waitText } from '../lib/format';
import { useLive, useNow } from '../lib/live';
import { Link } from '../lib/router';
import { forgetGuest, loadGuest } from '../lib/storage';
import { isPaged } from '../lib/paging';
import type { Availability, Guest, Offer, Payment } from '../lib/types';
import { READY_TITLE, TableReady } from './guest/TableReady';

const LEAVE_REASONS: Record<string, string> = {
  cancelled: 'You left the line.',
  no_show: 'We called you but could not find you.',
  finished: 'Thanks for dining with us!',
};

/** `/guest/:id`: the guest's own live page, authorised by the token kept at check-in. */
export function GuestPage({ id }: { id: string }) {
  const stored = loadGuest();
  const token = stored?.id === id ? stored.token : null;
  if (!token) {
    return (
      <Shell variant="narrow" nav={false}>
        <section className="card">
          <h1>This page belongs to another device</h1>
          <p className="muted">
            Your live place in line is shown on the phone you checked in with. If that was this one, the browser may have cleared
            its storage.
          </p>
          <Link className="btn btn-primary" href="/">
            Check in
          </Link>
        </section>
      </Shell>
    );
  }
  return <LiveGuest id={id} token={token} />;
}

function LiveGuest({ id, token }: { id: string; token: string }) {
  const [guest, setGuest] = useState<Guest | null>(null);
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [freshOffer, setFreshOffer] = useState<string | null>(null);
  const [tables, setTables] = useState<Availability['tables']>([]);
  const [payments, setPayments] = useState<Payment[]>([]);
  const now = useNow();

  const auth = useMemo(() => ({ guestId: id, token }), [id, token]);
  const { state } = useLive({
    namespace: '/guest',
    auth,
    on: {
      status: (g: Guest) => setGuest(g),
      offers: (list: Offer[]) => setOffers(list),
      offer: (offer: Offer) => {
        setOffers((list) => (list?.some((o) => o.id === offer.id) ? list : [...(list ?? []), offer]));
        setFreshOffer(offer.id);
      },
    },
  });
  const floor = useLive({ namespace: '/floor', on: { availability: (a: Availability) => setTables(a.tables) } });

  const loadPayments = useCallback(() => {
    api<Payment[]>('GET', `/api/guests/${encodeURIComponent(id)}/payments`, { guestToken: token }).then(setPayments, () => {
      // The amount is a nicety; "Paid" comes from the guest record itself.
    });
  }, [id, token]);
  useEffect(() => {
    if (guest?.paid) loadPayments();
  }, [guest?.paid, loadPayments]);

  useEffect(() => {
    document.title =
      guest && isPaged(guest) ? READY_TITLE : guest ? `${STATUS_WORDS[guest.status]} · Maitred` : 'Your place · Maitred';
  }, [guest]);

  if (state === 'unauthorized') {
    return (
      <Shell variant="narrow" nav={false}>
        <section className="card">
          <h1>We could not open your page</h1>
          <p className="muted">The link or this device's saved check-in is no longer valid.</p>
          <Link
            className="btn btn-primary"
            href="/"
            onClick={() => {
              forgetGuest();
            }}
          >
            Check in again
          </Link>
        </section>
      </Shell>
    );
  }

  if (!guest) {
    return (
      <Shell variant="narrow" nav={false} live={state}>
        <Loading>Finding your place in line…</Loading>
      </Shell>
    );
  }

  const table = guest.tableId ? tables.find((t) => t.id === guest.tableId) : undefined;
  const payment = payments[payments.length - 1];
  const live = state === 'live' && floor.state !== 'reconnecting' ? 'live' : state;

  return (
    <Shell variant="narrow" nav={false} live={live}>
      <TableReady guest={guest} token={token} tables={tables} onChange={setGuest} />
      <section className={`card status-card status-${guest.status}`} aria-labelledby="guest-status">
        <p className="eyebrow">
          Hi {guest.name} · party of {guest.partySize}
        </p>
        <h1 id="guest-status" className="status-word">
          {STATUS_WORDS[guest.status]}
        </h1>
        {guest.status === 'waiting' && (
          <dl className="facts">
            <div>
              <dt>Place in line</dt>
              <dd>{guest.position !== null ? ordinal(guest.position) : '—'}</dd>
            </div>
            <div>
              <dt>Quoted wait</dt>
              <dd>{waitText(guest.quotedWaitMinutes)}</dd>
            </div>
          </dl>
        )}
        {guest.status === 'waiting' && (
          <p className="muted">Checked in {ago(guest.checkedInAt, now)}. Keep this page open; it updates by itself.</p>
        )}
        {guest.status === 'seated' && (
          <dl className="facts">
            <div>
              <dt>Your table</dt>
              <dd>{table?.label ?? '…'}</dd>
            </div>
            <div>
              <dt>Seats</dt>
              <dd>{table?.capacity ?? '…'}</dd>
            </div>
          </dl>
        )}
        {guest.status === 'seated' && <p className="muted">Seated {ago(guest.seatedAt, now)}. Enjoy your meal!</p>}
        {guest.status === 'left' && <p className="muted">{LEAVE_REASONS[guest.leftReason ?? ''] ?? 'You have left.'}</p>}
        {guest.paid && (
          <p className="paid" role="status">
            <span className="badge badge-good">Paid</span>
            {payment && <span> {money(payment.amount, payment.currency)} · thank you!</span>}
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="offers-title">
        <h2 id="offers-title">Offers</h2>
        {offers === null ? (
          <Loading>Loading offers…</Loading>
        ) : offers.length === 0 ? (
          <Empty title="No offers yet">Anything the restaurant has for you appears here the moment it is made.</Empty>
        ) : (
          <ul className="offers" aria-live="polite">
            {[...offers].reverse().map((offer) => (
              <li key={offer.id} className={`offer${offer.id === freshOffer ? ' offer-new' : ''}`}>
                <strong>{offer.title}</strong>
                {offer.description && <p>{offer.description}</p>}
                <small className="muted">{ago(offer.createdAt, now)}</small>
              </li>
            ))}
          </ul>
        )}
      </section>

      {guest.status !== 'left' && <ContactForm guest={guest} token={token} onSaved={setGuest} />}
      {guest.status === 'waiting' && <LeaveLine guest={guest} token={token} onLeft={setGuest} />}
      {guest.status === 'left' && (
        <p className="center">
          <Link className="btn" href="/" onClick={() => forgetGuest()}>
            Check in again
          </Link>
        </p>
      )}
    </Shell>
  );
}

function ContactForm({ guest, token, onSaved }: { guest: Guest; token: string; onSaved: (g: Guest) => void }) {
  const [email, setEmail] = useState(guest.email ?? '');
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaving(true);
    setSaved(false);
    setError(undefined);
    try {
      const updated = await api<Guest>('PATCH', `/api/guests/${encodeURIComponent(guest.id)}`, {
        guestToken: token,
        body: { email: email.trim() === '' ? null : email.trim() },
      });
      onSaved(updated);
      setSaved(true);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 400) {
        setError(mapFieldIssues(failure.details, ['email']).byField.email ?? failure.message);
      } else {
        setError(explain(failure));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="card form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="contact-title">
      <h2 id="contact-title">Your email</h2>
      <Field
        label="Email"
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => {
          setEmail(e.target.value);
          setSaved(false);
          setError(undefined);
        }}
        error={error}
        hint={guest.email ? `Saved: ${guest.email}` : 'Add one to hear from us.'}
      />
      <div className="row">
        <button type="submit" className="btn" disabled={saving}>
          {saving ? 'Saving…' : 'Update email'}
        </button>
        {saved && (
          <span className="muted" role="status">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}

function LeaveLine({ guest, token, onLeft }: { guest: Guest; token: string; onLeft: (g: Guest) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      onLeft(
        await api<Guest>('POST', `/api/guests/${encodeURIComponent(guest.id)}/leave`, {
          guestToken: token,
          body: { reason: 'cancelled' },
        }),
      );
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section className="card quiet" aria-label="Leave the line">
      {confirming ? (
        <div className="row">
          <span>Give up your place in line?</span>
          <button type="button" className="btn btn-danger" onClick={() => void leave()} disabled={busy}>
            Yes, leave
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            Stay
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn-ghost" onClick={() => setConfirming(true)}>
          Leave the line
        </button>
      )}
      {error && <Notice tone="bad">{error}</Notice>}
    </section>
  );
}
