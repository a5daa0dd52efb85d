import { checkIn, createKey, removeDir, startApp, TestApp } from './support/app';
import { eventually, Receiver } from './support/receiver';
import type { Schemas } from './support/api-types';

describe('webhooks smoke', () => {
  let app: TestApp;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: receiver.hostPort });
  });
  afterAll(async () => {
    await app.close();
    await receiver.stop();
    removeDir(app.dir);
  });

  it('delivers a signed guest.checked_in', async () => {
    const key = await createKey(app, ['endpoints']);
    const created = await app.http.post<Schemas['CreatedEndpointResponse']>(
      '/api/webhooks/endpoints',
      { url: receiver.url, eventTypes: ['guest.checked_in'] },
      { token: key },
    );
    expect(created.status).toBe(201);
    receiver.secrets = [created.body.secret!];
    const guest = await checkIn(app, { name: 'Zoe' });
    const got = await receiver.waitFor((r) => (r.payload.data as { guest?: { id: string } } | undefined)?.guest?.id === guest.id);
    expect(got.verified).toBe(true);
    expect(got.verifiedBySvix).toBe(true);
    expect(got.payload.type).toBe('guest.checked_in');
    const types = await app.http.get('/api/webhooks/event-types');
    expect(types.status).toBe(200);
    // The attempt is recorded just after the receiver answered.
    const delivery = await eventually(async () => {
      const list = await app.http.get<Schemas['DeliveryWithAttemptsResponse'][]>(
        `/api/webhooks/endpoints/${created.body.id}/deliveries`,
        { token: key },
      );
      return list.body[0]?.status === 'succeeded' ? list.body[0] : undefined;
    });
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 1, eventId: got.id });
  });
});
