import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DeliveryChart } from '../components/DeliveryChart';
import { Field } from '../components/Field';
import { KeyGate, type KeySession } from '../components/KeyGate';
import { Shell } from '../components/Shell';
import { Empty, ErrorState, Loading, Notice } from '../components/States';
import { ApiError, api, explain } from '../lib/api';
import { mapFieldIssues } from '../lib/errors';
import { ago, clockTime } from '../lib/format';
import { type LiveState, useLive, useNow } from '../lib/live';
import { DEVELOPER_KEY } from '../lib/storage';
import type { Delivery, DeliveryStatus, Endpoint, EventType } from '../lib/types';

const POLL_MS = 3000;
const DELIVERY_PAGE = 100;
const SHOWN_DELIVERIES = 15;

/** `/developers`: the integrator portal for webhook endpoints. Asks once for an endpoints or admin key. */
export function DevelopersPage() {
  useEffect(() => {
    document.title = 'Developers · Maitred';
  }, []);
  return (
    <KeyGate
      storageKey={DEVELOPER_KEY}
      title="Developer portal"
      intro="Manage the webhook endpoints of your API key. Enter a key with the endpoints (or admin) scope."
      forbidden="This key cannot manage webhook endpoints; it needs the endpoints or admin scope."
      check={(key) => api('GET', '/api/webhooks/endpoints', { apiKey: key })}
    >
      {(session) => <Portal session={session} />}
    </KeyGate>
  );
}

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function Portal({ session }: { session: KeySession }) {
  const { key, signOut } = session;
  const [eventTypes, setEventTypes] = useState<EventType[] | null>(null);
  const [typesError, setTypesError] = useState<string | null>(null);
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [endpointsError, setEndpointsError] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<Record<string, Delivery[]>>({});
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const now = useNow(10_000);

  const call: Call = useCallback(
    async <T,>(method: string, path: string, body?: unknown) => {
      try {
        return await api<T>(method, path, { apiKey: key, body });
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 401) signOut('Your key is no longer accepted. Sign in again.');
        throw failure;
      }
    },
    [key, signOut],
  ) as Call;

  const loadTypes = useCallback(() => {
    setTypesError(null);
    api<EventType[]>('GET', '/api/webhooks/event-types').then(setEventTypes, (failure: unknown) => setTypesError(explain(failure)));
  }, []);

  const loadEndpoints = useCallback(() => {
    call<Endpoint[]>('GET', '/api/webhooks/endpoints').then(
      (list) => {
        setEndpoints(list);
        setEndpointsError(null);
      },
      (failure: unknown) => setEndpointsError(explain(failure)),
    );
  }, [call]);

  const loadDeliveries = useCallback(
    (endpointId: string) => {
      call<Delivery[]>('GET', `/api/webhooks/endpoints/${encodeURIComponent(endpointId)}/deliveries?limit=${DELIVERY_PAGE}`).then(
        (list) => setDeliveries((all) => ({ ...all, [endpointId]: list })),
        () => {
          // The card keeps the last list it had; the next refresh tries again.
        },
      );
    },
    [call],
  );

  useEffect(() => {
    loadTypes();
    loadEndpoints();
  }, [loadTypes, loadEndpoints]);

  const endpointIds = (endpoints ?? []).map((e) => e.id).join(',');
  const refreshAll = useCallback(() => {
    for (const id of endpointIds.split(',').filter(Boolean)) loadDeliveries(id);
  }, [endpointIds, loadDeliveries]);
  useEffect(refreshAll, [refreshAll]);

  // An admin key can follow delivery attempts live on `/staff`; an endpoints key cannot, so the
  // portal polls while that socket is not live (and only while the tab is visible).
  const pending = useRef(new Set<string>());
  const auth = useMemo(() => ({ token: key }), [key]);
  const staff = useLive({
    namespace: '/staff',
    auth,
    on: {
      delivery: (delivery: Delivery) => {
        if (pending.current.size === 0) {
          window.setTimeout(() => {
            for (const id of pending.current) loadDeliveries(id);
            pending.current.clear();
          }, 100);
        }
        pending.current.add(delivery.endpointId);
      },
    },
  });
  const polling = staff.state !== 'live';
  useEffect(() => {
    if (!polling) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refreshAll();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [polling, refreshAll]);
  const live: LiveState | undefined = staff.state === 'live' ? 'live' : undefined;

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
        <div>
          <h1>Webhooks</h1>
          <p className="muted">
            Maitred signs every request with Standard Webhooks headers. {polling ? 'Deliveries refresh every few seconds.' : 'Deliveries update live.'}
          </p>
        </div>
      </div>
      <div className="portal">
        <div className="portal-side">
          {typesError ? (
            <ErrorState message={typesError} onRetry={loadTypes} />
          ) : !eventTypes ? (
            <Loading>Loading the event catalogue…</Loading>
          ) : (
            <NewEndpointForm
              eventTypes={eventTypes}
              call={call}
              onCreated={(endpoint) => {
                setCreated({ url: endpoint.url, secret: endpoint.secret });
                setEndpoints((list) => [...(list ?? []), endpoint]);
              }}
            />
          )}
        </div>
        <div className="portal-main">
          {created && (
            <Notice tone="good">
              <strong>Endpoint added: {created.url}</strong>
              <span>Its signing secret (you can show it again at any time):</span>
              <SecretValue secret={created.secret} />
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>
                Done
              </button>
            </Notice>
          )}
          {endpointsError && !endpoints ? (
            <ErrorState message={endpointsError} onRetry={loadEndpoints} />
          ) : !endpoints ? (
            <Loading>Loading your endpoints…</Loading>
          ) : endpoints.length === 0 ? (
            <Empty title="No endpoints yet">Add the URL that should receive Maitred's events; send it a test right after.</Empty>
          ) : (
            endpoints.map((endpoint) => (
              <EndpointCard
                key={endpoint.id}
                endpoint={endpoint}
                deliveries={deliveries[endpoint.id]}
                now={now}
                call={call}
                onChanged={(next) => setEndpoints((list) => (list ?? []).map((e) => (e.id === next.id ? next : e)))}
                onDeleted={() => setEndpoints((list) => (list ?? []).filter((e) => e.id !== endpoint.id))}
                refresh={() => loadDeliveries(endpoint.id)}
              />
            ))
          )}
        </div>
      </div>
    </Shell>
  );
}

