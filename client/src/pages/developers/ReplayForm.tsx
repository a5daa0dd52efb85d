import { useState } from 'react';
import type { ApiCall } from '../../components/KeyGate';
import type { RunAction } from './EndpointCard';

/** Sends the events of a window again (POST …/replay): since, until (optional) and event types (optional, comma-separated). */
export function ReplayForm({
  base,
  call,
  busy,
  run,
  onInvalid,
  refresh,
}: {
  base: string;
  call: ApiCall;
  busy: boolean;
  run: RunAction;
  onInvalid: (text: string) => void;
  refresh: () => void;
}) {
  const [since, setSince] = useState(() => localInput(Date.now() - 60 * 60_000));
  const [until, setUntil] = useState('');
  const [types, setTypes] = useState('');

  return (
    <form
      className="recover"
      aria-label="Replay events"
      onSubmit={(event) => {
        event.preventDefault();
        const from = new Date(since);
        const to = until === '' ? null : new Date(until);
        if (Number.isNaN(from.getTime()) || (to !== null && Number.isNaN(to.getTime()))) {
          onInvalid('Choose the times to replay from and to.');
          return;
        }
        const eventTypes = types
          .split(',')
          .map((type) => type.trim())
          .filter((type) => type !== '');
        const body: Record<string, unknown> = { since: from.toISOString() };
        if (to !== null) body.until = to.toISOString();
        if (eventTypes.length > 0) body.eventTypes = eventTypes;
        void run('replay', async () => {
          const { count } = await call<{ count: number }>('POST', `${base}/replay`, body);
          window.setTimeout(refresh, 300);
          return count === 0
            ? 'No events in that window match this endpoint.'
            : `Replaying ${count} event${count === 1 ? '' : 's'}.`;
        });
      }}
    >
      <label className="inline">
        Replay since
        <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
      </label>
      <label className="inline">
        until
        <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
      </label>
      <label className="inline">
        Replay types
        <input placeholder="all (or a,b)" value={types} onChange={(e) => setTypes(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-small" disabled={busy}>
        Replay
      </button>
    </form>
  );
}

function localInput(ms: number): string {
  const date = new Date(ms);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
