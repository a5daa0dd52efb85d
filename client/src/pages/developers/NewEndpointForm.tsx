import { type SubmitEvent, useState } from 'react';
import { Field } from '../../components/Field';
import type { ApiCall } from '../../components/KeyGate';
import { Notice } from '../../components/States';
import { ApiError, explain } from '../../lib/api';
import { mapFieldIssues } from '../../lib/errors';
import { parseRateLimit } from '../../lib/rate-limit';
import type { CreatedEndpoint, EventType } from '../../lib/types';

/** Adds an endpoint: URL, description and the event types it subscribes to. */
export function NewEndpointForm({
  eventTypes,
  call,
  onCreated,
}: {
  eventTypes: EventType[];
  call: ApiCall;
  onCreated: (endpoint: CreatedEndpoint) => void;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [signing, setSigning] = useState<'hmac' | 'ed25519'>('hmac');
  const [rateLimit, setRateLimit] = useState('');
  const [ordering, setOrdering] = useState<'none' | 'per_guest'>('none');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (type: string) =>
    setSelected((list) => (list.includes(type) ? list.filter((t) => t !== type) : [...list, type]));

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const limit = parseRateLimit(rateLimit);
    if (!limit.ok) {
      setErrors((current) => ({ ...current, rateLimitPerSecond: limit.message }));
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const body: Record<string, unknown> = {
        url: url.trim(),
        eventTypes: selected,
        signing,
        rateLimitPerSecond: limit.value,
        ordering,
      };
      if (description.trim() !== '') body.description = description.trim();
      const endpoint = await call<CreatedEndpoint>('POST', '/api/webhooks/endpoints', body);
      onCreated(endpoint);
      setUrl('');
      setDescription('');
      setSelected([]);
      setSigning('hmac');
      setRateLimit('');
      setOrdering('none');
      setErrors({});
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 400) {
        const mapped = mapFieldIssues(failure.details, [
          'url',
          'description',
          'eventTypes',
          'signing',
          'rateLimitPerSecond',
          'ordering',
        ]);
        setErrors(mapped.byField);
        setFormError(
          mapped.other.length > 0 ? mapped.other.join('; ') : Object.keys(mapped.byField).length === 0 ? failure.message : null,
        );
      } else {
        setErrors({});
        setFormError(explain(failure));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="new-endpoint-title">
      <h2 id="new-endpoint-title">New endpoint</h2>
      <Field
        label="Endpoint URL"
        type="url"
        inputMode="url"
        placeholder="https://example.com/webhooks/maitred"
        spellCheck={false}
        value={url}
        onChange={(e) => {
          setUrl(e.target.value);
          setErrors(({ url: _url, ...rest }) => rest);
        }}
        error={errors.url}
      />
      <Field
        label="Description"
        placeholder="What receives these events"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.description}
      />
      <div className={`field${errors.signing ? ' field-invalid' : ''}`}>
        <label htmlFor="new-endpoint-signing">Signing</label>
        <select
          id="new-endpoint-signing"
          value={signing}
          onChange={(e) => setSigning(e.target.value === 'ed25519' ? 'ed25519' : 'hmac')}
          aria-invalid={errors.signing ? 'true' : undefined}
        >
          <option value="hmac">HMAC-SHA256 (v1, a shared secret)</option>
          <option value="ed25519">Ed25519 (v1a, a public key)</option>
        </select>
        {errors.signing && (
          <small className="field-error" role="alert">
            {errors.signing}
          </small>
        )}
      </div>
      <Field
        label="Rate limit (attempts per second)"
        inputMode="numeric"
        placeholder="No limit"
        hint="Over all instances; blank for none. 429, 502 and 504 answers slow it down too."
        value={rateLimit}
        onChange={(e) => {
          setRateLimit(e.target.value);
          setErrors(({ rateLimitPerSecond: _limit, ...rest }) => rest);
        }}
        error={errors.rateLimitPerSecond}
      />
      <div className={`field${errors.ordering ? ' field-invalid' : ''}`}>
        <label htmlFor="new-endpoint-ordering">Ordering</label>
        <select
          id="new-endpoint-ordering"
          value={ordering}
          onChange={(e) => setOrdering(e.target.value === 'per_guest' ? 'per_guest' : 'none')}
          aria-invalid={errors.ordering ? 'true' : undefined}
          aria-describedby="new-endpoint-ordering-hint"
        >
          <option value="none">None (fastest, any order)</option>
          <option value="per_guest">Per guest (one guest&apos;s events in feed order)</option>
        </select>
        <small id="new-endpoint-ordering-hint" className="hint">
          Per guest: a guest&apos;s next event waits until the previous one succeeded or failed for good.
        </small>
        {errors.ordering && (
          <small className="field-error" role="alert">
            {errors.ordering}
          </small>
        )}
      </div>
      <fieldset className={`events${errors.eventTypes ? ' field-invalid' : ''}`} aria-describedby="event-types-hint">
        <legend>Events</legend>
        <small id="event-types-hint" className="hint">
          Leave all unchecked to receive every event.
        </small>
        {eventTypes
          .filter((t) => t.type !== 'webhook.test')
          .map((type) => (
            <label key={type.type} className="check" title={type.description}>
              <input type="checkbox" checked={selected.includes(type.type)} onChange={() => toggle(type.type)} />
              <span>
                <code>{type.type}</code>
                {type.operational && <small className="badge">operational</small>}
                <small className="muted">{type.description}</small>
              </span>
            </label>
          ))}
        {errors.eventTypes && (
          <small className="field-error" role="alert">
            {errors.eventTypes}
          </small>
        )}
      </fieldset>
      {formError && <Notice tone="bad">{formError}</Notice>}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? 'Adding…' : 'Add endpoint'}
      </button>
    </form>
  );
}
