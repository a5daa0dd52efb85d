import { type SubmitEvent, useState } from 'react';
import type { ApiCall } from '../../components/KeyGate';
import { parseRateLimit, RATE_LIMIT_MAX, RATE_LIMIT_MIN, rateLimitText } from '../../lib/rate-limit';
import type { Endpoint } from '../../lib/types';
import type { RunAction } from './EndpointCard';

/**
 * The endpoint's rate limit, editable in place: blank for none. Saved with PATCH; the card's
 * message line says what happened (or what the API refused).
 */
export function RateLimitEditor({
  endpoint,
  base,
  call,
  busy,
  run,
  onChanged,
  onInvalid,
}: {
  endpoint: Endpoint;
  base: string;
  call: ApiCall;
  busy: boolean;
  run: RunAction;
  onChanged: (endpoint: Endpoint) => void;
  onInvalid: (message: string) => void;
}) {
  const current = endpoint.rateLimitPerSecond ?? null;
  const [text, setText] = useState(current === null ? '' : String(current));
  const parsed = parseRateLimit(text);
  const unchanged = parsed.ok && parsed.value === current;

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!parsed.ok) {
      onInvalid(`Rate limit: ${parsed.message}.`);
      return;
    }
    void run('rate-limit', async () => {
      const next = await call<Endpoint>('PATCH', base, { rateLimitPerSecond: parsed.value });
      onChanged(next);
      return next.rateLimitPerSecond == null
        ? 'Rate limit removed.'
        : `At most ${next.rateLimitPerSecond}/s to this endpoint, over all instances.`;
    });
  };

  return (
    <form className="inline rate-limit" onSubmit={submit} aria-label="Rate limit">
      <label className="inline">
        Rate limit /s
        <input
          type="text"
          inputMode="numeric"
          size={6}
          placeholder="none"
          value={text}
          disabled={busy}
          aria-invalid={parsed.ok ? undefined : 'true'}
          title={`${RATE_LIMIT_MIN}–${RATE_LIMIT_MAX} attempts per second; blank for none (now: ${rateLimitText(current)})`}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button type="submit" className="btn btn-small" disabled={busy || unchanged}>
        Save
      </button>
    </form>
  );
}
