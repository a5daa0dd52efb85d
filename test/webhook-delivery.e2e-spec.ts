import { expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { Webhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { ADMIN_KEY, checkIn, clockOf, createKey, freeTable, removeDir, startApp, TestApp } from './support/app';
import { eventually, Receiver, ReceivedWebhook, Responder } from './support/receiver';
import { connect, Recorder } from './support/sockets';
import { waitFor } from './support/wait';
import type { Schemas, ErrorBody, TestSent, Recovered } from './support/api-types';

/**
 * Every delivery rule of the contract's "Webhook wire format", end to end: the built app sends to
 * real local receivers that verify each request with the `standardwebhooks` and `svix` libraries.
 * Retries run on a 1 s schedule; longer schedules live in webhook-schedule.e2e-spec.ts.
 */
jest.setTimeout(30_000);

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

interface Attempt {
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

interface Delivery {
  id: string;
  eventId: string;
  endpointId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attempts: Attempt[];
  attemptsTotal: number;
}

/** What these tests read of an event's data: most events name a guest or a table. */
interface EventData {
  guest?: { id: string; [field: string]: unknown };
  table?: { id: string; [field: string]: unknown };
  [field: string]: unknown;
}

interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: EventData;
}

/** A received webhook's data (null when its body was not JSON). */
const dataOf = (webhook: ReceivedWebhook) => webhook.payload.data as EventData | null;

const DELIVERY_FIELDS = [
  'id',
  'eventId',
  'endpointId',
  'eventType',
  'status',
  'attemptCount',
  'nextAttemptAt',
  'lastStatusCode',
  'lastError',
  'createdAt',
  'deliveredAt',
];

const noContent: Responder = (_req, res) => {
  res.writeHead(204).end();
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

function headersOf(got: ReceivedWebhook) {
  return { 'webhook-id': got.id, 'webhook-timestamp': got.timestamp, 'webhook-signature': got.signature };
}

/** Whether `secret` alone verifies the request, per library. */
function verifiesWith(secret: string, got: ReceivedWebhook): { standard: boolean; svix: boolean } {
  let standard = true;
  let svix = true;
  try {
    new Webhook(secret).verify(got.body, headersOf(got));
  } catch {
    standard = false;
  }
  try {
    new SvixWebhook(secret).verify(got.body, {
      'svix-id': got.id,
      'svix-timestamp': got.timestamp,
      'svix-signature': got.signature,
    });
  } catch {
    svix = false;
  }
  return { standard, svix };
}

const forGuest =
  (guestId: string, type = 'guest.checked_in') =>
  (r: ReceivedWebhook) =>
    r.payload.type === type && dataOf(r)?.guest?.id === guestId;

describe('webhook delivery (1 s retry schedule)', () => {
  let app: TestApp;
  let key: string;
  let staff: Socket;
  let staffRecorder: Recorder;
  let refusedPort: number;
  const pool = Array.from({ length: 6 }, () => new Receiver());
  const [wire, r1, r2, r3, r4, sink] = pool;
  const created: string[] = [];

  beforeAll(async () => {
    await Promise.all(pool.map((receiver) => receiver.start()));
    refusedPort = await freePort();
    app = await startApp({
      WEBHOOK_RETRY_SCHEDULE: '1s,1s',
      WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_SECRET_GRACE: '2s',
      WEBHOOK_ALLOWED_HOSTS: [...pool.map((receiver) => receiver.hostPort), `127.0.0.1:${refusedPort}`].join(','),
    });
    key = await createKey(app, ['endpoints'], 'integrator');
    staff = await connect(app.baseUrl, '/staff', { token: ADMIN_KEY });
    staffRecorder = new Recorder(staff, ['delivery']);
  });

  afterEach(async () => {
    // Each test's endpoints go, so later events do not reach them; the wire endpoint stays.
    for (const id of created.splice(0)) {
      await app.http.delete(`/api/webhooks/endpoints/${id}`, { token: key });
    }
    for (const receiver of [r1, r2, r3, r4, sink]) {
      receiver.respond = noContent;
      receiver.secrets = [];
      receiver.received.length = 0;
    }
  });

  afterAll(async () => {
    // A failed beforeAll leaves these unassigned.
    const started = app as TestApp | undefined;
    (staff as Socket | undefined)?.close();
    await started?.close();
    await Promise.all(pool.map((receiver) => receiver.stop()));
    if (started) removeDir(started.dir);
  });

  async function addEndpoint(target: Receiver | string, eventTypes?: string[], keep = false) {
    const url = typeof target === 'string' ? target : target.url;
    const result = await app.http.post<{ id: string; secret: string; enabled: boolean; eventTypes: string[] }>(
      '/api/webhooks/endpoints',
      eventTypes === undefined ? { url } : { url, eventTypes },
      { token: key },
    );
    expect(result.status).toBe(201);
    expect(result.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    if (typeof target !== 'string') target.secrets.push(result.body.secret);
    if (!keep) created.push(result.body.id);
    return result.body;
  }

  /**
   * Sends webhook.test to `ep` and waits until `receiver` has it. Proving that nothing else arrives cannot wait
   * on a condition, so the tests wait for this instead: the dispatcher claims an endpoint's due deliveries oldest
   * first, so one that should not exist (a filtered event, a resurrected or extra retry) would come first.
   */
  async function barrier(ep: { id: string }, receiver: Receiver): Promise<string> {
    const sent = await app.http.post<{ eventId: string }>(`/api/webhooks/endpoints/${ep.id}/test`, undefined, { token: key });
    expect(sent.status).toBe(202);
    await receiver.waitFor((r) => r.id === sent.body.eventId);
    return sent.body.eventId;
  }

  async function deliveries(endpointId: string): Promise<Delivery[]> {
    const result = await app.http.get<Delivery[]>(`/api/webhooks/endpoints/${endpointId}/deliveries`, { token: key });
    expect(result.status).toBe(200);
    return result.body;
  }

  function deliveryOf(endpointId: string, eventId: string, until: (d: Delivery) => boolean = () => true, timeoutMs = 5_000) {
    return eventually(
      async () => (await deliveries(endpointId)).find((d) => d.eventId === eventId && until(d)),
      timeoutMs,
      `delivery of ${eventId} to ${endpointId}`,
    );
  }

  async function endpoint(id: string) {
    const result = await app.http.get<Schemas['EndpointResponse']>(`/api/webhooks/endpoints/${id}`, { token: key });
    expect(result.status).toBe(200);
    return result.body as { id: string; enabled: boolean; disabledReason: string | null };
  }

  async function feed(): Promise<FeedEvent[]> {
    const result = await app.http.get<{ data: FeedEvent[] }>('/api/events?limit=500', { token: ADMIN_KEY });
    expect(result.status).toBe(200);
    return result.body.data;
  }

  async function checkedInEvent(guestId: string): Promise<FeedEvent> {
    // On PostgreSQL the feed holds an event back while an older transaction is still open (a
    // retention batch, another check-in), so it can lag the 201 by a few milliseconds.
    return waitFor(async () => (await feed()).find((e) => e.type === 'guest.checked_in' && e.data.guest?.id === guestId), {
      label: `guest.checked_in for ${guestId} in the feed`,
    });
  }

  it('refuses a 127.0.0.1 receiver that WEBHOOK_ALLOWED_HOSTS does not list (SSRF guard)', async () => {
    const unlisted = await freePort();
    for (const url of [
      `http://127.0.0.1:${unlisted}/hook`,
      // Loopback spellings of a listed port pass (see webhook-endpoints); other spellings of the address do not.
      `http://localhost:${unlisted}/hook`,
      `http://[::ffff:127.0.0.1]:${wire.port}/hook`,
      // A non-public address in any spelling (2130706433 is 127.0.0.1).
      `http://2130706433:${unlisted}/hook`,
      `http://0x7f.1:${unlisted}/hook`,
    ]) {
      const result = await app.http.post<ErrorBody>('/api/webhooks/endpoints', { url }, { token: key });
      expect({ url, status: result.status }).toEqual({ url, status: 400 });
      expect(result.body.details).toEqual([expect.objectContaining({ field: 'url' })]);
    }
  });

  it('sends the Standard Webhooks wire format: headers, signature and the feed event as body', async () => {
    await addEndpoint(wire, undefined, true);
    const guest = await checkIn(app, { name: 'Wire', email: 'wire@example.com', marketingOptIn: true });
    const got = await wire.waitFor(forGuest(guest.id));
    const event = await checkedInEvent(guest.id);

    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe(`maitred-webhooks/${VERSION}`);
    expect(got.id).toMatch(/^evt_[0-9A-Z]{26}$/);
    expect(got.id).toBe(event.id);
    expect(got.timestamp).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(got.timestamp) - got.receivedAt / 1000)).toBeLessThan(5);
    expect(got.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    expect(got.verified).toBe(true);
    expect(got.verifiedBySvix).toBe(true);
    expect(verifiesWith(wire.secrets[0], got)).toEqual({ standard: true, svix: true });
    const wrongSecret = `whsec_${randomBytes(32).toString('base64')}`;
    expect(verifiesWith(wrongSecret, got)).toEqual({ standard: false, svix: false });
    // A tampered body fails with the right secret.
    expect(verifiesWith(wire.secrets[0], { ...got, body: got.body.replace('Wire', 'Evil') })).toEqual({
      standard: false,
      svix: false,
    });

    const body: unknown = JSON.parse(got.body);
    expect(typeof body === 'object' && body !== null && Object.keys(body).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(body).toEqual({ type: event.type, timestamp: event.timestamp, data: event.data });
    expect(body).toMatchObject({ data: { guest: { email: 'wire@example.com' } } });
    expect(got.body).not.toContain(guest.token);
  });

  it('filters by event type (empty = all) and fans one event out to every endpoint under one webhook-id', async () => {
    const seatedOnly = await addEndpoint(r1, ['guest.seated']);
    const all = await addEndpoint(r2, []);
    expect(all.eventTypes).toEqual([]);
    await addEndpoint(r3);
    const guest = await checkIn(app, { name: 'Fan', partySize: 2 });
    const table = await freeTable(app, 2);
    const seat = await app.http.post<Schemas['GuestResponse']>(
      `/api/guests/${guest.id}/seat`,
      { tableId: table.id },
      { token: ADMIN_KEY },
    );
    expect(seat.status).toBe(200);

    const copies = await Promise.all([wire, r2, r3].map((receiver) => receiver.waitFor(forGuest(guest.id))));
    expect(new Set(copies.map((copy) => copy.id)).size).toBe(1);
    expect(copies.every((copy) => copy.verified && copy.verifiedBySvix)).toBe(true);

    // Endpoints with every type get the check-in, the seating and the table change.
    const tableChanged = (r: ReceivedWebhook) => r.payload.type === 'table.status_changed' && dataOf(r)?.table?.id === table.id;
    for (const receiver of [r2, r3]) {
      await receiver.waitFor(forGuest(guest.id, 'guest.seated'));
      await receiver.waitFor(tableChanged);
    }
    const seated = await r1.waitFor(forGuest(guest.id, 'guest.seated'));
    expect(seated.id).toBe((await r2.waitFor(forGuest(guest.id, 'guest.seated'))).id);
    // The others have had both remaining events; a filtered-out one to r1 would arrive before the barrier.
    await barrier(seatedOnly, r1);
    expect(r1.received.map((r) => r.payload.type)).toEqual(['guest.seated', 'webhook.test']);
    expect((await deliveries(seatedOnly.id)).map((d) => d.eventType).sort()).toEqual(['guest.seated', 'webhook.test']);
  });

  it('a disabled endpoint gets nothing new; re-enabling does not resurrect its failed work; recover re-queues it', async () => {
    // 503 + Retry-After keeps the first delivery pending long enough to disable the endpoint under it.
    r1.respond = (_req, res) => {
      res.writeHead(503, { 'retry-after': '60' }).end();
    };
    const ep = await addEndpoint(r1);
    const before = await checkIn(app, { name: 'Before disable' });
    const eventId = (await r1.waitFor(forGuest(before.id))).id;
    const pending = await deliveryOf(ep.id, eventId, (d) => d.attemptCount === 1);
    expect(pending).toMatchObject({ status: 'pending', lastStatusCode: 503, lastError: 'http_503' });

    const disabled = await app.http.patch<Schemas['EndpointResponse']>(
      `/api/webhooks/endpoints/${ep.id}`,
      { enabled: false },
      { token: key },
    );
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    expect(disabled.body.disabledReason).toEqual(expect.any(String));
    expect(await deliveryOf(ep.id, eventId)).toMatchObject({ status: 'failed', nextAttemptAt: null, attemptCount: 1 });

    const during = await checkIn(app, { name: 'While disabled' });
    await wire.waitFor(forGuest(during.id));
    expect((await deliveries(ep.id)).map((d) => d.eventId)).toEqual([eventId]);

    r1.respond = noContent;
    const enabled = await app.http.patch<Schemas['EndpointResponse']>(
      `/api/webhooks/endpoints/${ep.id}`,
      { enabled: true },
      { token: key },
    );
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
    // Past the Retry-After the failed delivery had: were it re-queued, it would be due before the barrier.
    clockOf(app).advance(61_000);
    await barrier(ep, r1);
    expect(await deliveryOf(ep.id, eventId)).toMatchObject({ status: 'failed', attemptCount: 1 });
    expect(r1.received.filter((r) => r.id === eventId)).toHaveLength(1);
    expect(r1.received.filter(forGuest(during.id))).toHaveLength(0);

    const createdAt = Date.parse(pending.createdAt);
    const none = await app.http.post<Recovered>(
      `/api/webhooks/endpoints/${ep.id}/recover`,
      { since: new Date(createdAt + 1).toISOString() },
      { token: key },
    );
    expect(none.status).toBe(202);
    expect(none.body).toEqual({ count: 0 });
    const recovered = await app.http.post<Recovered>(
      `/api/webhooks/endpoints/${ep.id}/recover`,
      { since: new Date(createdAt).toISOString() },
      { token: key },
    );
    expect(recovered.status).toBe(202);
    expect(recovered.body).toEqual({ count: 1 });
    const again = await r1.waitForCount(2, (r) => r.id === eventId);
    expect(again[1].verified).toBe(true);
    expect(await deliveryOf(ep.id, eventId, (d) => d.status === 'succeeded')).toMatchObject({
      attemptCount: 2,
      lastStatusCode: 204,
    });
    const bad = await app.http.post<ErrorBody>(
      `/api/webhooks/endpoints/${ep.id}/recover`,
      { since: 'yesterday' },
      { token: key },
    );
    expect(bad.status).toBe(400);
  });

  it('retries after a 500 under the same webhook-id, logs each attempt, and pushes `delivery` to /staff', async () => {
    const big = 'E'.repeat(10 * 1024);
    r1.respond = (req, res) => {
      const seen = r1.received.filter((r) => r.id === req.id).length;
      // The failing answer takes 200 ms, which its logged duration must show.
      if (seen === 1) setTimeout(() => res.writeHead(500, { 'content-type': 'text/plain' }).end(big), 200);
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    };
    const ep = await addEndpoint(r1);
    const guest = await checkIn(app, { name: 'Retry' });
    const eventId = (await r1.waitFor(forGuest(guest.id))).id;
    const both = await r1.waitForCount(2, (r) => r.id === eventId);
    expect(both.every((r) => r.verified && r.verifiedBySvix)).toBe(true);
    expect(both[1].receivedAt - both[0].receivedAt).toBeGreaterThanOrEqual(700);
    expect(both[1].body).toBe(both[0].body);

    const delivery = await deliveryOf(ep.id, eventId, (d) => d.status === 'succeeded');
    expect(delivery).toMatchObject({
      eventId,
      endpointId: ep.id,
      eventType: 'guest.checked_in',
      attemptCount: 2,
      nextAttemptAt: null,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(delivery.id).toMatch(/^dlv_[0-9A-Z]{26}$/);
    const [first, second] = delivery.attempts;
    expect(delivery.attempts).toHaveLength(2);
    expect(first).toMatchObject({ statusCode: 500, error: 'http_500', durationMs: expect.any(Number) });
    expect(first.responseBody).toBe(big.slice(0, 4096));
    expect(second).toEqual({
      at: expect.any(String),
      statusCode: 200,
      error: null,
      durationMs: expect.any(Number),
      responseBody: 'ok',
    });
    expect(first.durationMs).toBeGreaterThanOrEqual(195);
    expect(first.durationMs).toBeLessThan(3_000);
    expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(800);
    expect(delivery.deliveredAt).toBe(second.at);

    // One push per attempt, each a Delivery without attempts (nor their count); the last matches the REST view.
    const pushes = await waitFor(() => {
      const mine = staffRecorder.all<Record<string, unknown>>('delivery').filter((d) => d.id === delivery.id);
      return mine.length >= 2 && mine;
    });
    expect(pushes).toHaveLength(2);
    expect(pushes[0]).toMatchObject({ status: 'pending', attemptCount: 1, lastStatusCode: 500, lastError: 'http_500' });
    expect(pushes[0].nextAttemptAt).toEqual(expect.any(String));
    // The REST view also carries its attempts and their total; a push carries neither.
    const withoutAttempts = Object.fromEntries(Object.entries(delivery).filter(([field]) => DELIVERY_FIELDS.includes(field)));
    expect(pushes[1]).toEqual(withoutAttempts);
    for (const push of pushes) expect(Object.keys(push).sort()).toEqual([...DELIVERY_FIELDS].sort());

    // A succeeded delivery can be sent again by hand, under the same webhook-id.
    const retried = await app.http.post<Schemas['DeliveryResponse']>(`/api/webhooks/deliveries/${delivery.id}/retry`, undefined, {
      token: key,
    });
    expect(retried.status).toBe(202);
    const third = (await r1.waitForCount(3, (r) => r.id === eventId))[2];
    expect(third.verified).toBe(true);
    expect(await deliveryOf(ep.id, eventId, (d) => d.attemptCount === 3)).toMatchObject({ status: 'succeeded' });
    const unknown = await app.http.post<ErrorBody>('/api/webhooks/deliveries/dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV/retry', undefined, {
      token: key,
    });
    expect(unknown.status).toBe(404);
  });

  it('keeps at most 4 KiB of a response body as text, multi-byte or not UTF-8 at all', async () => {
    const euros = '\u20ac'.repeat(2_000); // 3 bytes each: 6,000 bytes
    r1.respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(euros);
    };
    r2.respond = (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(5_000, 0xff));
    };
    const multiByte = await addEndpoint(r1);
    const binary = await addEndpoint(r2);
    const guest = await checkIn(app, { name: 'Euro' });
    const eventId = (await checkedInEvent(guest.id)).id;

    const ok = (await deliveryOf(multiByte.id, eventId, (d) => d.status === 'succeeded')).attempts[0].responseBody!;
    expect(Buffer.byteLength(ok, 'utf8')).toBeLessThanOrEqual(4096);
    // Cut at a character boundary, not with a replacement character.
    expect(ok).toBe(euros.slice(0, Math.floor(4096 / 3)));

    const failed = (await deliveryOf(binary.id, eventId, (d) => d.attemptCount >= 1)).attempts[0];
    expect(failed).toMatchObject({ statusCode: 500, error: 'http_500' });
    expect(Buffer.byteLength(failed.responseBody!, 'utf8')).toBeLessThanOrEqual(4096);
    expect(failed.responseBody!.length).toBeGreaterThan(1_000);
  });

  it('names failures: connection_refused, redirect (not followed) and 410 (disables the endpoint)', async () => {
    r1.respond = (_req, res) => {
      res.writeHead(302, { location: sink.url }).end();
    };
    r2.respond = (_req, res) => {
      res.writeHead(410).end('gone for good');
    };
    const refused = await addEndpoint(`http://127.0.0.1:${refusedPort}/hook`);
    const redirect = await addEndpoint(r1);
    const gone = await addEndpoint(r2);
    const guest = await checkIn(app, { name: 'Failures' });
    const eventId = (await checkedInEvent(guest.id)).id;

    const refusedDelivery = await deliveryOf(refused.id, eventId, (d) => d.attemptCount >= 1);
    expect(refusedDelivery.attempts[0]).toMatchObject({ statusCode: null, error: 'connection_refused', responseBody: null });
    expect(refusedDelivery).toMatchObject({ lastError: 'connection_refused', lastStatusCode: null });

    // The retry redirects too; the redirect target never sees the request.
    const redirected = await deliveryOf(redirect.id, eventId, (d) => d.attemptCount >= 2);
    expect(redirected.attempts.slice(0, 2).map((a) => [a.statusCode, a.error])).toEqual([
      [302, 'redirect'],
      [302, 'redirect'],
    ]);
    expect(sink.received).toHaveLength(0);

    const goneDelivery = await deliveryOf(gone.id, eventId, (d) => d.status === 'failed');
    expect(goneDelivery).toMatchObject({ attemptCount: 1, lastStatusCode: 410, lastError: 'http_410', nextAttemptAt: null });
    expect(goneDelivery.attempts[0]).toMatchObject({ statusCode: 410, error: 'http_410', responseBody: 'gone for good' });
    const goneEndpoint = await endpoint(gone.id);
    expect(goneEndpoint.enabled).toBe(false);
    expect(goneEndpoint.disabledReason).toMatch(/410/);
    // Disabled with nothing scheduled (failed, nextAttemptAt null): no barrier can reach it, the row says it all.
    expect(r2.received.filter((r) => r.id === eventId)).toHaveLength(1);
  });

  it('waits at least Retry-After on 429 and 503', async () => {
    const answer =
      (status: number): Responder =>
      (req, res) => {
        const receiver = status === 429 ? r1 : r2;
        if (receiver.received.filter((r) => r.id === req.id).length === 1) res.writeHead(status, { 'retry-after': '2' }).end();
        else res.writeHead(204).end();
      };
    r1.respond = answer(429);
    r2.respond = answer(503);
    const tooMany = await addEndpoint(r1);
    const unavailable = await addEndpoint(r2);
    const guest = await checkIn(app, { name: 'Later please' });
    const eventId = (await checkedInEvent(guest.id)).id;

    const cases = [
      { ep: tooMany, receiver: r1, status: 429 },
      { ep: unavailable, receiver: r2, status: 503 },
    ];
    await Promise.all(
      cases.map(async ({ ep, receiver, status }) => {
        const first = await deliveryOf(ep.id, eventId, (d) => d.attemptCount === 1);
        expect(first).toMatchObject({ status: 'pending', lastStatusCode: status, lastError: `http_${status}` });
        // The schedule says ~1 s; Retry-After says 2 s, and wins.
        const wait = Date.parse(first.nextAttemptAt!) - Date.parse(first.attempts[0].at);
        expect(wait).toBeGreaterThanOrEqual(2_000);
        expect(wait).toBeLessThan(2_500);
        const [one, two] = await receiver.waitForCount(2, (r) => r.id === eventId, 6_000);
        expect(two.receivedAt - one.receivedAt).toBeGreaterThanOrEqual(1_950);
        expect(await deliveryOf(ep.id, eventId, (d) => d.status === 'succeeded')).toMatchObject({ attemptCount: 2 });
      }),
    );
  });

  it('fails a delivery after the schedule runs out, and a manual retry sends it again under the same webhook-id', async () => {
    r1.respond = (_req, res) => {
      res.writeHead(500).end();
    };
    const ep = await addEndpoint(r1);
    const guest = await checkIn(app, { name: 'Exhausted' });
    const eventId = (await checkedInEvent(guest.id)).id;
    const failed = await deliveryOf(ep.id, eventId, (d) => d.status === 'failed', 8_000);
    // First attempt + one per schedule entry (1s,1s).
    expect(failed).toMatchObject({ attemptCount: 3, nextAttemptAt: null, lastError: 'http_500', deliveredAt: null });
    expect(failed.attempts.map((a) => a.error)).toEqual(['http_500', 'http_500', 'http_500']);
    // Beyond the whole schedule: a fourth attempt, were one scheduled, would be due before the barrier.
    clockOf(app).advance(5_000);
    await barrier(ep, r1);
    expect(r1.received.filter((r) => r.id === eventId)).toHaveLength(3);
    expect(await endpoint(ep.id)).toMatchObject({ enabled: true });

    r1.respond = noContent;
    const retried = await app.http.post<Schemas['DeliveryResponse']>(`/api/webhooks/deliveries/${failed.id}/retry`, undefined, {
      token: key,
    });
    expect(retried.status).toBe(202);
    const fourth = (await r1.waitForCount(4, (r) => r.id === eventId))[3];
    expect(fourth.verified).toBe(true);
    expect(await deliveryOf(ep.id, eventId, (d) => d.status === 'succeeded')).toMatchObject({
      attemptCount: 4,
      lastStatusCode: 204,
      lastError: null,
    });
  });

  it('sends webhook.test to that endpoint only, whatever its filter, and keeps it out of /api/events', async () => {
    const ep = await addEndpoint(r1, ['guest.seated']);
    const result = await app.http.post<TestSent>(`/api/webhooks/endpoints/${ep.id}/test`, undefined, { token: key });
    expect(result.status).toBe(202);
    expect(result.body).toEqual({ eventId: expect.stringMatching(/^evt_[0-9A-Z]{26}$/) });
    const { eventId } = result.body;
    const got = await r1.waitFor((r) => r.id === eventId);
    expect(got.verified).toBe(true);
    expect(got.verifiedBySvix).toBe(true);
    expect(got.payload).toEqual({
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: { endpointId: ep.id, message: expect.any(String) },
    });
    expect(new Date(got.payload.timestamp).toISOString()).toBe(got.payload.timestamp);
    expect(await deliveryOf(ep.id, eventId, (d) => d.status === 'succeeded')).toMatchObject({ eventType: 'webhook.test' });
    const events = await feed();
    expect(events.find((e) => e.id === eventId || e.type === 'webhook.test')).toBeUndefined();
    // A check-in recorded after the test event reaches the wire endpoint; a copy of the test would have come first.
    const later = await checkIn(app, { name: 'After the test event' });
    await wire.waitFor(forGuest(later.id));
    expect(wire.received.find((r) => r.id === eventId)).toBeUndefined();
    const other = await app.http.post<ErrorBody>('/api/webhooks/endpoints/ep_01ARZ3NDEKTSV4RRFFQ69G5FAV/test', undefined, {
      token: key,
    });
    expect(other.status).toBe(404);
  });

  it('signs with the old and the new secret during the rotation grace, then with the new one only', async () => {
    const ep = await addEndpoint(r1);
    const oldSecret = ep.secret;
    const rotated = await app.http.post<Schemas['SecretResponse']>(`/api/webhooks/endpoints/${ep.id}/rotate-secret`, undefined, {
      token: key,
    });
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret!;
    expect(newSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newSecret).not.toBe(oldSecret);
    expect(
      (await app.http.get<Schemas['SecretResponse']>(`/api/webhooks/endpoints/${ep.id}/secret`, { token: key })).body,
    ).toEqual({ secret: newSecret });

    const during = await checkIn(app, { name: 'Grace' });
    const graced = await r1.waitFor(forGuest(during.id));
    expect(graced.signature.split(' ')).toHaveLength(2);
    expect(graced.signature.split(' ').every((s) => /^v1,[A-Za-z0-9+/]{43}=$/.test(s))).toBe(true);
    expect(verifiesWith(oldSecret, graced)).toEqual({ standard: true, svix: true });
    expect(verifiesWith(newSecret, graced)).toEqual({ standard: true, svix: true });

    // WEBHOOK_SECRET_GRACE is 2 s on the app's clock.
    clockOf(app).advance(2_500);
    const after = await checkIn(app, { name: 'After grace' });
    const single = await r1.waitFor(forGuest(after.id));
    expect(single.signature.split(' ')).toHaveLength(1);
    expect(verifiesWith(newSecret, single)).toEqual({ standard: true, svix: true });
    expect(verifiesWith(oldSecret, single)).toEqual({ standard: false, svix: false });
  });
});
