import { expect } from '@jest/globals';
import { DataSource } from 'typeorm';
import { checkIn, createKey, removeDir, startApp, TestApp } from './support/app';
import type { ErrorBody, Schemas } from './support/api-types';
import type { HttpResult } from './support/http';
import { Receiver } from './support/receiver';
import { waitFor } from './support/wait';

const ENDPOINTS = '/api/webhooks/endpoints';

function fieldsOf(result: HttpResult): string[] {
  return ((result.body as ErrorBody | undefined)?.details ?? []).map((detail) => detail.field);
}

interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
}

describe('replay (POST /api/webhooks/endpoints/:id/replay)', () => {
  let app: TestApp;
  const receiver = new Receiver();
  let key: string;
  let otherKey: string;
  let staffKey: string;
  let endpoint: Schemas['CreatedEndpointResponse'];
  let feed: FeedEvent[];
  const start = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    await receiver.start();
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: receiver.hostPort, SEED_DEMO: 'false' });
    key = await createKey(app, ['endpoints'], 'replayer');
    otherKey = await createKey(app, ['endpoints'], 'someone else');
    staffKey = await createKey(app, ['staff'], 'front desk');
    endpoint = (
      await app.http.post<Schemas['CreatedEndpointResponse']>(
        ENDPOINTS,
        { url: receiver.url, eventTypes: ['guest.checked_in', 'guest.left', 'delivery.exhausted'] },
        { token: key },
      )
    ).body;
    receiver.secrets = [endpoint.secret!];
    const guests = [];
    for (const name of ['Ann', 'Ben', 'Cy']) guests.push(await checkIn(app, { name }));
    // Outside the endpoint's filter: in the feed, never replayed to it.
    await app.http.patch(`/api/guests/${guests[0].id}`, { partySize: 3 }, { token: staffKey });
    await app.http.post(`/api/guests/${guests[1].id}/leave`, {}, { token: staffKey });
    feed = (await app.http.get<{ data: FeedEvent[] }>('/api/events?limit=500', { token: staffKey })).body.data;
    expect(feed.map((event) => event.type)).toEqual([
      'guest.checked_in',
      'guest.checked_in',
      'guest.checked_in',
      'guest.updated',
      'guest.left',
    ]);
    await receiver.waitForCount(4);
  });

  afterAll(async () => {
    const started = app as TestApp | undefined;
    await started?.close();
    await receiver.stop();
    if (started) removeDir(started.dir);
  });

  const replay = (body: unknown, token = key, id = endpoint.id) =>
    app.http.post<Schemas['ReplayedResponse'] & ErrorBody>(`${ENDPOINTS}/${id}/replay`, body, { token });

  /** How many requests with this webhook-id the receiver got. */
  const receivedOf = (id: string) => receiver.received.filter((r) => r.id === id).length;

  it('sends every matching event again as a new delivery with its original webhook-id', async () => {
    const matching = feed.filter((event) => event.type !== 'guest.updated');
    // The first deliveries carried the events' ids as webhook-id.
    expect(matching.map((event) => receivedOf(event.id))).toEqual([1, 1, 1, 1]);
    const result = await replay({ since: start });
    expect(result.status).toBe(202);
    expect(result.body).toEqual({ count: 4 });
    await waitFor(() => matching.every((event) => receivedOf(event.id) === 2), { label: 'every matching event twice' });
    const again = receiver.received.slice(4);
    expect(again.every((r) => r.verified)).toBe(true);
    expect(again.map((r) => r.id).sort()).toEqual(matching.map((event) => event.id).sort());
    // Byte for byte the first delivery's body, and never the event outside the filter.
    for (const event of matching) {
      const [first, second] = receiver.received.filter((r) => r.id === event.id);
      expect(second.body).toBe(first.body);
    }
    expect(receivedOf(feed[3].id)).toBe(0);
    const deliveries = (
      await app.http.get<Schemas['DeliveryWithAttemptsResponse'][]>(`${ENDPOINTS}/${endpoint.id}/deliveries`, { token: key })
    ).body;
    expect(deliveries).toHaveLength(8);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(8);
  });

  it('narrows to eventTypes and to [since, until], both ends included', async () => {
    const before = receiver.received.length;
    const left = await replay({ since: start, eventTypes: ['guest.left'] });
    expect(left.body).toEqual({ count: 1 });
    const [, second, third] = feed;
    const window = await replay({ since: second.timestamp, until: third.timestamp });
    expect(window.status).toBe(202);
    expect(window.body.count).toBe(2);
    await receiver.waitForCount(before + 3, () => true);
    expect(
      receiver.received
        .slice(before)
        .map((r) => r.id)
        .sort(),
    ).toEqual([feed[4].id, second.id, third.id].sort());
    // Types outside the endpoint's filter replay nothing.
    expect((await replay({ since: start, eventTypes: ['guest.updated'] })).body).toEqual({ count: 0 });
    expect(
      (await replay({ since: new Date(Date.now() + 1000).toISOString(), until: new Date(Date.now() + 5000).toISOString() })).body,
    ).toEqual({ count: 0 });
  });

  it('refuses bad input with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'since'],
      [{ since: 'yesterday' }, 'since'],
      [{ since: '2026-12-02 17:00:00' }, 'since'],
      [{ since: start, until: 'now' }, 'until'],
      [{ since: start, until: start }, 'until'],
      [{ since: start, until: '2000-01-01T00:00:00Z' }, 'until'],
      [{ since: start, eventTypes: ['guest.teleported'] }, 'eventTypes'],
      [{ since: start, eventTypes: ['delivery.exhausted'] }, 'eventTypes'],
      [{ since: start, eventTypes: 'guest.left' }, 'eventTypes'],
      [{ since: start, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const result = await replay(body);
      expect([JSON.stringify(body), result.status]).toEqual([JSON.stringify(body), 400]);
      expect(fieldsOf(result)).toContain(field);
    }
  });

  it("is 404 for another key's endpoint and 409 for a disabled one", async () => {
    expect((await replay({ since: start }, otherKey)).status).toBe(404);
    expect((await replay({ since: start }, key, 'ep_nope')).status).toBe(404);
    const other = (await app.http.post<Schemas['CreatedEndpointResponse']>(ENDPOINTS, { url: receiver.url }, { token: key }))
      .body;
    await app.http.patch(`${ENDPOINTS}/${other.id}`, { enabled: false }, { token: key });
    expect((await replay({ since: start }, key, other.id)).status).toBe(409);
    await app.http.delete(`${ENDPOINTS}/${other.id}`, { token: key });
  });

  it('refuses more than 10,000 matching events with 409 saying to split the window, and writes nothing', async () => {
    // 10,001 old events written straight into the table: check-ins at that volume would take minutes.
    const dataSource = app.nest.get(DataSource);
    await dataSource.query(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001)
       INSERT INTO events (id, type, timestamp, data) SELECT 'evt_bulk' || i, 'guest.checked_in', '2020-01-01T00:00:00.000Z', '{}' FROM n`,
    );
    const count = async () =>
      Number((await dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM webhook_deliveries`))[0].n);
    const deliveriesBefore = await count();
    const tooMany = await replay({ since: '2019-12-31T00:00:00Z', until: '2020-01-02T00:00:00Z' });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.message).toMatch(/10000|10,000/);
    expect(tooMany.body.message).toMatch(/split/);
    expect(await count()).toBe(deliveriesBefore);
  });
});
