import { useState } from 'react';
import type { ApiCall } from '../../components/KeyGate';
import { Empty, Loading } from '../../components/States';
import { curlCommand } from '../../lib/curl';
import { clockTime } from '../../lib/format';
import type { Delivery, DeliveryStatus, Endpoint } from '../../lib/types';
import type { RunAction } from './EndpointCard';

const SHOWN_DELIVERIES = 15;

/** An endpoint's recent deliveries: filtered by status, each retryable, and failed ones recoverable since a time. */
export function DeliveriesPanel({
  endpoint,
  deliveries,
  base,
  call,
  busy,
  run,
  onInvalid,
  refresh,
}: {
  endpoint: Endpoint;
  deliveries: Delivery[] | undefined;
  base: string;
  call: ApiCall;
  busy: boolean;
  run: RunAction;
  /** Says what is wrong with the recover form. */
  onInvalid: (text: string) => void;
  refresh: () => void;
}) {
  const [filter, setFilter] = useState<DeliveryStatus | 'all'>('all');
  const [since, setSince] = useState(defaultRecoverSince);
  const shown = (deliveries ?? []).filter((d) => filter === 'all' || d.status === filter).slice(0, SHOWN_DELIVERIES);

  return (
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
              onInvalid('Choose a time to recover from.');
              return;
            }
            void run('recover', async () => {
              const { count } = await call<{ count: number }>('POST', `${base}/recover`, { since: at.toISOString() });
              refresh();
              return count === 0
                ? 'No failed deliveries since then.'
                : `Re-queued ${count} failed ${count === 1 ? 'delivery' : 'deliveries'}.`;
            });
          }}
        >
          <label className="inline">
            Recover failed since
            <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
          </label>
          <button type="submit" className="btn btn-small" disabled={busy}>
            Recover
          </button>
        </form>
      </div>
      {deliveries === undefined ? (
        <Loading>Loading deliveries…</Loading>
      ) : shown.length === 0 ? (
        <Empty title={filter === 'all' ? 'No deliveries yet' : `No ${filter} deliveries`}>
          {filter === 'all' ? 'Send a test to see one.' : undefined}
        </Empty>
      ) : (
        <ol className="delivery-list">
          {shown.map((delivery) => (
            <DeliveryRow
              key={delivery.id}
              delivery={delivery}
              onRetry={() =>
                void run(`retry-${delivery.id}`, async () => {
                  await call('POST', `/api/webhooks/deliveries/${encodeURIComponent(delivery.id)}/retry`);
                  window.setTimeout(refresh, 300);
                  return 'Delivery queued again.';
                })
              }
              onCopyCurl={() =>
                void run(`curl-${delivery.id}`, async () => {
                  const request = await call<{ method: string; url: string; headers: Record<string, string>; body: string }>(
                    'GET',
                    `/api/webhooks/deliveries/${encodeURIComponent(delivery.id)}/request`,
                  );
                  const command = curlCommand(request);
                  try {
                    await navigator.clipboard.writeText(command);
                    return 'Copied the signed request as a curl command.';
                  } catch {
                    // No clipboard access (an insecure origin, a denied permission): show it to copy by hand.
                    return command;
                  }
                })
              }
              busy={busy}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function defaultRecoverSince(): string {
  const date = new Date(Date.now() - 60 * 60_000);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function DeliveryRow({
  delivery,
  onRetry,
  onCopyCurl,
  busy,
}: {
  delivery: Delivery;
  onRetry: () => void;
  onCopyCurl: () => void;
  busy: boolean;
}) {
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
        {/* Any delivery can be retried (a pending one: now, with a fresh schedule); one mid-attempt answers 409. */}
        <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={onRetry}>
          {delivery.status === 'pending' ? 'Retry now' : 'Retry'}
        </button>
        <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={onCopyCurl}>
          Copy as curl
        </button>
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
                  <span
                    className={`code code-${attempt.statusCode !== null && attempt.statusCode < 300 && !attempt.error ? 'ok' : 'bad'}`}
                  >
                    {attempt.statusCode ?? '—'}
                  </span>
                </td>
                <td>{attempt.durationMs} ms</td>
                <td>{attempt.error ?? '—'}</td>
                <td>
                  {attempt.responseBody ? (
                    <details>
                      <summary>
                        {attempt.responseBody.length > 32 ? `${attempt.responseBody.slice(0, 32)}…` : attempt.responseBody}
                      </summary>
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
