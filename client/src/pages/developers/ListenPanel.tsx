import { exampleOf } from '../../lib/examples';
import type { EventType } from '../../lib/types';

/** The `npx maitred listen` command for the signed-in key, and the steps to a first verified webhook. */
export function ListenPanel({ apiKey }: { apiKey: string }) {
  const command = `npx maitred listen --url ${window.location.origin} --key ${apiKey} --forward-to http://127.0.0.1:4010/hooks/maitred`;
  return (
    <section className="card" aria-label="Your first webhook">
      <h2>Your first webhook</h2>
      <ol>
        <li>
          On your laptop, in a Maitred checkout, forward this deployment&apos;s events to your receiver (no inbound port needed):
          <pre>
            <code aria-label="listen command">{command}</code>
          </pre>
          It prints <code>Webhook signing secret: whsec_…</code> and one line per event.
        </li>
        <li>
          Run a receiver that verifies with that secret, e.g.{' '}
          <code>MAITRED_WEBHOOK_SECRET=whsec_… node examples/receiver.mjs</code> (see the README, &quot;Integrate in five
          minutes&quot;).
        </li>
        <li>
          Or register a reachable URL below with <strong>Add endpoint</strong>, then <strong>Send test</strong>: the delivery
          shows as <strong>succeeded</strong> once your receiver verified it and answered 2xx.
        </li>
      </ol>
    </section>
  );
}

/** Every event type: its description, an example payload and the JSON Schema of its `data`. */
export function EventCatalogue({ eventTypes }: { eventTypes: EventType[] }) {
  return (
    <section className="card" aria-label="Event catalogue">
      <h2>Event catalogue</h2>
      <ul className="plain-list">
        {eventTypes.map((eventType) => (
          <li key={eventType.type} aria-label={eventType.type}>
            <code>{eventType.type}</code> <span className="muted">{eventType.description}</span>
            <details>
              <summary>Example payload</summary>
              <pre>
                {JSON.stringify(
                  { type: eventType.type, timestamp: '2026-11-28T19:30:00.000Z', data: exampleOf(eventType.schema) },
                  null,
                  2,
                )}
              </pre>
            </details>
            <details>
              <summary>JSON Schema of data</summary>
              <pre>{JSON.stringify(eventType.schema, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
