import { expect } from '@jest/globals';
import Ajv from 'ajv';
import { Webhook } from 'standardwebhooks';
import { checkIn, clockOf, createKey, removeDir, startApp, TestApp } from './support/app';
import type { Schemas } from './support/api-types';
import { type ReceivedWebhook, Receiver } from './support/receiver';
import { waitFor } from './support/wait';

const ENDPOINTS = '/api/webhooks/endpoints';
const HOUR = 60 * 60 * 1000;
const OPERATIONAL = ['delivery.exhausted', 'endpoint.disabled'];

type Delivery = Schemas['DeliveryWithAttemptsResponse'];

/**
 * Signed with this secret (standardwebhooks' own signer over the received id, timestamp and body): the Clock
 * was moved hours ahead, so `verify` would refuse the timestamp as too far from the receiver's real time.
 */
function signedWith(secret: string, got: ReceivedWebhook): boolean {
  return got.signature.split(' ').includes(new Webhook(secret).sign(got.id, new Date(Number(got.timestamp) * 1000), got.body));
}

describe('operational events (endpoint.disabled, delivery.exhausted)', () => {
  let app: TestApp;
  const failing = new Receiver();
  const optedIn = new Receiver();
  const emptyFilter = new Receiver();
  const otherKey = new Receiver();
  let key1: string;
  let key2: string;
  let staffKey: string;
  let a: Schemas['CreatedEndpointResponse'];
  let b: Schemas['CreatedEndpointResponse'];
  let c: Schemas['CreatedEndpointResponse'];
  let d: Schemas['CreatedEndpointResponse'];

  const create = async (token: string, receiver: Receiver, eventTypes: string[]) => {
    const created = await app.http.post<Schemas['CreatedEndpointResponse']>(
      ENDPOINTS,
      { url: receiver.url, eventTypes },
      { token },
    );
    expect(created.status).toBe(201);
    receiver.secrets = [created.body.secret!];
    return created.body;
  };
  const deliveriesOf = async (endpoint: { id: string }, token: string) =>
    (await app.http.get<Delivery[]>(`${ENDPOINTS}/${endpoint.id}/deliveries`, { token })).body;

  beforeAll(async () => {
    for (const receiver of [failing, optedIn, emptyFilter, otherKey]) await receiver.start();
    failing.respond = (_req, res) => {
      res.writeHead(500).end('down');
    };
    app = await startApp({
      WEBHOOK_ALLOWED_HOSTS: [failing, optedIn, emptyFilter, otherKey].map((r) => r.hostPort).join(','),
      // Two attempts, an hour apart: the test moves the Clock past the hour.
      WEBHOOK_RETRY_SCHEDULE: '1h',
      SEED_DEMO: 'false',
    });
    key1 = await createKey(app, ['endpoints'], 'key one');
    key2 = await createKey(app, ['endpoints'], 'key two');
    staffKey = await createKey(app, ['staff'], 'front desk');
    a = await create(key1, failing, ['guest.checked_in']);
    b = await create(key1, optedIn, OPERATIONAL);
    c = await create(key1, emptyFilter, []);
    d = await create(key2, otherKey, OPERATIONAL);
  });

  afterAll(async () => {
    const started = app as TestApp | undefined;
    await started?.close();
    for (const receiver of [failing, optedIn, emptyFilter, otherKey]) await receiver.stop();
    if (started) removeDir(started.dir);
  });

  it('a delivery that ends failed reaches only the same key’s endpoints that list delivery.exhausted', async () => {
    const guest = await checkIn(app, { name: 'Ada' });
    const first = await failing.waitFor((r) => r.payload.type === 'guest.checked_in');
    await emptyFilter.waitFor((r) => r.id === first.id);
    expect(optedIn.received).toHaveLength(0);

    clockOf(app).advance(2 * HOUR);
    await failing.waitForCount(2, (r) => r.id === first.id);
    const exhausted = await optedIn.waitFor((r) => r.payload.type === 'delivery.exhausted');
    expect(signedWith(b.secret!, exhausted)).toBe(true);
    const [failed] = await deliveriesOf(a, key1);
    expect(failed).toMatchObject({ status: 'failed', attemptCount: 2, eventId: first.id });
    expect(exhausted.payload.data).toEqual({
      endpointId: a.id,
      deliveryId: failed.id,
      eventId: first.id,
      eventType: 'guest.checked_in',
      attempts: 2,
    });
    expect(exhausted.id).toMatch(/^evt_/);
    expect(exhausted.id).not.toBe(first.id);
    expect(guest.id).toBe((first.payload.data.guest as { id: string }).id);

    // Written in the same transaction as the failure: had C or D matched, their rows would be there now.
    expect((await deliveriesOf(c, key1)).map((delivery) => delivery.eventType)).toEqual(['guest.checked_in']);
    expect(await deliveriesOf(d, key2)).toEqual([]);
    expect((await deliveriesOf(b, key1)).map((delivery) => delivery.eventType)).toEqual(['delivery.exhausted']);
    expect(emptyFilter.received.some((r) => OPERATIONAL.includes(r.payload.type))).toBe(false);
    expect(otherKey.received).toHaveLength(0);
  });

  it('disabling an endpoint tells the same key’s opted-in endpoints, and no one else', async () => {
    const patched = await app.http.patch(`${ENDPOINTS}/${a.id}`, { enabled: false }, { token: key1 });
    expect(patched.status).toBe(200);
    const disabled = await optedIn.waitFor((r) => r.payload.type === 'endpoint.disabled');
    expect(signedWith(b.secret!, disabled)).toBe(true);
    expect(disabled.payload.data).toEqual({ endpointId: a.id, reason: expect.stringContaining('disabled by') as unknown });
    expect((await deliveriesOf(c, key1)).map((delivery) => delivery.eventType)).toEqual(['guest.checked_in']);
    expect(await deliveriesOf(d, key2)).toEqual([]);
    expect(failing.received.some((r) => OPERATIONAL.includes(r.payload.type))).toBe(false);
  });

  it('the exhaustion of an operational delivery reports nothing more (no loop)', async () => {
    optedIn.respond = (_req, res) => {
      res.writeHead(500).end();
    };
    const before = (await deliveriesOf(b, key1)).length;
    // Another failing endpoint of key 1, so B gets one more operational event, which B now fails.
    const e = await create(key1, failing, ['guest.checked_in']);
    await app.http.patch(`${ENDPOINTS}/${e.id}`, { enabled: false }, { token: key1 });
    const [pending] = await deliveriesOf(b, key1);
    expect(pending.eventType).toBe('endpoint.disabled');
    await optedIn.waitForCount(1, (r) => r.id === pending.eventId);
    clockOf(app).advance(2 * HOUR);
    await optedIn.waitForCount(2, (r) => r.id === pending.eventId);
    await waitFor(async () => (await deliveriesOf(b, key1)).find((delivery) => delivery.id === pending.id)?.status === 'failed', {
      label: "B's endpoint.disabled delivery failed",
    });
    expect(await deliveriesOf(b, key1)).toHaveLength(before + 1);
    optedIn.respond = (_req, res) => {
      res.writeHead(204).end();
    };
  });

  it('never appears in /api/events, and the catalogue lists both as operational with schemas their data match', async () => {
    const feed = (await app.http.get<{ data: { type: string }[] }>('/api/events?limit=500', { token: staffKey })).body.data;
    expect(feed.map((event) => event.type)).toEqual(['guest.checked_in']);
    const catalogue = (await app.http.get<Schemas['EventTypeResponse'][]>('/api/webhooks/event-types')).body;
    const ajv = new Ajv({ strict: false });
    for (const type of OPERATIONAL) {
      const entry = catalogue.find((candidate) => candidate.type === type)!;
      expect(entry.operational).toBe(true);
      const received = optedIn.received.find((r) => r.payload.type === type)!;
      expect(ajv.validate(entry.schema, received.payload.data)).toBe(true);
      expect(ajv.validate(entry.schema, { ...received.payload.data, endpointId: 7 })).toBe(false);
    }
    expect(
      catalogue
        .filter((entry) => entry.operational)
        .map((entry) => entry.type)
        .sort(),
    ).toEqual(OPERATIONAL);
  });
});
