import { checkIn, createKey, removeDir, startApp, TestApp } from './support/app';
import { ReceivedWebhook, Receiver } from './support/receiver';
import { waitFor } from './support/wait';
import type { Schemas } from './support/api-types';

/** The guest a webhook names, if any (its data is null when the body was not JSON). */
const guestIdOf = (webhook: ReceivedWebhook) => (webhook.payload.data as { guest?: { id: string } } | null)?.guest?.id;

/**
 * Several hanging endpoints together hold more attempts than the global budget allows; a
 * healthy endpoint must still receive every new event promptly.
 */
describe('webhook isolation when broken endpoints exhaust the global budget', () => {
  let app: TestApp;
  let key: string;
  const healthy = new Receiver();
  const hanging = [new Receiver(), new Receiver(), new Receiver()];

  beforeAll(async () => {
    await healthy.start();
    for (const receiver of hanging) {
      await receiver.start();
      receiver.respond = () => undefined; // never answers
    }
    app = await startApp({
      WEBHOOK_ALLOWED_HOSTS: [healthy, ...hanging].map((r) => r.hostPort).join(','),
      WEBHOOK_CONCURRENCY: '4',
      WEBHOOK_ENDPOINT_CONCURRENCY: '4',
      // Long enough that every request a hanging receiver has seen is still in flight when the tests look.
      WEBHOOK_TIMEOUT_MS: '60000',
      WEBHOOK_RETRY_SCHEDULE: '1s',
    });
    key = await createKey(app, ['endpoints']);
    for (const receiver of [...hanging, healthy]) {
      const created = await app.http.post<Schemas['CreatedEndpointResponse']>(
        '/api/webhooks/endpoints',
        { url: receiver.url },
        { token: key },
      );
      expect(created.status).toBe(201);
      receiver.secrets = [created.body.secret!];
    }
  });

  afterAll(async () => {
    // Receivers first: dropping their connections ends the hanging attempts, so the app can close at once.
    for (const receiver of [healthy, ...hanging]) await receiver.stop();
    await app.close();
    removeDir(app.dir);
  });

  it('keeps delivering to the healthy endpoint within a second', async () => {
    // Fill the hanging endpoints: 3 × 4 attempts in flight against a global budget of 4.
    for (let i = 0; i < 6; i++) await checkIn(app, { name: `filler-${i}` });
    await waitFor(() => hanging.every((r) => r.received.length >= 1), { timeoutMs: 5_000, label: 'hanging endpoints busy' });

    for (let i = 0; i < 5; i++) {
      const guest = await checkIn(app, { name: `probe-${i}` });
      const sentAt = Date.now();
      const got = await healthy.waitFor((r) => guestIdOf(r) === guest.id, 5_000);
      expect(got.verified).toBe(true);
      expect(got.receivedAt - sentAt).toBeLessThan(1_000);
    }
  });

  it('refuses a manual retry of a delivery whose attempt is still in flight, and does not send it twice', async () => {
    const endpoints = await app.http.get<{ id: string; url: string }[]>('/api/webhooks/endpoints', { token: key });
    const stuck = endpoints.body.find((e) => e.url === hanging[0].url);
    expect(stuck).toBeDefined();
    // A request the hanging receiver holds open: its attempt is in flight, not merely waiting for a slot.
    const held = hanging[0].received[0];
    expect(held).toBeDefined();
    const deliveries = await app.http.get<{ id: string; eventId: string; status: string; attemptCount: number }[]>(
      `/api/webhooks/endpoints/${stuck!.id}/deliveries`,
      { token: key },
    );
    const inFlight = deliveries.body.find((d) => d.eventId === held.id);
    expect(inFlight).toMatchObject({ status: 'pending', attemptCount: 0 });

    const retry = await app.http.post<{ message: string }>(`/api/webhooks/deliveries/${inFlight!.id}/retry`, {}, { token: key });
    expect(retry.status).toBe(409);
    expect(retry.body.message).toMatch(/being attempted/);

    // The dispatcher keeps running (the healthy endpoint gets a new event); the held delivery was still sent once.
    const guest = await checkIn(app, { name: 'after-retry' });
    await healthy.waitFor((r) => guestIdOf(r) === guest.id, 5_000);
    expect(hanging[0].received.filter((r) => r.id === held.id)).toHaveLength(1);
    const after = await app.http.get<{ id: string; status: string; attemptCount: number }[]>(
      `/api/webhooks/endpoints/${stuck!.id}/deliveries`,
      { token: key },
    );
    expect(after.body.find((d) => d.id === inFlight!.id)).toMatchObject({ status: 'pending', attemptCount: 0 });
  });
});
