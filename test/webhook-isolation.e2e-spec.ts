import { checkIn, createKey, removeDir, startApp, TestApp } from './support/app';
import { eventually, Receiver } from './support/receiver';

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
      WEBHOOK_TIMEOUT_MS: '8000',
      WEBHOOK_RETRY_SCHEDULE: '1s',
    });
    key = await createKey(app, ['endpoints']);
    for (const receiver of [...hanging, healthy]) {
      const created = await app.http.post('/api/webhooks/endpoints', { url: receiver.url }, { token: key });
      expect(created.status).toBe(201);
      receiver.secrets = [created.body.secret];
    }
  });

  afterAll(async () => {
    await app.close();
    for (const receiver of [healthy, ...hanging]) await receiver.stop();
    removeDir(app.dir);
  });

  it('keeps delivering to the healthy endpoint within a second', async () => {
    // Fill the hanging endpoints: 3 × 4 attempts in flight against a global budget of 4.
    for (let i = 0; i < 6; i++) await checkIn(app, { name: `filler-${i}` });
    await eventually(async () => hanging.every((r) => r.received.length >= 1), 5_000, 'hanging endpoints busy');

    for (let i = 0; i < 5; i++) {
      const guest = await checkIn(app, { name: `probe-${i}` });
      const sentAt = Date.now();
      const got = await healthy.waitFor((r) => r.payload.data?.guest?.id === guest.id, 5_000);
      expect(got.verified).toBe(true);
      expect(got.receivedAt - sentAt).toBeLessThan(1_000);
    }
  });

  it('refuses a manual retry of a delivery whose attempt is still in flight', async () => {
    const endpoints = await app.http.get('/api/webhooks/endpoints', { token: key });
    const stuck = endpoints.body.find((e: { url: string }) => e.url === hanging[0].url);
    const deliveries = await app.http.get(`/api/webhooks/endpoints/${stuck.id}/deliveries?status=pending`, { token: key });
    const inFlight = deliveries.body.find((d: { attemptCount: number }) => d.attemptCount === 0);
    expect(inFlight).toBeDefined();
    const retry = await app.http.post(`/api/webhooks/deliveries/${inFlight.id}/retry`, {}, { token: key });
    // Either it is in flight right now (409) or still waiting for a slot (202): never a double send.
    expect([202, 409]).toContain(retry.status);
    if (retry.status === 409) expect(retry.body.message).toMatch(/being attempted/);
  });
});
