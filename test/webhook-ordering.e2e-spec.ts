import { expect } from '@jest/globals';
import type { ServerResponse } from 'node:http';
import { ADMIN_KEY, clockOf, ON_POSTGRES, removeDir, startApp, tempDir, testDatabaseUrl, type TestApp } from './support/app';
import type { ErrorBody, Schemas } from './support/api-types';
import { Http } from './support/http';
import { type Instance, killAllInstances, launchInstance } from './support/instances';
import { Receiver, type ReceivedWebhook } from './support/receiver';
import { waitFor } from './support/wait';

/**
 * `ordering: "per_guest"` (issue 15): the events about one guest (a guestless table's, about that
 * table) reach an endpoint strictly in feed order, the next never attempted before the previous one
 * succeeded or ended failed, while other guests' events flow alongside. Checked at real receivers
 * verifying with `standardwebhooks`, under 16 slots per endpoint, with retries and exhaustion, with
 * kill -9 mid-delivery, and (PostgreSQL) with two instances on one database.
 */

jest.setTimeout(120_000);

const ENDPOINTS = '/api/webhooks/endpoints';

interface FeedEvent {
  id: string;
  type: string;
  data: unknown;
}

/** The contract's key, written out again here so the test does not read it from the code under test. */
function keyOf(data: unknown): string | null {
  const d = data as { guest?: { id?: string }; guestId?: string; table?: { id?: string; guestId?: string | null } };
  return d.guest?.id ?? d.guestId ?? d.table?.guestId ?? d.table?.id ?? null;
}

async function feed(http: Http): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const query = new URLSearchParams({ limit: '500' });
    if (after) query.set('after', after);
    const page = await http.get<{ data: FeedEvent[]; next: string | null }>(`/api/events?${query.toString()}`, {
      token: ADMIN_KEY,
    });
    if (page.status !== 200) throw new Error(`feed: ${page.status} ${page.text}`);
    events.push(...page.body.data);
    if (page.body.data.length === 0 || !page.body.next) return events;
    after = page.body.next;
  }
}

/** Per key, the feed's event ids in feed order. */
function chains(events: FeedEvent[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const event of events) {
    const key = keyOf(event.data);
    if (key === null) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), event.id]);
  }
  return byKey;
}

/**
 * Per key, the receipts in arrival order with repeats of one event next to each other merged (an
 * attempt retried, or re-sent after a crash): they must be the key's feed order exactly, which also
 * says that every attempt at an event came after every attempt at the one before it.
 */
function expectFeedOrderPerKey(received: ReceivedWebhook[], events: FeedEvent[]): void {
  expect(received.every((r) => r.verified)).toBe(true);
  const got = new Map<string, string[]>();
  for (const r of received) {
    const key = keyOf(r.payload.data);
    if (key === null) continue;
    const ids = got.get(key) ?? [];
    if (ids[ids.length - 1] !== r.id) ids.push(r.id);
    got.set(key, ids);
  }
  expect(Object.fromEntries(got)).toEqual(Object.fromEntries(chains(events)));
}

/** Some guest's receipts have another guest's in between: the keys flowed alongside, not one after another. */
function interleaved(received: ReceivedWebhook[]): boolean {
  const last = new Map<string, number>();
  return received.some((r, i) => {
    const key = keyOf(r.payload.data);
    if (key === null) return false;
    const previous = last.get(key);
    last.set(key, i);
    return previous !== undefined && previous < i - 1;
  });
}

/** Runs `count` jobs with at most `concurrency` at a time. */
async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

async function ok<T>(result: Promise<{ status: number; text: string; body: T }>, expected: number, what: string): Promise<T> {
  const r = await result;
  if (r.status !== expected) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
}

/**
 * One guest's life through `via(step)`: check-in, two PATCHes, seat at `tableId` (if given), leave.
 * Steps `from` to `to` (exclusive) only, so a test can stop half-way and go on elsewhere.
 */
async function guestLife(
  via: (step: number) => Http,
  name: string,
  state: { id?: string },
  tableId: string | null,
  from = 0,
  to = 5,
): Promise<void> {
  for (let step = from; step < to; step++) {
    const http = via(step);
    if (step === 0) {
      state.id = (await ok(http.post<{ id: string }>('/api/guests', { name, partySize: 2 }), 201, 'check-in')).id;
    } else if (step === 1 || step === 2) {
      await ok(http.patch(`/api/guests/${state.id}`, { partySize: 2 + step }, { token: ADMIN_KEY }), 200, 'patch');
    } else if (step === 3) {
      if (tableId) await ok(http.post(`/api/guests/${state.id}/seat`, { tableId }, { token: ADMIN_KEY }), 200, 'seat');
    } else {
      await ok(http.post(`/api/guests/${state.id}/leave`, {}, { token: ADMIN_KEY }), 200, 'leave');
    }
  }
}

