import { io, Socket } from 'socket.io-client';
import { join } from 'node:path';
import { ADMIN_KEY, checkIn, createKey, DIST_DIR, freeTable, removeDir, startApp, TestApp } from './support/app';
import { connect, Recorder } from './support/sockets';
import { waitFor } from './support/wait';
import type { Schemas } from './support/api-types';

/**
 * Live updates over real Socket.IO clients. Listeners are attached before the socket connects,
 * because the server may push its first payload in the same network read as the connect ack.
 */
function open(
  app: TestApp,
  namespace: string,
  events: string[],
  auth?: Record<string, unknown>,
): Promise<{ socket: Socket; recorder: Recorder }> {
  return new Promise((resolve, reject) => {
    const socket = io(`${app.baseUrl}${namespace}`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    const recorder = new Recorder(socket, events);
    socket.once('connect', () => resolve({ socket, recorder }));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
    socket.connect();
    sockets.push(socket);
  });
}

const sockets: Socket[] = [];

/** The app's /staff gateway, to wait until the server has seen a screen close. */
function staffGatewayOf(app: TestApp): import('../src/realtime/staff.gateway').StaffGateway {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built app's class, as clockOf loads the Clock
  const { StaffGateway } = require(join(DIST_DIR, 'realtime', 'staff.gateway')) as typeof import('../src/realtime/staff.gateway');
  return app.nest.get(StaffGateway);
}

// Pushes are waited for with bounded timeouts (Recorder: 5 s); the test itself may take longer on a busy machine.
jest.setTimeout(30_000);

/** A payload of `event` arriving from now on (not one already seen) that matches the predicate. */
function next<T>(recorder: Recorder, event: string, predicate: (payload: T) => boolean = () => true): Promise<T> {
  const since = recorder.all(event).length;
  return recorder.waitFor<T>(event, (payload) => recorder.all(event).indexOf(payload) >= since && predicate(payload));
}

async function refusal(app: TestApp, namespace: string, auth?: Record<string, unknown>): Promise<string> {
  try {
    const socket = await connect(app.baseUrl, namespace, auth);
    socket.close();
    return 'connected';
  } catch (error) {
    return (error as Error).message;
  }
}

interface Availability {
  total: number;
  free: number;
  waiting: number;
  byCapacity: Record<
    string,
    { total: number; free: number; estimatedWaitMinutes: number; estimatedWaitRange: { low: number; high: number } }
  >;
  tables: { id: string; label: string; capacity: number; status: string }[];
}

interface Guest {
  id: string;
  status: string;
  position: number | null;
  quotedWaitMinutes: number | null;
  tableId: string | null;
  [field: string]: unknown;
}

interface LiveEvent {
  id: string;
  type: string;
  timestamp: string;
  data: { guest?: { id: string }; [field: string]: unknown };
}

const GUEST_KEYS = [
  'id',
  'name',
  'partySize',
  'email',
  'phone',
  'marketingOptIn',
  'notes',
  'status',
  'position',
  'quotedWaitMinutes',
  'tableId',
  'checkedInAt',
  'seatedAt',
  'leftAt',
  'leftReason',
  'paid',
  'quotedWaitAtCheckIn',
  'actualWaitMinutes',
  'quotedWaitRange',
  'notifiedAt',
  'holdUntil',
  'heldTableId',
  'confirmedAt',
  'erasedAt',
].sort();

function expectAvailabilityShape(availability: Availability): void {
  expect(Object.keys(availability).sort()).toEqual(['byCapacity', 'free', 'tables', 'total', 'waiting']);
  expect(availability.total).toBe(availability.tables.length);
  expect(availability.free).toBe(availability.tables.filter((t) => t.status === 'free').length);
  for (const [capacity, entry] of Object.entries(availability.byCapacity)) {
    expect(Object.keys(entry).sort()).toEqual(['estimatedWaitMinutes', 'estimatedWaitRange', 'free', 'total']);
    const ofSize = availability.tables.filter((t) => String(t.capacity) === capacity);
    expect(entry.total).toBe(ofSize.length);
    expect(entry.free).toBe(ofSize.filter((t) => t.status === 'free').length);
    expect(typeof entry.estimatedWaitMinutes).toBe('number');
  }
  for (const table of availability.tables) {
    // The public board never learns who sits where.
    expect(Object.keys(table).sort()).toEqual(['capacity', 'id', 'label', 'status']);
  }
}

function tableIn(availability: Availability, id: string) {
  return availability.tables.find((t) => t.id === id);
}

describe('realtime: /floor, /staff and /guest live updates', () => {
  let app: TestApp;
  let staffKey: string;
  let offersKey: string;

  beforeAll(async () => {
    app = await startApp();
    staffKey = await createKey(app, ['staff']);
    offersKey = await createKey(app, ['offers']);
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  /** Leaves every waiting or seated guest and frees every table, so each test starts from an empty line. */
  async function resetFloor(): Promise<void> {
    const all = await app.http.get<Guest[]>('/api/guests?limit=500', { token: ADMIN_KEY });
    for (const guest of all.body.filter((g) => g.status !== 'left')) {
      expect((await app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: ADMIN_KEY })).status).toBe(200);
    }
    const tables = await app.http.get<{ id: string; status: string }[]>('/api/tables', { token: ADMIN_KEY });
    for (const table of tables.body.filter((t) => t.status === 'cleaning' || t.status === 'reserved')) {
      expect((await app.http.patch(`/api/tables/${table.id}`, { status: 'free' }, { token: ADMIN_KEY })).status).toBe(200);
    }
  }

  describe('/floor', () => {
    beforeEach(resetFloor);

    it('needs no handshake and sends availability on connect', async () => {
      const { recorder } = await open(app, '/floor', ['availability']);
      const first = await recorder.waitFor<Availability>('availability');
      expectAvailabilityShape(first);
      expect(first).toMatchObject({ total: 12, free: 12, waiting: 0 });
      expect(Object.keys(first.byCapacity).sort()).toEqual(['2', '4', '6', '8']);
      expect(first.byCapacity['4']).toMatchObject({ total: 3, free: 3 });
    });

    it('sends availability again after a check-in, a seat, a leave and a table PATCH', async () => {
      const { recorder } = await open(app, '/floor', ['availability']);
      await recorder.waitFor<Availability>('availability', (a) => a.waiting === 0 && a.free === 12);

      const checkedIn = next<Availability>(recorder, 'availability', (a) => a.waiting === 1);
      const guest = await checkIn(app, { name: 'Floor', partySize: 4 });
      const afterCheckIn = await checkedIn;
      expectAvailabilityShape(afterCheckIn);
      expect(afterCheckIn.free).toBe(12);

      const table = await freeTable(app, 4);
      const seated = next<Availability>(recorder, 'availability', (a) => tableIn(a, table.id)?.status === 'occupied');
      expect((await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: table.id }, { token: staffKey })).status).toBe(200);
      const afterSeat = await seated;
      expectAvailabilityShape(afterSeat);
      expect(afterSeat).toMatchObject({ free: 11, waiting: 0 });
      expect(afterSeat.byCapacity[String(table.capacity)].free).toBe(2);

      const left = next<Availability>(recorder, 'availability', (a) => tableIn(a, table.id)?.status === 'cleaning');
      expect((await app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: staffKey })).status).toBe(200);
      const afterLeave = await left;
      expect(afterLeave).toMatchObject({ free: 11, waiting: 0 });

      const freed = next<Availability>(recorder, 'availability', (a) => tableIn(a, table.id)?.status === 'free');
      expect((await app.http.patch(`/api/tables/${table.id}`, { status: 'free' }, { token: staffKey })).status).toBe(200);
      const afterPatch = await freed;
      expect(afterPatch).toMatchObject({ free: 12, waiting: 0 });

      const reserved = next<Availability>(recorder, 'availability', (a) => tableIn(a, table.id)?.status === 'reserved');
      expect((await app.http.patch(`/api/tables/${table.id}`, { status: 'reserved' }, { token: staffKey })).status).toBe(200);
      const afterReserve = await reserved;
      expect(afterReserve.free).toBe(11);
      // Every push reflects a state that really existed, in order.
      const history = recorder.all<Availability>('availability');
      expect(history.indexOf(afterCheckIn)).toBeLessThan(history.indexOf(afterSeat));
      expect(history.indexOf(afterSeat)).toBeLessThan(history.indexOf(afterLeave));
      expect(history.indexOf(afterLeave)).toBeLessThan(history.indexOf(afterPatch));
    });

    it('counts every check-in in the waiting total', async () => {
      const { recorder } = await open(app, '/floor', ['availability']);
      await recorder.waitFor<Availability>('availability', (a) => a.waiting === 0);
      const one = next<Availability>(recorder, 'availability', (a) => a.waiting === 1);
      await checkIn(app, { name: 'One' });
      await one;
      const three = next<Availability>(recorder, 'availability', (a) => a.waiting === 3);
      await Promise.all([checkIn(app, { name: 'Two' }), checkIn(app, { name: 'Three' })]);
      const last = await three;
      expect(last.free).toBe(12);
    });
  });

  describe('/staff', () => {
    beforeEach(resetFloor);

    it('refuses a missing key, a wrong key and an offers-only key with unauthorized', async () => {
      expect(await refusal(app, '/staff')).toBe('unauthorized');
      expect(await refusal(app, '/staff', {})).toBe('unauthorized');
      expect(await refusal(app, '/staff', { token: '' })).toBe('unauthorized');
      expect(await refusal(app, '/staff', { token: 'mtr_not-a-real-key-at-all-0000' })).toBe('unauthorized');
      expect(await refusal(app, '/staff', { token: 42 })).toBe('unauthorized');
      expect(await refusal(app, '/staff', { token: offersKey })).toBe('unauthorized');
    });

    it('refuses a revoked key', async () => {
      const created = await app.http.post<Schemas['CreatedApiKeyResponse']>(
        '/api/keys',
        { name: 'temp', scopes: ['staff'] },
        { token: ADMIN_KEY },
      );
      expect(created.status).toBe(201);
      const live = await open(app, '/staff', ['waitlist'], { token: created.body.key });
      live.socket.close();
      expect(
        (await app.http.delete<Schemas['ApiKeyResponse']>(`/api/keys/${created.body.id}`, { token: ADMIN_KEY })).status,
      ).toBeLessThan(300);
      expect(await refusal(app, '/staff', { token: created.body.key })).toBe('unauthorized');
    });

    it('accepts staff and admin keys and sends the waitlist on connect', async () => {
      const first = await checkIn(app, { name: 'First', partySize: 2 });
      const second = await checkIn(app, { name: 'Second', partySize: 5 });
      for (const token of [staffKey, ADMIN_KEY]) {
        const { recorder } = await open(app, '/staff', ['waitlist'], { token });
        const waitlist = await recorder.waitFor<Guest[]>('waitlist');
        expect(waitlist.map((g) => [g.id, g.status, g.position])).toEqual([
          [first.id, 'waiting', 1],
          [second.id, 'waiting', 2],
        ]);
        for (const guest of waitlist) {
          expect(Object.keys(guest).sort()).toEqual(GUEST_KEYS);
          expect(typeof guest.quotedWaitMinutes).toBe('number');
          expect(guest).not.toHaveProperty('token');
        }
      }
    });

    it('after the last screen closed, compares later sends to what the next screen got on connect', async () => {
      const gateway = staffGatewayOf(app);
      const first = await open(app, '/staff', ['waitlist'], { token: staffKey });
      await first.recorder.waitFor<Guest[]>('waitlist', (w) => w.length === 0);
      // The last waitlist sent while this screen is open is the empty one.
      const watched = next<Guest[]>(first.recorder, 'waitlist', (w) => w.some((g) => g.name === 'Watched'));
      const visitor = await checkIn(app, { name: 'Watched' });
      await watched;
      const emptiedWhileWatched = next<Guest[]>(first.recorder, 'waitlist', (w) => w.length === 0);
      expect((await app.http.post(`/api/guests/${visitor.id}/leave`, {}, { token: staffKey })).status).toBe(200);
      await emptiedWhileWatched;
      first.socket.close();
      await waitFor(() => !gateway.hasClients(), { label: 'the server to see the staff screen close' });

      // The waitlist changes while nobody watches (nothing is sent), then changes back once a screen is open:
      // that send equals the last one before the screen closed, and must not be skipped as unchanged.
      const guest = await checkIn(app, { name: 'Unwatched' });
      const second = await open(app, '/staff', ['waitlist'], { token: staffKey });
      await second.recorder.waitFor<Guest[]>('waitlist', (w) => w.some((g) => g.id === guest.id));
      const emptied = next<Guest[]>(second.recorder, 'waitlist', (w) => w.length === 0);
      expect((await app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: staffKey })).status).toBe(200);
      await emptied;
    });

    it('sends the waitlist on each change and every new event in order', async () => {
      const { recorder } = await open(app, '/staff', ['waitlist', 'event'], { token: staffKey });
      await recorder.waitFor<Guest[]>('waitlist', (w) => w.length === 0);
      const cursor = await app.http.get<Schemas['FeedResponseDto']>('/api/events?limit=500', { token: staffKey });
      const after = cursor.body.next;

      const twoWaiting = next<Guest[]>(recorder, 'waitlist', (w) => w.length === 2);
      const ana = await checkIn(app, { name: 'Ana', partySize: 2 });
      const bo = await checkIn(app, { name: 'Bo', partySize: 3 });
      const both = await twoWaiting;
      expect(both.map((g) => [g.id, g.position])).toEqual([
        [ana.id, 1],
        [bo.id, 2],
      ]);

      const table = await freeTable(app, 2);
      const oneWaiting = next<Guest[]>(recorder, 'waitlist', (w) => w.length === 1);
      expect((await app.http.post(`/api/guests/${ana.id}/seat`, { tableId: table.id }, { token: staffKey })).status).toBe(200);
      const afterSeat = await oneWaiting;
      expect(afterSeat.map((g) => [g.id, g.position])).toEqual([[bo.id, 1]]);

      const updated = next<Guest[]>(recorder, 'waitlist', (w) => w.length === 1 && w[0].partySize === 4);
      expect((await app.http.patch(`/api/guests/${bo.id}`, { partySize: 4 }, { token: staffKey })).status).toBe(200);
      await updated;

      const noneWaiting = next<Guest[]>(recorder, 'waitlist', (w) => w.length === 0);
      expect((await app.http.post(`/api/guests/${bo.id}/leave`, {}, { token: staffKey })).status).toBe(200);
      await noneWaiting;
      expect((await app.http.post(`/api/guests/${ana.id}/leave`, {}, { token: staffKey })).status).toBe(200);
      expect((await app.http.patch(`/api/tables/${table.id}`, { status: 'free' }, { token: staffKey })).status).toBe(200);

      const feed = await app.http.get<Schemas['FeedResponseDto']>(`/api/events?limit=500${after ? `&after=${after}` : ''}`, {
        token: staffKey,
      });
      const expectedTypes = [
        'guest.checked_in',
        'guest.checked_in',
        'table.status_changed',
        'guest.seated',
        'guest.updated',
        'guest.left',
        'table.status_changed',
        'guest.left',
        'table.status_changed',
      ];
      expect(feed.body.data.map((e: LiveEvent) => e.type)).toEqual(expectedTypes);
      const lastId = feed.body.data[feed.body.data.length - 1].id;
      await recorder.waitFor<LiveEvent>('event', (e) => e.id === lastId);

      const live = recorder.all<LiveEvent>('event');
      // Exactly the feed's events, once each, in the feed's (commit) order, with the same content.
      expect(live).toEqual(feed.body.data);
      for (const event of live) {
        expect(Object.keys(event).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
        expect(event.id).toMatch(/^evt_[0-9A-Z]{26}$/);
        expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
      }
      expect(live[0].data.guest).toMatchObject({ id: ana.id, status: 'waiting', position: 1 });
      expect(live[0].data.guest).not.toHaveProperty('token');
      expect(live[2].data).toMatchObject({
        table: { id: table.id, status: 'occupied', guestId: ana.id },
        previousStatus: 'free',
      });
      expect(live[3].data).toMatchObject({ guest: { id: ana.id, status: 'seated', tableId: table.id }, table: { id: table.id } });
      expect(live[4].data).toMatchObject({ guest: { id: bo.id, partySize: 4 }, changes: { partySize: { from: 3, to: 4 } } });
      expect(live[5].data).toMatchObject({ guest: { id: bo.id, status: 'left' }, reason: 'cancelled' });
      expect(live[6].data).toMatchObject({ table: { id: table.id, status: 'cleaning' }, previousStatus: 'occupied' });
      expect(live[7].data).toMatchObject({ guest: { id: ana.id, status: 'left' }, reason: 'finished' });
      expect(live[8].data).toMatchObject({ table: { id: table.id, status: 'free' }, previousStatus: 'cleaning' });
    });

    it('sends no event for a refused request', async () => {
      const { recorder } = await open(app, '/staff', ['event'], { token: staffKey });
      const guest = await checkIn(app, { name: 'Big party', partySize: 8 });
      const tooSmall = await freeTable(app, 2);
      expect(tooSmall.capacity).toBe(2);
      expect((await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: tooSmall.id }, { token: staffKey })).status).toBe(
        409,
      );
      const marker = await checkIn(app, { name: 'Marker' });
      await recorder.waitFor<LiveEvent>('event', (e) => e.data.guest?.id === marker.id);
      expect(recorder.all<LiveEvent>('event').map((e) => [e.type, e.data.guest?.id])).toEqual([
        ['guest.checked_in', guest.id],
        ['guest.checked_in', marker.id],
      ]);
    });
  });

  describe('/guest', () => {
    beforeEach(resetFloor);

    it("refuses a missing token, a wrong token and another guest's token", async () => {
      const guest = await checkIn(app, { name: 'Owner' });
      const other = await checkIn(app, { name: 'Other' });
      expect(await refusal(app, '/guest')).toBe('unauthorized');
      expect(await refusal(app, '/guest', { guestId: guest.id })).toBe('unauthorized');
      expect(await refusal(app, '/guest', { token: guest.token })).toBe('unauthorized');
      expect(await refusal(app, '/guest', { guestId: guest.id, token: 'gtk_wrong-token-000000000000' })).toBe('unauthorized');
      expect(await refusal(app, '/guest', { guestId: guest.id, token: other.token })).toBe('unauthorized');
      expect(await refusal(app, '/guest', { guestId: 'gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ', token: guest.token })).toBe(
        'unauthorized',
      );
      // An API key is not a guest token, not even an admin's.
      expect(await refusal(app, '/guest', { guestId: guest.id, token: ADMIN_KEY })).toBe('unauthorized');
      expect(await refusal(app, '/guest', { guestId: guest.id, token: guest.token })).toBe('connected');
    });

    it('sends status and offers on connect', async () => {
      const guest = await checkIn(app, { name: 'Cleo', partySize: 2 });
      const { recorder } = await open(app, '/guest', ['status', 'offers'], { guestId: guest.id, token: guest.token });
      const status = await recorder.waitFor<Guest>('status');
      expect(Object.keys(status).sort()).toEqual(GUEST_KEYS);
      expect(status).toMatchObject({ id: guest.id, name: 'Cleo', status: 'waiting', position: 1 });
      expect(await recorder.waitFor('offers')).toEqual([]);

      const offer = await app.http.post(`/api/guests/${guest.id}/offers`, { title: 'Free dessert' }, { token: offersKey });
      expect(offer.status).toBe(201);
      const again = await open(app, '/guest', ['status', 'offers'], { guestId: guest.id, token: guest.token });
      expect(await again.recorder.waitFor('offers')).toEqual([offer.body]);
    });

    it('sends status on each change: position moves up, then seated, then left', async () => {
      const ahead = await checkIn(app, { name: 'Ahead', partySize: 2 });
      const me = await checkIn(app, { name: 'Me', partySize: 4 });
      const { recorder } = await open(app, '/guest', ['status'], { guestId: me.id, token: me.token });
      await recorder.waitFor<Guest>('status', (s) => s.position === 2);

      const table2 = await freeTable(app, 2);
      const moving = next<Guest>(recorder, 'status', (s) => s.position === 1);
      expect((await app.http.post(`/api/guests/${ahead.id}/seat`, { tableId: table2.id }, { token: staffKey })).status).toBe(200);
      const movedUp = await moving;
      expect(movedUp).toMatchObject({ id: me.id, status: 'waiting' });

      const table4 = await freeTable(app, 4);
      expect((await app.http.post(`/api/guests/${me.id}/seat`, { tableId: table4.id }, { token: staffKey })).status).toBe(200);
      const seated = await recorder.waitFor<Guest>('status', (s) => s.status === 'seated');
      expect(seated).toMatchObject({ id: me.id, tableId: table4.id, position: null, quotedWaitMinutes: null });

      expect((await app.http.post(`/api/guests/${me.id}/leave`, {}, { guestToken: me.token })).status).toBe(200);
      const left = await recorder.waitFor<Guest>('status', (s) => s.status === 'left');
      expect(left).toMatchObject({ id: me.id, leftReason: 'finished', tableId: table4.id });
      // Only this guest's status ever reaches this socket.
      expect(recorder.all<Guest>('status').every((s) => s.id === me.id)).toBe(true);
    });

    it('pushes an offer to its guest at once and never to another guest', async () => {
      const mine = await checkIn(app, { name: 'Dana' });
      const theirs = await checkIn(app, { name: 'Eli' });
      const me = await open(app, '/guest', ['offer', 'offers'], { guestId: mine.id, token: mine.token });
      const them = await open(app, '/guest', ['offer', 'offers'], { guestId: theirs.id, token: theirs.token });
      await me.recorder.waitFor('offers');
      await them.recorder.waitFor('offers');

      const forMe = await app.http.post(
        `/api/guests/${mine.id}/offers`,
        { title: 'Welcome drink', description: 'On us' },
        { token: offersKey },
      );
      expect(forMe.status).toBe(201);
      const pushed = await me.recorder.waitFor('offer');
      expect(pushed).toEqual(forMe.body);
      expect(Object.keys(pushed).sort()).toEqual(['createdAt', 'description', 'guestId', 'id', 'title']);

      const forThem = await app.http.post<Schemas['OfferResponse']>(
        `/api/guests/${theirs.id}/offers`,
        { title: 'Half-price wine' },
        { token: offersKey },
      );
      expect(forThem.status).toBe(201);
      await them.recorder.waitFor('offer', (o: { id: string }) => o.id === forThem.body.id);
      // Offers are pushed in commit order, so had mine reached them it would be there by now.
      expect(them.recorder.all('offer')).toEqual([forThem.body]);

      // A third offer for me is a fresh push; theirs never arrives here.
      const second = await app.http.post<Schemas['OfferResponse']>(
        `/api/guests/${mine.id}/offers`,
        { title: 'Coffee' },
        { token: offersKey },
      );
      await me.recorder.waitFor('offer', (o: { id: string }) => o.id === second.body.id);
      expect(me.recorder.all('offer')).toEqual([forMe.body, second.body]);
    });
  });
});
