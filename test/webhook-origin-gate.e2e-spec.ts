import { expect } from '@jest/globals';
import { checkIn, createKey, ON_POSTGRES, removeDir, startApp, TestApp } from './support/app';
import { Receiver } from './support/receiver';
import { waitFor } from './support/wait';

/**
 * Many endpoints on one origin share its WEBHOOK_ENDPOINT_CONCURRENCY connections. An attempt waiting for
 * one of them has not been sent yet, so that wait must not count against its timeout, nor age its
 * `webhook-timestamp`. A receiver that takes most of the timeout to answer makes the wait longer than the
 * timeout for the later endpoints: before the sender gated attempts per origin, those timed out unsent.
 */

jest.setTimeout(60_000);

const DB = ON_POSTGRES ? 'PostgreSQL' : 'SQLite';
const ENDPOINTS = '/api/webhooks/endpoints';
const CONNECTIONS = 2;
const ENDPOINT_COUNT = 6;
const TIMEOUT_MS = 1_500;
/** How long the receiver takes to answer: under the timeout, but three rounds of it are well over. */
const ANSWER_MS = 1_000;

interface Delivery {
  status: string;
  attemptCount: number;
  attempts: { durationMs: number; error: string | null }[];
}

describe(`attempts to one busy origin on ${DB}`, () => {
  let app: TestApp;
  const receiver = new Receiver();
  let onTheWire = 0;
  let mostOnTheWire = 0;
  /** Seconds between each request's `webhook-timestamp` and its arrival. */
  const staleness: number[] = [];

  beforeAll(async () => {
    await receiver.start();
    receiver.respond = (request, res) => {
      onTheWire++;
      mostOnTheWire = Math.max(mostOnTheWire, onTheWire);
      staleness.push(request.receivedAt / 1000 - Number(request.timestamp));
      // The receiver is slow by design here: that slowness is what the test is about.
      setTimeout(() => {
        onTheWire--;
        res.writeHead(204).end();
      }, ANSWER_MS);
    };
    app = await startApp({
      WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
      WEBHOOK_ENDPOINT_CONCURRENCY: String(CONNECTIONS),
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  });

  afterAll(async () => {
    // A failed beforeAll leaves `app` unassigned.
    const started = app as TestApp | undefined;
    await started?.close();
    await receiver.stop();
    if (started) removeDir(started.dir);
  });

  it('sends at most the pool size at once and times each attempt from when it goes out', async () => {
    const key = await createKey(app, ['endpoints']);
    const ids: string[] = [];
    for (let n = 0; n < ENDPOINT_COUNT; n++) {
      const created = await app.http.post<{ id: string; secret: string }>(
        ENDPOINTS,
        { url: `${receiver.url}?endpoint=${n}`, eventTypes: ['guest.checked_in'] },
        { token: key },
      );
      expect(created.status).toBe(201);
      receiver.secrets.push(created.body.secret);
      ids.push(created.body.id);
    }
    await checkIn(app, { name: 'Queued' });

    const deliveriesOf = async (id: string) =>
      (await app.http.get<Delivery[]>(`${ENDPOINTS}/${id}/deliveries`, { token: key })).body;
    const settled = async () => {
      const all = await Promise.all(ids.map(deliveriesOf));
      return all.every((list) => list.length === 1 && list[0].status !== 'pending') ? all : null;
    };
    const deliveries = (await waitFor(settled, { timeoutMs: 30_000, label: 'every delivery settled' })).map((list) => list[0]);

    expect(deliveries.map((d) => `${d.status} after ${d.attemptCount}`)).toEqual(
      Array.from({ length: ENDPOINT_COUNT }, () => 'succeeded after 1'),
    );
    for (const delivery of deliveries) expect(delivery.attempts[0].durationMs).toBeLessThan(TIMEOUT_MS);
    expect(mostOnTheWire).toBeLessThanOrEqual(CONNECTIONS);
    expect(receiver.received).toHaveLength(ENDPOINT_COUNT);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    // The last endpoints waited two answers' time for a connection; their timestamps are still fresh.
    expect(Math.max(...staleness)).toBeLessThan(1.5);
  });
});
