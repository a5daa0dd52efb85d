import { useState } from 'react';
import { DeliveryChart } from '../../components/DeliveryChart';
import type { ApiCall } from '../../components/KeyGate';
import { Notice } from '../../components/States';
import { explain } from '../../lib/api';
import { ago, clockTime } from '../../lib/format';
import { rateLimitText } from '../../lib/rate-limit';
import type { Delivery, Endpoint } from '../../lib/types';
import { DeliveriesPanel } from './DeliveriesPanel';
import { EndpointActions } from './EndpointActions';
import { RateLimitEditor } from './RateLimitEditor';
import { ReplayForm } from './ReplayForm';
import { SecretValue } from './SecretValue';

/** The endpoint's health (its circuit breaker): a paused endpoint gets no attempts until its probe. */
const HEALTH_BADGE: Record<Endpoint['health'], string> = { healthy: 'badge-good', failing: 'badge-info', paused: 'badge-bad' };
const HEALTH_TEXT: Record<Endpoint['health'], string> = { healthy: 'Healthy', failing: 'Failing', paused: 'Paused' };

/** What a card's actions share: one action at a time, and one message about the last one. */
export type RunAction = (name: string, action: () => Promise<string | null>) => Promise<void>;
export interface Message {
  tone: 'good' | 'bad';
  text: string;
}

/** One endpoint: what it is, what can be done to it, its secret when asked for, and its deliveries. */
export function EndpointCard({
  endpoint,
  deliveries,
  now,
  call,
  onChanged,
  onDeleted,
  refresh,
}: {
  endpoint: Endpoint;
  deliveries: Delivery[] | undefined;
  now: number;
  call: ApiCall;
  onChanged: (endpoint: Endpoint) => void;
  onDeleted: () => void;
  refresh: () => void;
}) {
  const [secret, setSecret] = useState<{ value: string; rotated: boolean } | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const base = `/api/webhooks/endpoints/${encodeURIComponent(endpoint.id)}`;

  const run: RunAction = async (name, action) => {
    setBusy(name);
    try {
      const text = await action();
      if (text) setMessage({ tone: 'good', text });
    } catch (failure) {
      setMessage({ tone: 'bad', text: explain(failure) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <article className="card endpoint" aria-labelledby={`ep-${endpoint.id}`}>
      <EndpointSummary endpoint={endpoint} now={now} />
      <div className="endpoint-body">
        <DeliveryChart deliveries={deliveries ?? []} />
        <EndpointActions
          endpoint={endpoint}
          base={base}
          call={call}
          busy={busy !== null}
          run={run}
          secretShown={secret !== null}
          onSecret={(value, rotated) => setSecret(value === null ? null : { value, rotated })}
          onChanged={onChanged}
          onDeleted={onDeleted}
          refresh={refresh}
        />
      </div>
      {secret !== null && (
        <div className="secret-box">
          <span className="muted">
            {endpoint.signing === 'ed25519' ? 'Public key (Ed25519, verifies v1a)' : 'Signing secret'}
          </span>
          <SecretValue secret={secret.value} />
          {secret.rotated && (
            <small className="muted">
              The previous secret keeps signing alongside this one for the grace period, so receivers can switch over.
            </small>
          )}
        </div>
      )}
      <RateLimitEditor
        key={String(endpoint.rateLimitPerSecond ?? '')}
        endpoint={endpoint}
        base={base}
        call={call}
        busy={busy !== null}
        run={run}
        onChanged={onChanged}
        onInvalid={(text) => setMessage({ tone: 'bad', text })}
      />
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <ReplayForm
        base={base}
        call={call}
        busy={busy !== null}
        run={run}
        onInvalid={(text) => setMessage({ tone: 'bad', text })}
        refresh={refresh}
      />
      <DeliveriesPanel
        endpoint={endpoint}
        deliveries={deliveries}
        base={base}
        call={call}
        busy={busy !== null}
        run={run}
        onInvalid={(text) => setMessage({ tone: 'bad', text })}
        refresh={refresh}
      />
    </article>
  );
}

/** The endpoint's URL, description, id, age, state and subscriptions. */
function EndpointSummary({ endpoint, now }: { endpoint: Endpoint; now: number }) {
  return (
    <>
      <header className="endpoint-head">
        <div>
          <h3 id={`ep-${endpoint.id}`} className="endpoint-url">
            {endpoint.url}
          </h3>
          <p className="muted">
            {endpoint.description ? `${endpoint.description} · ` : ''}
            <code>{endpoint.id}</code> · {endpoint.signing === 'ed25519' ? 'Ed25519' : 'HMAC'} ·{' '}
            {rateLimitText(endpoint.rateLimitPerSecond ?? null)} ·{' '}
            {endpoint.ordering === 'per_guest' ? 'ordered per guest' : 'unordered'} · added {ago(endpoint.createdAt, now)}
          </p>
        </div>
        <span className="badges">
          <span className={`badge ${endpoint.enabled ? 'badge-good' : 'badge-bad'}`}>
            {endpoint.enabled ? 'Enabled' : 'Disabled'}
          </span>
          {endpoint.enabled && (
            <span
              className={`badge ${HEALTH_BADGE[endpoint.health]}`}
              aria-label={`Health: ${endpoint.health}`}
              title={endpoint.health === 'paused' ? 'Circuit breaker open: no attempts until the next probe' : undefined}
            >
              {HEALTH_TEXT[endpoint.health]}
              {endpoint.health === 'paused' && endpoint.nextProbeAt ? ` · next probe ${clockTime(endpoint.nextProbeAt)}` : ''}
            </span>
          )}
        </span>
      </header>
      {!endpoint.enabled && endpoint.disabledReason && <Notice tone="warn">Disabled: {endpoint.disabledReason}</Notice>}
      <ul className="chips" aria-label="Subscribed events">
        {endpoint.eventTypes.length === 0 ? (
          <li className="chip">All events</li>
        ) : (
          endpoint.eventTypes.map((t) => (
            <li key={t} className="chip">
              {t}
            </li>
          ))
        )}
      </ul>
    </>
  );
}