async function addTables(http: Http, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      (
        await ok(
          http.post<{ id: string }>('/api/tables', { label: `${prefix}${i}`, capacity: 6 }, { token: ADMIN_KEY }),
          201,
          'table',
        )
      ).id,
    );
  }
  return ids;
}

/** Answers 204 after a few random milliseconds, counting how many requests it holds at once. */
function jittery(receiver: Receiver, maxDelayMs = 15): { peak: () => number } {
  let open = 0;
  let peak = 0;
  receiver.respond = async (_request, res: ServerResponse) => {
    open += 1;
    peak = Math.max(peak, open);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * maxDelayMs));
    open -= 1;
    if (!res.destroyed) res.writeHead(204).end();
  };
  return { peak: () => peak };
}

describe('per_guest ordering (one instance)', () => {
  let app: TestApp;
  const ordered = new Receiver();
  const unordered = new Receiver();
  let key: string;

  beforeAll(async () => {
    await Promise.all([ordered.start(), unordered.start()]);
    app = await startApp({
      WEBHOOK_ALLOWED_HOSTS: `${ordered.hostPort},${unordered.hostPort}`,
      WEBHOOK_ENDPOINT_CONCURRENCY: '16',
      WEBHOOK_RETRY_SCHEDULE: '1m,1m',
    });
    key = await ok(
      app.http.post<{ key: string }>('/api/keys', { name: 'orderly', scopes: ['endpoints'] }, { token: ADMIN_KEY }),
      201,
      'key',
    ).then((body) => body.key);
  });

  afterAll(async () => {
    const started = app as TestApp | undefined;
    await started?.close();
    await Promise.all([ordered.stop(), unordered.stop()]);
    if (started) removeDir(started.dir);
  });

  const create = (body: Record<string, unknown>) =>
    app.http.post<Schemas['CreatedEndpointResponse'] & ErrorBody>(ENDPOINTS, body, { token: key });

  it('accepts ordering at creation and by PATCH, shows it, and names the field when it is wrong', async () => {
    const bad = await create({ url: ordered.url, ordering: 'per_table' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.field)).toContain('ordering');
    const plain = await create({ url: unordered.url, eventTypes: ['guest.checked_in'] });
    expect(plain.status).toBe(201);
    expect(plain.body.ordering).toBe('none');
    const patched = await app.http.patch<Schemas['EndpointResponse']>(
      `${ENDPOINTS}/${plain.body.id}`,
      { ordering: 'per_guest' },
      { token: key },
    );
    expect(patched.body.ordering).toBe('per_guest');
    const badPatch = await app.http.patch<ErrorBody>(`${ENDPOINTS}/${plain.body.id}`, { ordering: 1 }, { token: key });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.details.map((d) => d.field)).toContain('ordering');
    expect((await app.http.get<Schemas['EndpointResponse']>(`${ENDPOINTS}/${plain.body.id}`, { token: key })).body.ordering).toBe(
      'per_guest',
    );
    expect((await app.http.delete(`${ENDPOINTS}/${plain.body.id}`, { token: key })).status).toBe(204);
  });

  it("keeps each guest's events in feed order under 16 slots while the guests interleave; ordering none is unchanged", async () => {
    const perGuest = await create({ url: ordered.url, ordering: 'per_guest' });
    expect(perGuest.body.ordering).toBe('per_guest');
    ordered.secrets = [perGuest.body.secret!];
    const none = await create({ url: unordered.url });
    unordered.secrets = [none.body.secret!];
    const concurrency = jittery(ordered);
    jittery(unordered);
    const before = (await feed(app.http)).length;
    const GUESTS = 40;
    const tableIds = await addTables(app.http, 20, 'O');
    await pool(GUESTS, 12, (i) => guestLife(() => app.http, `Guest ${i}`, {}, tableIds[i] ?? null));
    const events = (await feed(app.http)).slice(before);
    expect(events.length).toBeGreaterThanOrEqual(GUESTS * 4);
    const wanted = new Set(events.map((event) => event.id));
    const done = (receiver: Receiver) =>
      new Set(receiver.received.filter((r) => wanted.has(r.id)).map((r) => r.id)).size === wanted.size;
    await waitFor(() => done(ordered) && done(unordered), { timeoutMs: 60_000, label: 'every event at both receivers' });
    const got = ordered.received.filter((r) => wanted.has(r.id));
    expectFeedOrderPerKey(got, events);
    expect(interleaved(got)).toBe(true);
    // Other guests' events were in flight together, up to the endpoint's slots.
    expect(concurrency.peak()).toBeGreaterThan(1);
    expect(concurrency.peak()).toBeLessThanOrEqual(16);
    // ordering none: each event exactly once, no constraint asked.
    const plain = unordered.received.filter((r) => wanted.has(r.id));
    expect(plain).toHaveLength(wanted.size);
    expect(plain.every((r) => r.verified)).toBe(true);
    for (const id of [perGuest.body.id, none.body.id]) await app.http.delete(`${ENDPOINTS}/${id}`, { token: key });
  });

  it("holds back only the failing guest's later events across retries; exhaustion releases the next", async () => {
    const endpoint = await create({ url: ordered.url, ordering: 'per_guest' });
    ordered.secrets = [endpoint.body.secret!];
    ordered.received.length = 0;
    /** Attempts refused per guest name's check-in: Ann's first two, every one of Cy's. */
    const refuse = new Map<string, number>([
      ['Ann', 2],
      ['Cy', Infinity],
    ]);
    const failures = new Map<string, number>();
    ordered.respond = (request, res) => {
      const name = request.payload.type === 'guest.checked_in' ? request.payload.data.guest.name : '';
      if ((refuse.get(name) ?? 0) > (failures.get(name) ?? 0)) {
        failures.set(name, (failures.get(name) ?? 0) + 1);
        res.writeHead(500).end('not now');
        return;
      }
      res.writeHead(204).end();
    };
    const before = (await feed(app.http)).length;
    const checkIn = async (name: string) =>
      (await ok(app.http.post<{ id: string }>('/api/guests', { name, partySize: 2 }), 201, 'check-in')).id;
    const patch = (id: string, partySize: number) =>
      ok(app.http.patch(`/api/guests/${id}`, { partySize }, { token: ADMIN_KEY }), 200, 'patch');
    const ann = await checkIn('Ann');
    const cy = await checkIn('Cy');
    const ben = await checkIn('Ben');
    await patch(ann, 3);
    await patch(ann, 4);
    await patch(cy, 3);
    await patch(ben, 3);
    await patch(ben, 4);
    const events = (await feed(app.http)).slice(before);
    const ofGuest = (id: string) => events.filter((event) => keyOf(event.data) === id).map((event) => event.id);
    const [annCheckIn, cyCheckIn] = [ofGuest(ann)[0], ofGuest(cy)[0]];
    const receivedIds = () => new Set(ordered.received.map((r) => r.id));
    // Ben flows while Ann's and Cy's heads wait for their retries; their later events are never tried.
    await waitFor(
      () => ofGuest(ben).every((id) => receivedIds().has(id)) && failures.get('Ann') === 1 && failures.get('Cy') === 1,
      { label: "Ben's events, and one refused attempt each at Ann's and Cy's heads" },
    );
    const annLater = ofGuest(ann).slice(1);
    const cyLater = ofGuest(cy).slice(1);
    expect(annLater.some((id) => receivedIds().has(id))).toBe(false);
    expect(cyLater.some((id) => receivedIds().has(id))).toBe(false);
    // The retries are a minute (±20 %) away: move the clock instead of waiting.
    clockOf(app).advance(75_000);
    await waitFor(() => failures.get('Ann') === 2 && failures.get('Cy') === 2, { label: 'second attempts' });
    expect(annLater.some((id) => receivedIds().has(id))).toBe(false);
    clockOf(app).advance(75_000);
    // Ann's third attempt succeeds; Cy's third fails and exhausts the schedule (1m,1m): failed releases his next.
    await waitFor(() => [...annLater, ...cyLater].every((id) => receivedIds().has(id)), { label: "Ann's and Cy's later events" });
    expectFeedOrderPerKey(ordered.received, events);
    const deliveries = (
      await app.http.get<Schemas['DeliveryResponse'][]>(`${ENDPOINTS}/${endpoint.body.id}/deliveries`, { token: key })
    ).body;
    expect(deliveries.find((d) => d.eventId === cyCheckIn)?.status).toBe('failed');
    expect(deliveries.find((d) => d.eventId === annCheckIn)?.status).toBe('succeeded');
    await app.http.delete(`${ENDPOINTS}/${endpoint.body.id}`, { token: key });
  });
  it('a replay to a per_guest endpoint keys each event as the fan-out did: per guest, feed order', async () => {
    // A few guests with many events each, so that unkeyed, one guest's events would be in flight together.
    const since = clockOf(app).iso();
    const before = (await feed(app.http)).length;
    const ids: string[] = [];
    for (const name of ['Dee', 'Eve', 'Flo']) {
      ids.push((await ok(app.http.post<{ id: string }>('/api/guests', { name, partySize: 2 }), 201, 'check-in')).id);
    }
    for (let size = 3; size <= 8; size++) {
      for (const id of ids)
        await ok(app.http.patch(`/api/guests/${id}`, { partySize: size }, { token: ADMIN_KEY }), 200, 'patch');
    }
    const events = (await feed(app.http)).slice(before);
    expect(events).toHaveLength(21);
    // Created after the events: the replay is the only way they reach it.
    const endpoint = await create({ url: ordered.url, ordering: 'per_guest' });
    ordered.secrets = [endpoint.body.secret!];
    ordered.received.length = 0;
    const concurrency = jittery(ordered, 20);
    const replayed = await app.http.post<{ count: number }>(
      `${ENDPOINTS}/${endpoint.body.id}/replay`,
      { since, until: clockOf(app).iso(60_000) },
      { token: key },
    );
    expect(replayed.status).toBe(202);
    expect(replayed.body.count).toBe(events.length);
    await waitFor(() => ordered.received.length >= events.length, { label: 'every replayed event' });
    expectFeedOrderPerKey(ordered.received, events);
    // At most one per guest at a time.
    expect(concurrency.peak()).toBeLessThanOrEqual(3);
    await app.http.delete(`${ENDPOINTS}/${endpoint.body.id}`, { token: key });
  });
});

