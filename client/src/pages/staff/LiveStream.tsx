import { Empty } from '../../components/States';
import { describeEvent, eventTone } from '../../lib/events';
import { clockTime } from '../../lib/format';
import type { Delivery, DomainEvent } from '../../lib/types';

export type StreamItem =
  | { kind: 'event'; key: string; at: string; event: DomainEvent }
  | { kind: 'delivery'; key: string; at: string; delivery: Delivery };

/** The live feed beside the floor: domain events and webhook attempts, newest first. */
export function LiveStream({ stream }: { stream: StreamItem[] }) {
  return (
    <section className="card" aria-labelledby="stream-title">
      <h2 id="stream-title">Live events</h2>
      {stream.length === 0 ? (
        <Empty title="Listening…">Check-ins, seatings, offers, payments and webhook attempts appear here as they happen.</Empty>
      ) : (
        <ol className="stream" aria-live="polite">
          {stream.map((item) =>
            item.kind === 'event' ? (
              <li key={item.key} className={`stream-item tone-${eventTone(item.event.type)}`}>
                <time dateTime={item.at}>{clockTime(item.at)}</time>
                <code>{item.event.type}</code>
                <span>{describeEvent(item.event)}</span>
              </li>
            ) : (
              <li
                key={item.key}
                className={`stream-item tone-${item.delivery.status === 'failed' ? 'warn' : item.delivery.status === 'succeeded' ? 'muted' : 'info'}`}
              >
                <time dateTime={item.at}>{clockTime(item.at)}</time>
                <code>webhook</code>
                <span>
                  {item.delivery.eventType} → {item.delivery.endpointId}: {item.delivery.status}
                  {item.delivery.lastStatusCode !== null
                    ? ` (${item.delivery.lastStatusCode})`
                    : item.delivery.lastError
                      ? ` (${item.delivery.lastError})`
                      : ''}
                </span>
              </li>
            ),
          )}
        </ol>
      )}
    </section>
  );
}
