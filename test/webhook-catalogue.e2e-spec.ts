import { expect } from '@jest/globals';
import Ajv, { type ValidateFunction } from 'ajv';
import { checkIn, createKey, freeTable, removeDir, startApp, TestApp } from './support/app';
import { Receiver } from './support/receiver';
import type { Schemas, TestSent } from './support/api-types';

/** The contract's Events table, plus the test event only endpoints receive. */
const CONTRACT_TYPES = [
  'guest.checked_in',
  'guest.updated',
  'guest.seated',
  'guest.left',
  'guest.notified',
  'guest.confirmed',
  'guest.erased',
  'table.status_changed',
  'offer.created',
  'payment.received',
  'webhook.test',
  'endpoint.disabled',
  'delivery.exhausted',
];
/** Operational types: never in the feed (test/webhook-operational.e2e-spec.ts sends real ones). */
const OPERATIONAL_TYPES = ['endpoint.disabled', 'delivery.exhausted'];
/**
 * No payment gateway can be driven from here yet, so no real `payment.received` exists to check;
 * operational events never reach the feed this suite reads.
 */
const NOT_PRODUCIBLE = ['payment.received', ...OPERATIONAL_TYPES];

interface CatalogueEntry {
  type: string;
  description: string;
  operational: boolean;
  schema: Record<string, unknown>;
}

/** An event's data as JSON: the fields the mutations below reach for, each of which an event type may lack. */
interface EventData {
  guest?: Record<string, unknown>;
  table?: Record<string, unknown> | null;
  offer?: Record<string, unknown>;
  changes?: Record<string, Record<string, unknown>>;
  [field: string]: unknown;
}

interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: EventData;
}

type Schema = Record<string, unknown>;