/**
 * kill -9 mid-delivery: the head of each chain is held by the receiver when the process dies. On
 * SQLite the same file is started again (its start gives every lease back); on PostgreSQL two
 * instances share the database, requests spread over both, one is killed and the other takes its
 * leases once they expire. Every guest's receipts still follow the feed.
 */
describe(
  ON_POSTGRES ? 'per_guest ordering with two instances and kill -9 (PostgreSQL)' : 'per_guest ordering across kill -9 (SQLite)',
  () => {
    let dir: string;
    const receiver = new Receiver();
    let instances: Instance[] = [];

    beforeAll(async () => {
      dir = tempDir('maitred-ordering-');
      await receiver.start();
    });

    afterAll(async () => {
      await killAllInstances();
      await receiver.stop();
      if (dir) removeDir(dir);
    });

    it('preserves per-guest feed order when an instance dies holding deliveries', async () => {
      const env = {
        DATABASE_URL: await testDatabaseUrl(dir),
        ADMIN_API_KEY: ADMIN_KEY,
        WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
        WEBHOOK_ENDPOINT_CONCURRENCY: '16',
        WEBHOOK_LEASE: '2s',
      };
      instances = [await launchInstance('A', dir, env)];
      if (ON_POSTGRES) instances.push(await launchInstance('B', dir, env));
      const [a] = instances;
      const key = await ok(
        a.http.post<{ key: string }>('/api/keys', { name: 'k', scopes: ['endpoints'] }, { token: ADMIN_KEY }),
        201,
        'key',
      );
      const endpoint = await ok(
        a.http.post<{ id: string; secret: string }>(ENDPOINTS, { url: receiver.url, ordering: 'per_guest' }, { token: key.key }),
        201,
        'endpoint',
      );
      receiver.secrets = [endpoint.secret];
      // Everything is held until the gate opens, after the kill.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let opened = false;
      receiver.respond = async (_request, res) => {
        if (!opened) await gate;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
        if (!res.destroyed) res.writeHead(204).end();
      };
      const before = (await feed(a.http)).length;
      const GUESTS = 24;
      const tableIds = await addTables(a.http, GUESTS, 'K');
      const states: { id?: string }[] = Array.from({ length: GUESTS }, () => ({}));
      // First half of each life, spread over the instances step by step.
      await pool(GUESTS, 8, (i) =>
        guestLife((step) => instances[(i + step) % instances.length].http, `K${i}`, states[i], tableIds[i], 0, 3),
      );
      await waitFor(() => receiver.received.length >= 8, { label: 'deliveries in flight at the receiver' });
      await a.kill();
      const survivors = ON_POSTGRES ? [instances[1]] : [await launchInstance('A again', dir, env)];
      instances = survivors;
      opened = true;
      release();
      await pool(GUESTS, 8, (i) => guestLife(() => survivors[0].http, `K${i}`, states[i], tableIds[i], 3, 5));
      const events = (await feed(survivors[0].http)).slice(before);
      const wanted = new Set(events.map((event) => event.id));
      await waitFor(() => new Set(receiver.received.filter((r) => wanted.has(r.id)).map((r) => r.id)).size === wanted.size, {
        timeoutMs: 60_000,
        label: 'every event after the kill',
      });
      const got = receiver.received.filter((r) => wanted.has(r.id));
      expectFeedOrderPerKey(got, events);
      expect(interleaved(got)).toBe(true);
    });
  },
);
