import { type SubmitEvent, useEffect, useState } from 'react';
import { Field } from '../components/Field';
import { Shell } from '../components/Shell';
import { Notice } from '../components/States';
import { ApiError, api, explain, newIdempotencyKey } from '../lib/api';
import { mapFieldIssues } from '../lib/errors';
import { estimateFor } from '../lib/floor';
import { waitText } from '../lib/format';
import { useLive } from '../lib/live';
import { Link, navigate } from '../lib/router';
import { loadGuest, saveGuest } from '../lib/storage';
import type { Availability, CheckedInGuest } from '../lib/types';

const FIELDS = ['name', 'partySize', 'email', 'phone', 'marketingOptIn'] as const;

/** `/`: phone-first check-in. The API validates; its 400 details appear next to their fields. */
export function CheckInPage() {
  const [name, setName] = useState('');
  const [partySize, setPartySize] = useState('2');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [optIn, setOptIn] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [availability, setAvailability] = useState<Availability | null>(null);
  const existing = loadGuest();

  const { state } = useLive({ namespace: '/floor', on: { availability: (a: Availability) => setAvailability(a) } });

  useEffect(() => {
    document.title = 'Check in · Maitred';
  }, []);

  const size = Number(partySize);
  const estimate = availability && Number.isInteger(size) && size >= 1 ? estimateFor(availability, size) : null;

  const clearError = (field: string) => setErrors(({ [field]: _removed, ...rest }) => rest);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitting(true);
    setFormError(null);
    const body: Record<string, unknown> = {
      name,
      // An empty or non-numeric entry goes as null so the API names the field instead of the client guessing.
      partySize: partySize.trim() === '' || !Number.isFinite(Number(partySize)) ? null : Number(partySize),
      marketingOptIn: optIn,
    };
    if (email.trim() !== '') body.email = email.trim();
    if (phone.trim() !== '') body.phone = phone.replace(/[\s()-]/g, '');
    try {
      const guest = await api<CheckedInGuest>('POST', '/api/guests', { body, idempotencyKey: newIdempotencyKey() });
      saveGuest({ id: guest.id, token: guest.token });
      navigate(`/guest/${encodeURIComponent(guest.id)}`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 400) {
        const mapped = mapFieldIssues(failure.details, FIELDS);
        setErrors(mapped.byField);
        setFormError(
          mapped.other.length > 0 ? mapped.other.join('; ') : Object.keys(mapped.byField).length === 0 ? failure.message : null,
        );
      } else {
        setErrors({});
        setFormError(explain(failure));
      }
      setSubmitting(false);
    }
  };

  return (
    <Shell variant="narrow" live={state === 'live' ? undefined : state} nav={false}>
      <section className="hero">
        <h1>Join the waitlist</h1>
        <p className="muted">Check in from your phone. We will keep your place and show it live.</p>
      </section>
      {existing && (
        <Notice>
          You already checked in on this device.{' '}
          <Link href={`/guest/${encodeURIComponent(existing.id)}`}>See your place in line</Link>
        </Notice>
      )}
      <form className="card form" onSubmit={(event) => void submit(event)} noValidate aria-label="Check in">
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            clearError('name');
          }}
          error={errors.name}
          maxLength={80}
        />
        <Field
          label="Party size"
          name="partySize"
          type="number"
          inputMode="numeric"
          min={1}
          max={20}
          step={1}
          value={partySize}
          onChange={(e) => {
            setPartySize(e.target.value);
            clearError('partySize');
          }}
          error={errors.partySize}
          hint={
            estimate
              ? estimate.free > 0
                ? `A table for ${size} is free right now.`
                : `Current wait for ${size}: ${waitText(estimate.estimatedWaitMinutes).toLowerCase()}.`
              : undefined
          }
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
            clearError('email');
          }}
          error={errors.email}
          hint="Optional. We use it only if you allow it below."
        />
        <Field
          label="Phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          value={phone}
          onChange={(e) => {
            setPhone(e.target.value);
            clearError('phone');
          }}
          error={errors.phone}
          hint="Optional, with country code, e.g. +4915112345678."
        />
        <label className="check">
          <input type="checkbox" checked={optIn} onChange={(e) => setOptIn(e.target.checked)} />
          <span>Send me offers while I wait</span>
        </label>
        {formError && <Notice tone="bad">{formError}</Notice>}
        <button type="submit" className="btn btn-primary btn-block" disabled={submitting}>
          {submitting ? 'Checking in…' : 'Check in'}
        </button>
      </form>
      <footer className="page-foot muted">
        <Link href="/board">Lobby board</Link> · <Link href="/staff">Staff</Link> · <Link href="/developers">Developers</Link>
      </footer>
    </Shell>
  );
}