function NewEndpointForm({
  eventTypes,
  call,
  onCreated,
}: {
  eventTypes: EventType[];
  call: Call;
  onCreated: (endpoint: Endpoint & { secret: string }) => void;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (type: string) => setSelected((list) => (list.includes(type) ? list.filter((t) => t !== type) : [...list, type]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFormError(null);
    try {
      const body: Record<string, unknown> = { url: url.trim(), eventTypes: selected };
      if (description.trim() !== '') body.description = description.trim();
      const endpoint = await call<Endpoint & { secret: string }>('POST', '/api/webhooks/endpoints', body);
      onCreated(endpoint);
      setUrl('');
      setDescription('');
      setSelected([]);
      setErrors({});
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 400) {
        const mapped = mapFieldIssues(failure.details, ['url', 'description', 'eventTypes']);
        setErrors(mapped.byField);
        setFormError(mapped.other.length > 0 ? mapped.other.join('; ') : Object.keys(mapped.byField).length === 0 ? failure.message : null);
      } else {
        setErrors({});
        setFormError(explain(failure));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="new-endpoint-title">
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
      <Field label="Description" placeholder="What receives these events" value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} />
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

function SecretValue({ secret }: { secret: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const ref = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for a manual copy.
      const selection = window.getSelection();
      if (ref.current && selection) selection.selectAllChildren(ref.current);
      setCopied('failed');
    }
  };
  return (
    <span className="secret">
      <code ref={ref}>{secret}</code>
      <button type="button" className="btn btn-small" onClick={copy}>
        Copy
      </button>
      {copied && (
        <small className="muted" role="status">
          {copied === 'yes' ? 'Copied' : 'Selected; press Ctrl+C'}
        </small>
      )}
    </span>
  );
}

function defaultRecoverSince(): string {
  const date = new Date(Date.now() - 60 * 60_000);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function EndpointCard({
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
  call: Call;
  onChanged: (endpoint: Endpoint) => void;
  onDeleted: () => void;
  refresh: () => void;
}) {
  const [secret, setSecret] = useState<string | null>(null);
  const [rotated, setRotated] = useState(false);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);
  const [message, setMessage] = useState<{ tone: 'good' | 'bad'; text: string } | null>(null);
  const [filter, setFilter] = useState<DeliveryStatus | 'all'>('all');
  const [since, setSince] = useState(defaultRecoverSince);
  const [busy, setBusy] = useState<string | null>(null);
  const base = `/api/webhooks/endpoints/${encodeURIComponent(endpoint.id)}`;

  const run = async (name: string, action: () => Promise<string | null>) => {
    setBusy(name);
    try {
      const text = await action();
      if (text) setMessage({ tone: 'good', text });
    } catch (failure) {
      setMessage({ tone: 'bad', text: explain(failure) });
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  };

  const shown = (deliveries ?? []).filter((d) => filter === 'all' || d.status === filter).slice(0, SHOWN_DELIVERIES);

  return (
    <article className="card endpoint" aria-labelledby={`ep-${endpoint.id}`}>
      <header className="endpoint-head">
        <div>
          <h3 id={`ep-${endpoint.id}`} className="endpoint-url">
            {endpoint.url}
          </h3>
          <p className="muted">
            {endpoint.description ? `${endpoint.description} · ` : ''}
            <code>{endpoint.id}</code> · added {ago(endpoint.createdAt, now)}
          </p>
        </div>
        <span className={`badge ${endpoint.enabled ? 'badge-good' : 'badge-bad'}`}>{endpoint.enabled ? 'Enabled' : 'Disabled'}</span>
      </header>
      {!endpoint.enabled && endpoint.disabledReason && <Notice tone="warn">Disabled: {endpoint.disabledReason}</Notice>}
      <ul className="chips" aria-label="Subscribed events">
        {endpoint.eventTypes.length === 0 ? <li className="chip">All events</li> : endpoint.eventTypes.map((t) => <li key={t} className="chip">{t}</li>)}
      </ul>

      <div className="endpoint-body">
        <DeliveryChart deliveries={deliveries ?? []} />
        <div className="endpoint-actions">
          <button
            type="button"
            className="btn btn-primary btn-small"
            disabled={busy !== null || !endpoint.enabled}
            title={endpoint.enabled ? undefined : 'Enable the endpoint first'}
            onClick={() =>
              run('test', async () => {
                await call('POST', `${base}/test`);
                window.setTimeout(refresh, 300);
                return 'Test event sent.';
              })
            }
          >
            Send test
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={busy !== null}
            onClick={() =>
              secret !== null
                ? setSecret(null)
                : run('secret', async () => {
                    setSecret((await call<{ secret: string }>('GET', `${base}/secret`)).secret);
                    setRotated(false);
                    return null;
                  })
            }
          >
            {secret !== null ? 'Hide secret' : 'Show secret'}
          </button>
          {confirm === 'rotate' ? (
            <span className="confirm">
              New secret?
              <button
                type="button"
                className="btn btn-small btn-danger"
                disabled={busy !== null}
                onClick={() =>
                  run('rotate', async () => {
                    setSecret((await call<{ secret: string }>('POST', `${base}/rotate-secret`)).secret);
                    setRotated(true);
                    return 'Secret rotated.';
                  })
                }
              >
                Rotate
              </button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirm(null)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => setConfirm('rotate')}>
              Rotate secret
            </button>
          )}
          <button
            type="button"
            className="btn btn-small"
            disabled={busy !== null}
            onClick={() =>
              run('toggle', async () => {
                const next = await call<Endpoint>('PATCH', base, { enabled: !endpoint.enabled });
                onChanged(next);
                return next.enabled ? 'Endpoint enabled.' : 'Endpoint disabled; events are no longer sent to it.';
              })
            }
          >
            {endpoint.enabled ? 'Disable' : 'Enable'}
          </button>
          {confirm === 'delete' ? (
            <span className="confirm">
              Delete for good?
              <button
                type="button"
                className="btn btn-small btn-danger"
                onClick={() =>
                  run('delete', async () => {
                    await call('DELETE', base);
                    onDeleted();
                    return null;
                  })
                }
              >
                Delete
              </button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirm(null)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirm('delete')}>
              Delete…
            </button>
          )}
        </div>
      </div>
      {secret !== null && (
        <div className="secret-box">
          <span className="muted">Signing secret</span>
          <SecretValue secret={secret} />
          {rotated && <small className="muted">The previous secret keeps signing alongside this one for the grace period, so receivers can switch over.</small>}
        </div>
      )}
      {message && (
        <Notice tone={message.tone}>
          {message.text}
        </Notice>
      )}

      <section className="deliveries" aria-label={`Deliveries to ${endpoint.url}`}>
        <div className="deliveries-head">
          <h4>Deliveries</h4>
          <label className="inline">
            Show
            <select value={filter} onChange={(e) => setFilter(e.target.value as DeliveryStatus | 'all')}>
              <option value="all">all</option>
              <option value="pending">pending</option>
              <option value="succeeded">succeeded</option>
              <option value="failed">failed</option>
            </select>
          </label>
          <form
            className="recover"
            onSubmit={(event) => {
              event.preventDefault();
              const at = new Date(since);
              if (Number.isNaN(at.getTime())) {
                setMessage({ tone: 'bad', text: 'Choose a time to recover from.' });
                return;
              }
              void run('recover', async () => {
                const { count } = await call<{ count: number }>('POST', `${base}/recover`, { since: at.toISOString() });
                refresh();
                return count === 0 ? 'No failed deliveries since then.' : `Re-queued ${count} failed ${count === 1 ? 'delivery' : 'deliveries'}.`;
              });
            }}
          >
            <label className="inline">
              Recover failed since
              <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
            </label>
            <button type="submit" className="btn btn-small" disabled={busy !== null}>
              Recover
            </button>
          </form>
        </div>
        {deliveries === undefined ? (
          <Loading>Loading deliveries…</Loading>
        ) : shown.length === 0 ? (
          <Empty title={filter === 'all' ? 'No deliveries yet' : `No ${filter} deliveries`}>{filter === 'all' ? 'Send a test to see one.' : undefined}</Empty>
        ) : (
          <ol className="delivery-list">
            {shown.map((delivery) => (
              <DeliveryRow
                key={delivery.id}
                delivery={delivery}
                onRetry={() =>
                  run(`retry-${delivery.id}`, async () => {
                    await call('POST', `/api/webhooks/deliveries/${encodeURIComponent(delivery.id)}/retry`);
                    window.setTimeout(refresh, 300);
                    return 'Delivery queued again.';
                  })
                }
                busy={busy !== null}
              />
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}

function DeliveryRow({ delivery, onRetry, busy }: { delivery: Delivery; onRetry: () => void; busy: boolean }) {
  const tone = delivery.status === 'succeeded' ? 'good' : delivery.status === 'failed' ? 'bad' : 'info';
  return (
    <li className="delivery" aria-label={`${delivery.eventType} ${delivery.status}`}>
      <div className="delivery-head">
        <span className={`badge badge-${tone}`}>{delivery.status}</span>
        <code>{delivery.eventType}</code>
        <span className="muted">
          {clockTime(delivery.createdAt)} · {delivery.attemptCount} attempt{delivery.attemptCount === 1 ? '' : 's'}
          {delivery.status === 'pending' && delivery.nextAttemptAt ? ` · next ${clockTime(delivery.nextAttemptAt)}` : ''}
        </span>
        {delivery.status !== 'pending' && (
          <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={onRetry}>
            Retry
          </button>
        )}
      </div>
      {(delivery.attempts ?? []).length > 0 && (
        <table className="attempts">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Status</th>
              <th scope="col">Duration</th>
              <th scope="col">Error</th>
              <th scope="col">Response</th>
            </tr>
          </thead>
          <tbody>
            {[...(delivery.attempts ?? [])].reverse().map((attempt, i) => (
              <tr key={`${attempt.at}-${i}`}>
                <td>{clockTime(attempt.at)}</td>
                <td>
                  <span className={`code code-${attempt.statusCode !== null && attempt.statusCode < 300 && !attempt.error ? 'ok' : 'bad'}`}>
                    {attempt.statusCode ?? '—'}
                  </span>
                </td>
                <td>{attempt.durationMs} ms</td>
                <td>{attempt.error ?? '—'}</td>
                <td>
                  {attempt.responseBody ? (
                    <details>
                      <summary>{attempt.responseBody.length > 32 ? `${attempt.responseBody.slice(0, 32)}…` : attempt.responseBody}</summary>
                      <pre>{attempt.responseBody}</pre>
                    </details>
                  ) : (
                    <span className="muted">empty</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}
