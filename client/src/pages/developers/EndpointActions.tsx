import { useState } from 'react';
import type { ApiCall } from '../../components/KeyGate';
import type { Endpoint, SharedSecret } from '../../lib/types';
import type { RunAction } from './EndpointCard';

/** The endpoint's buttons: send a test, show/rotate the secret, enable/disable, delete (the last two asking first). */
export function EndpointActions({
  endpoint,
  base,
  call,
  busy,
  run,
  secretShown,
  onSecret,
  onChanged,
  onDeleted,
  refresh,
}: {
  endpoint: Endpoint;
  base: string;
  call: ApiCall;
  busy: boolean;
  run: RunAction;
  secretShown: boolean;
  /** A secret to show (rotated: just replaced), or null to hide it. */
  onSecret: (secret: string | null, rotated: boolean) => void;
  onChanged: (endpoint: Endpoint) => void;
  onDeleted: () => void;
  refresh: () => void;
}) {
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);
  // A confirmation lasts until its action finishes, whatever the outcome.
  const act = (name: string, action: () => Promise<string | null>) => run(name, action).finally(() => setConfirm(null));

  return (
    <div className="endpoint-actions">
      <button
        type="button"
        className="btn btn-primary btn-small"
        disabled={busy || !endpoint.enabled}
        title={endpoint.enabled ? undefined : 'Enable the endpoint first'}
        onClick={() =>
          void act('test', async () => {
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
        disabled={busy}
        onClick={() =>
          secretShown
            ? onSecret(null, false)
            : void act('secret', async () => {
                onSecret(shown(await call<SharedSecret>('GET', `${base}/secret`)), false);
                return null;
              })
        }
      >
        {secretShown ? 'Hide secret' : endpoint.signing === 'ed25519' ? 'Show public key' : 'Show secret'}
      </button>
      {confirm === 'rotate' ? (
        <span className="confirm">
          New secret?
          <button
            type="button"
            className="btn btn-small btn-danger"
            disabled={busy}
            onClick={() =>
              void act('rotate', async () => {
                onSecret(shown(await call<SharedSecret>('POST', `${base}/rotate-secret`)), true);
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
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => setConfirm('rotate')}>
          Rotate secret
        </button>
      )}
      <label className="inline">
        Signing
        <select
          value={endpoint.signing}
          disabled={busy}
          onChange={(e) => {
            const signing = e.target.value;
            void act('signing', async () => {
              const next = await call<Endpoint>('PATCH', base, { signing });
              onChanged(next);
              onSecret(null, false);
              return `Now signing with ${next.signing === 'ed25519' ? 'Ed25519 (v1a)' : 'HMAC (v1)'}; the old material signs alongside for the grace period.`;
            });
          }}
        >
          <option value="hmac">HMAC (v1)</option>
          <option value="ed25519">Ed25519 (v1a)</option>
        </select>
      </label>
      <label className="inline">
        Ordering
        <select
          aria-label="Ordering"
          value={endpoint.ordering}
          disabled={busy}
          onChange={(e) => {
            const ordering = e.target.value;
            void act('ordering', async () => {
              const next = await call<Endpoint>('PATCH', base, { ordering });
              onChanged(next);
              return next.ordering === 'per_guest'
                ? "Per-guest ordering on: each guest's events from now on arrive in feed order, one at a time."
                : 'Ordering off: events from now on go out as soon as a slot is free.';
            });
          }}
        >
          <option value="none">None</option>
          <option value="per_guest">Per guest</option>
        </select>
      </label>
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        onClick={() =>
          void act('toggle', async () => {
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
              void act('delete', async () => {
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
  );
}

/** The value to show: an HMAC endpoint's secret, or an Ed25519 endpoint's public key. */
function shown(material: SharedSecret): string {
  return material.secret ?? material.publicKey ?? '';
}