/**
 * The same schema with `additionalProperties: false` wherever it lists properties, so a payload
 * field the catalogue does not document fails too (the schema may stay open to additions, but
 * what we send today must be described).
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const result: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    result[key] = key === 'enum' || key === 'required' ? value : closed(value);
  }
  if (result.properties && result.additionalProperties === undefined) result.additionalProperties = false;
  return result;
}

function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('; ');
}

describe('webhook event catalogue', () => {
  let app: TestApp;
  const receiver = new Receiver();
  let catalogue: CatalogueEntry[];
  const validators = new Map<string, ValidateFunction>();
  const strictValidators = new Map<string, ValidateFunction>();
  let endpointId: string;
  // Filled by the first test; unset when it failed, which `realData` reports.
  let feed: FeedEvent[] | undefined;
  let testEventId: string;
  let privateGuestId: string;

  function validate(type: string, data: unknown, strict = false): string | null {
    const check = (strict ? strictValidators : validators).get(type);
    if (!check) throw new Error(`no schema for ${type}`);
    return check(data) ? null : errorsOf(check);
  }

  beforeAll(async () => {
    await receiver.start();
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: receiver.hostPort, WEBHOOK_RETRY_SCHEDULE: '1h' });
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    await app?.close();
    await receiver.stop();
    if (app) removeDir(app.dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  it('is public and lists every contract event type with a description and a JSON Schema', async () => {
    const result = await app.http.get<CatalogueEntry[]>('/api/webhooks/event-types');
    expect(result.status).toBe(200);
    catalogue = result.body;
    expect(catalogue.map((entry) => entry.type).sort()).toEqual([...CONTRACT_TYPES].sort());
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const entry of catalogue) {
      expect(Object.keys(entry).sort()).toEqual(['description', 'operational', 'schema', 'type']);
      expect(entry.operational).toBe(OPERATIONAL_TYPES.includes(entry.type));
      expect(typeof entry.description).toBe('string');
      expect(entry.description.trim().length).toBeGreaterThan(10);
      expect(entry.schema).toMatchObject({ type: 'object', properties: expect.any(Object), required: expect.any(Array) });
      // Self-contained: an integrator can use it without our OpenAPI document.
      expect(JSON.stringify(entry.schema)).not.toContain('#/components/');
      validators.set(entry.type, ajv.compile(entry.schema));
      strictValidators.set(entry.type, ajv.compile(closed(entry.schema) as Schema));
    }
    // Still public with credentials that mean nothing here.
    expect((await app.http.get('/api/webhooks/event-types', { token: 'garbage-key-garbage-key' })).status).toBe(200);
  });

  it('produces real events of every type whose data match the catalogue, in the feed and at a receiver', async () => {
    expect(validators.size).toBe(CONTRACT_TYPES.length);
    const endpointsKey = await createKey(app, ['endpoints']);
    const offersKey = await createKey(app, ['offers']);
    const staffKey = await createKey(app, ['staff']);
    const created = await app.http.post<Schemas['CreatedEndpointResponse']>(
      '/api/webhooks/endpoints',
      { url: receiver.url },
      { token: endpointsKey },
    );
    expect(created.status).toBe(201);
    endpointId = created.body.id;
    receiver.secrets = [created.body.secret!];

    const staff = { token: staffKey };
    // One guest with marketing consent and contact details, one without consent.
    const open = await checkIn(app, {
      name: 'Olga',
      partySize: 2,
      email: 'olga@example.com',
      marketingOptIn: true,
      notes: 'window',
    });
    const reserved = await checkIn(app, { name: 'Pavel', partySize: 3, email: 'pavel@example.com' });
    privateGuestId = reserved.id;
    const ok = (status: number) => expect([200, 201]).toContain(status);

    // guest.updated, with `changes` of every value kind (string, number, boolean, null → value).
    ok(
      (
        await app.http.patch(
          `/api/guests/${open.id}`,
          { name: 'Olga K', partySize: 4, phone: '+4915112345678' },
          { guestToken: open.token },
        )
      ).status,
    );
    ok((await app.http.patch(`/api/guests/${open.id}`, { marketingOptIn: false }, staff)).status);
    ok((await app.http.patch(`/api/guests/${open.id}`, { marketingOptIn: true }, staff)).status);
    ok((await app.http.patch(`/api/guests/${reserved.id}`, { email: 'p@example.org', partySize: 2 }, staff)).status);
    // guest.seated + table.status_changed, then guest.left (finished) + table.status_changed (cleaning).
    const table = await freeTable(app, 4);
    ok((await app.http.post(`/api/guests/${open.id}/seat`, { tableId: table.id }, staff)).status);
    ok(
      (
        await app.http.post(
          `/api/guests/${open.id}/offers`,
          { title: 'Dessert on us', description: 'Any one' },
          { token: offersKey },
        )
      ).status,
    );
    ok((await app.http.post(`/api/guests/${reserved.id}/offers`, { title: 'Free drink' }, { token: offersKey })).status);
    ok((await app.http.post(`/api/guests/${open.id}/leave`, {}, staff)).status);
    // table.status_changed from a staff PATCH, and a waiting guest's guest.left (cancelled).
    ok((await app.http.patch(`/api/tables/${table.id}`, { status: 'free' }, staff)).status);
    // guest.notified with a held table and without one, and guest.confirmed.
    const paged = await checkIn(app, { name: 'Rita', partySize: 2, phone: '+4915112345679', marketingOptIn: true });
    ok((await app.http.post(`/api/guests/${paged.id}/notify`, { tableId: table.id, message: 'Table by the bar' }, staff)).status);
    ok((await app.http.post(`/api/guests/${paged.id}/confirm`, {}, { guestToken: paged.token })).status);
    ok((await app.http.post(`/api/guests/${reserved.id}/notify`, {}, staff)).status);
    ok((await app.http.post(`/api/guests/${paged.id}/leave`, {}, staff)).status);
    ok((await app.http.patch(`/api/tables/${table.id}`, { status: 'reserved' }, staff)).status);
    ok((await app.http.post(`/api/guests/${reserved.id}/leave`, { reason: 'no_show' }, staff)).status);
    // guest.erased (and every earlier event of that guest rewritten, still valid against its schema).
    const erased = await checkIn(app, { name: 'Gone Soon', partySize: 2 });
    ok((await app.http.delete(`/api/guests/${erased.id}`, { token: app.adminKey })).status);
    const test = await app.http.post<TestSent>(`/api/webhooks/endpoints/${endpointId}/test`, undefined, { token: endpointsKey });
    expect(test.status).toBe(202);
    testEventId = test.body.eventId;

    const events = await app.http.get<{ data: FeedEvent[] }>('/api/events?limit=500', staff);
    expect(events.status).toBe(200);
    feed = events.body.data;
    const produced = new Set(feed.map((event) => event.type));
    expect([...produced].sort()).toEqual(
      CONTRACT_TYPES.filter((type) => !NOT_PRODUCIBLE.includes(type) && type !== 'webhook.test').sort(),
    );
    expect(feed.some((event) => event.id === testEventId)).toBe(false);

    const failures: string[] = [];
    for (const event of feed) {
      const problem = validate(event.type, event.data) ?? validate(event.type, event.data, true);
      if (problem) failures.push(`feed ${event.type} ${event.id}: ${problem}`);
    }

    // Every feed event plus the test event arrive, signed, with the very same data.
    const received = await receiver.waitForCount(feed.length + 1, () => true, 10_000);
    const byId = new Map(received.map((request) => [request.id, request]));
    expect(byId.size).toBe(feed.length + 1);
    for (const request of received) {
      expect(request.verified).toBe(true);
      const { type, data } = request.payload;
      const problem = validate(type, data) ?? validate(type, data, true);
      if (problem) failures.push(`received ${type} ${request.id}: ${problem}`);
    }
    for (const event of feed) {
      // The erased guest's check-in was sent before the erasure rewrote it in the feed.
      if (event.type === 'guest.checked_in' && event.data.guest?.name === '') continue;
      expect(byId.get(event.id)?.payload).toEqual({ type: event.type, timestamp: event.timestamp, data: event.data });
    }
    expect(byId.get(testEventId)?.payload).toMatchObject({ type: 'webhook.test', data: { endpointId } });
    expect(failures).toEqual([]);

    // The privacy rule holds in what the schemas describe: no token anywhere, no contact details without consent.
    for (const request of received) {
      expect(request.body).not.toContain(open.token);
      expect(request.body).not.toContain(reserved.token);
      expect(request.body).not.toContain('pavel@example.com');
      expect(request.body).not.toContain('p@example.org');
    }
    const update = feed.find((event) => event.type === 'guest.updated' && event.data.guest!.id === reserved.id);
    expect(update?.data.changes).toEqual({ email: { from: null, to: null }, partySize: { from: 3, to: 2 } });
  });

  describe('the schemas can fail', () => {
    const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
    const realData = (type: string, predicate: (event: FeedEvent) => boolean = () => true) => {
      const event = feed?.find((candidate) => candidate.type === type && predicate(candidate));
      if (!event) throw new Error(`no real ${type} event to mutate`);
      expect(validate(type, event.data)).toBeNull();
      return clone(event.data);
    };

    it.each<[string, string, (data: EventData) => void]>([
      ['guest.checked_in', 'partySize as a string', (data) => (data.guest!.partySize = String(data.guest!.partySize))],
      ['guest.checked_in', 'a missing guest.id', (data) => delete data.guest!.id],
      ['guest.checked_in', 'a missing guest', (data) => delete data.guest],
      ['guest.checked_in', 'an unknown status', (data) => (data.guest!.status = 'dancing')],
      ['guest.checked_in', 'marketingOptIn as a string', (data) => (data.guest!.marketingOptIn = 'true')],
      ['guest.checked_in', 'email as a number', (data) => (data.guest!.email = 42)],
      ['guest.updated', 'a change without `to`', (data) => delete data.changes![Object.keys(data.changes!)[0]].to],
      ['guest.updated', 'a change to an object', (data) => (data.changes![Object.keys(data.changes!)[0]].to = { x: 1 })],
      ['guest.updated', 'changes missing', (data) => delete data.changes],
      ['guest.seated', 'a missing table', (data) => delete data.table],
      ['guest.seated', 'capacity as a string', (data) => (data.table!.capacity = '4')],
      ['guest.left', 'an unknown reason', (data) => (data.reason = 'abducted')],
      ['table.status_changed', 'an unknown previousStatus', (data) => (data.previousStatus = 'on_fire')],
      ['table.status_changed', 'a null table', (data) => (data.table = null)],
      ['offer.created', 'a missing offer.title', (data) => delete data.offer!.title],
      ['offer.created', 'description as a number', (data) => (data.offer!.description = 7)],
    ])('rejects %s data with %s', (type, _label, mutate) => {
      const data = realData(type);
      mutate(data);
      expect(validate(type, data)).not.toBeNull();
    });

    it('rejects a mutated webhook.test payload, and an undocumented field under the closed schema', () => {
      expect(validate('webhook.test', { endpointId, message: 'hi' })).toBeNull();
      expect(validate('webhook.test', { endpointId })).not.toBeNull();
      expect(validate('webhook.test', { endpointId: 1, message: 'hi' })).not.toBeNull();
      const data = realData('guest.checked_in', (event) => event.data.guest!.id !== privateGuestId);
      data.guest!.token = 'leaked';
      expect(validate('guest.checked_in', data)).toBeNull();
      expect(validate('guest.checked_in', data, true)).not.toBeNull();
    });
  });
});
