import type { ServerResponse } from 'node:http';
import { checkIn, createKey, removeDir, startApp, TestApp } from './support/app';
import { Receiver } from './support/receiver';
import type { Schemas } from './support/api-types';
import { waitFor } from './support/wait';

const ENDPOINTS = 4;
const CONCURRENCY = 5;

/**
 * More busy endpoints than spare budget: with every endpoint holding an attempt and one slot of
 * the global budget free, that slot must go round the endpoints rather than always to the first
 * one by id (the dispatcher's allocation loop once made a full turn per claim and stayed put).
 */
describe('webhook slots when busy endpoints outnumber the spare budget', () => {
  let app: TestApp;
  const receivers = Array.from({ length: ENDPOINTS }, () => new Receiver());
  /** Requests each receiver holds open, oldest first. */
  const held = receivers.map((): ServerResponse[] => []);
  const heldTotal = () => held.reduce((sum, list) => sum + list.length, 0);

  beforeAll(async () => {
    for (const [i, receiver] of receivers.entries()) {
      await receiver.start();
      receiver.respond = (_request, res) => {
        held[i].push(res);
      };
    }
    app = await startApp({
      WEBHOOK_ALLOWED_HOSTS: receivers.map((r) => r.hostPort).join(','),
      WEBHOOK_CONCURRENCY: String(CONCURRENCY),
      WEBHOOK_ENDPOINT_CONCURRENCY: '8',
      // Held requests must not time out (and mark their endpoint failing) while the test runs.
      WEBHOOK_TIMEOUT_MS: '60000',
    });
    const key = await createKey(app, ['endpoints']);
    for (const receiver of receivers) {
      const created = await app.http.post<Schemas['CreatedEndpointResponse']>(
        '/api/webhooks/endpoints',
        { url: receiver.url, eventTypes: ['guest.checked_in'] },
        { token: key },
      );
      expect(created.status).toBe(201);
      receiver.secrets = [created.body.secret!];
    }
  });

  afterAll(async () => {
    for (const receiver of receivers) await receiver.stop();
    await app.close();
    removeDir(app.dir);
  });

  it('gives the free slot to each busy endpoint in turn', async () => {
    // A backlog at every endpoint; the budget fills with at least one held attempt per endpoint.
    for (let i = 0; i < 12; i++) await checkIn(app, { name: `backlog-${i}` });
    await waitFor(() => heldTotal() >= CONCURRENCY && held.every((list) => list.length >= 1), { label: 'the budget full' });

    const servedExtra = new Set<number>();
    for (let round = 0; round < 2 * ENDPOINTS && servedExtra.size < ENDPOINTS; round++) {
      const before = receivers.map((r) => r.received.length);
      // Answer one attempt of an endpoint holding two: every endpoint stays busy, one slot frees up.
      const doubled = held.find((list) => list.length >= 2);
      if (!doubled)
        throw new Error(`round ${round}: no endpoint holds two attempts (${held.map((list) => list.length).join(', ')})`);
      doubled.shift()?.writeHead(204).end();
      await waitFor(() => heldTotal() >= CONCURRENCY, { label: `round ${round}: the freed slot taken` });
      receivers.forEach((r, i) => {
        if (r.received.length > before[i]) servedExtra.add(i);
      });
    }
    expect([...servedExtra].sort()).toEqual([0, 1, 2, 3]);
  });
});
