import { io, Socket } from 'socket.io-client';
import { join } from 'node:path';
import {
  checkIn,
  clockOf,
  createKey,
  DIST_DIR,
  freeTable,
  ON_POSTGRES,
  removeDir,
  startApp,
  tables,
  TestApp,
  tempDir,
} from './support/app';
import type { ErrorBody, Guest } from './support/api-types';
import { Receiver } from './support/receiver';
import { Recorder } from './support/sockets';
import { waitFor } from './support/wait';

/**
 * Paging a guest ("your table is ready"): notify, confirm, the held table, and the no-show when
 * the hold ends, with the app's Clock moved instead of waiting ten minutes. On PostgreSQL also two
 * instances on one database settling the same ended holds exactly once.
 */

jest.setTimeout(90_000);

const MINUTE = 60_000;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built service from dist/, the same class the running app uses.
const { HoldExpiryService } = require(
  join(DIST_DIR, 'guests', 'hold-expiry.service'),
) as typeof import('../src/guests/hold-expiry.service');

interface FeedEvent {
  id: string;
  type: string;
  data: {
    guest?: Guest;
    table?: { id: string; status: string; guestId: string | null } | null;
    holdUntil?: string;
    message?: string | null;
    reason?: string;
    previousStatus?: string;
  };
}

/**
 * The feed once it holds an event `until` accepts: on PostgreSQL a committed event waits in the feed while an
 * older transaction of the same database is still open (here the dispatcher recording an attempt, say).
 */
async function feed(app: TestApp, staffKey: string, until: (event: FeedEvent) => boolean): Promise<FeedEvent[]> {
  return waitFor(
    async () => {
      const page = await app.http.get<{ data: FeedEvent[] }>('/api/events?limit=500', { token: staffKey });
      expect(page.status).toBe(200);
      return page.body.data.some(until) && page.body.data;
    },
    { timeoutMs: 10_000, label: 'the event in the feed' },
  );
}

describe(`paging a guest on ${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'}`, () => {
  let app: TestApp;
  let staffKey: string;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: receiver.hostPort, WEBHOOK_RETRY_SCHEDULE: '200ms,500ms' });
    staffKey = await createKey(app, ['staff']);
    const endpointsKey = await createKey(app, ['endpoints']);
    const endpoint = await app.http.post<{ secret: string }>(
      '/api/webhooks/endpoints',
      { url: receiver.url, description: 'pager', eventTypes: ['guest.notified', 'guest.confirmed', 'guest.left'] },
      { token: endpointsKey },
    );
    expect(endpoint.status).toBe(201);
    receiver.secrets = [endpoint.body.secret];
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    await app?.close();
    await receiver?.stop();
    if (app) removeDir(app.dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  const staff = () => ({ token: staffKey });

  it('notify holds a fitting free table, writes guest.notified (+ table.status_changed) and pushes the guest page', async () => {
    const guest = await checkIn(app, { name: 'Nadia', partySize: 2, phone: '+4915112345001', marketingOptIn: true });
    const socket: Socket = io(`${app.baseUrl}/guest`, {
      auth: { guestId: guest.id, token: guest.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    const pushes = new Recorder(socket, ['status']);
    socket.connect();
    try {
      await pushes.waitFor<Guest>('status', (s) => s.id === guest.id);
      const table = await freeTable(app, 2);
      const before = clockOf(app).nowMs();
      const paged = await app.http.post<Guest>(
        `/api/guests/${guest.id}/notify`,
        { tableId: table.id, message: 'By the window' },
        staff(),
      );
      expect(paged.status).toBe(200);
      expect(paged.body).toMatchObject({ status: 'waiting', heldTableId: table.id, confirmedAt: null });
      const holdMs = Date.parse(paged.body.holdUntil!) - Date.parse(paged.body.notifiedAt!);
      expect(holdMs).toBe(10 * MINUTE);
      expect(Date.parse(paged.body.notifiedAt!)).toBeGreaterThanOrEqual(before - 5);

      const held = (await tables(app)).find((t) => t.id === table.id)!;
      expect(held).toMatchObject({ status: 'reserved', guestId: guest.id });

      const events = (await feed(app, staffKey, (e) => e.type === 'guest.notified' && e.data.guest?.id === guest.id)).filter(
        (e) => e.data.guest?.id === guest.id || e.data.table?.id === table.id,
      );
      const notified = events.find((e) => e.type === 'guest.notified')!;
      expect(notified.data).toMatchObject({
        holdUntil: paged.body.holdUntil,
        message: 'By the window',
        table: { id: table.id, status: 'reserved', guestId: guest.id },
      });
      expect(notified.data.guest).toMatchObject({ id: guest.id, phone: '+4915112345001', notifiedAt: paged.body.notifiedAt });
      expect(
        events.some(
          (e) => e.type === 'table.status_changed' && e.data.table?.status === 'reserved' && e.data.previousStatus === 'free',
        ),
      ).toBe(true);

      const webhook = await receiver.waitFor((r) => r.payload.type === 'guest.notified' && r.payload.data.guest.id === guest.id);
      expect(webhook.verified).toBe(true);
      await pushes.waitFor<Guest>('status', (s) => s.id === guest.id && s.holdUntil === paged.body.holdUntil);
    } finally {
      socket.close();
    }
  });

  it('answers 409 for notifying twice, confirming without a page, and seating another guest at a held table', async () => {
    const paged = await checkIn(app, { name: 'Otto', partySize: 2 });
    const other = await checkIn(app, { name: 'Pia', partySize: 2 });
    const table = await freeTable(app, 2);
    expect((await app.http.post(`/api/guests/${paged.id}/notify`, { tableId: table.id }, staff())).status).toBe(200);

    const twice = await app.http.post<ErrorBody>(`/api/guests/${paged.id}/notify`, {}, staff());
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already paged/);

    const unpaged = await app.http.post<ErrorBody>(`/api/guests/${other.id}/confirm`, {}, { guestToken: other.token });
    expect(unpaged.status).toBe(409);
    expect(unpaged.body.message).toMatch(/not been paged/);

    const stolen = await app.http.post<ErrorBody>(`/api/guests/${other.id}/seat`, { tableId: table.id }, staff());
    expect(stolen.status).toBe(409);
    expect(stolen.body.message).toMatch(/held for another guest/);
    // Holding a table that is not free is refused too, and nothing of that page is written.
    const notFree = await app.http.post<ErrorBody>(`/api/guests/${other.id}/notify`, { tableId: table.id }, staff());
    expect(notFree.status).toBe(409);
    expect((await app.http.get<Guest>(`/api/guests/${other.id}`, staff())).body.notifiedAt).toBeNull();

    const tooLong = await app.http.post<ErrorBody>(`/api/guests/${other.id}/notify`, { message: 'x'.repeat(161) }, staff());
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.details.map((d) => d.field)).toContain('message');
    // Only staff page guests; the guest's own token does not open this route.
    expect((await app.http.post(`/api/guests/${other.id}/notify`, {}, { guestToken: other.token })).status).toBe(401);

    // The paged guest is seated at their held table in one step; the table is theirs.
    const seated = await app.http.post<Guest>(`/api/guests/${paged.id}/seat`, { tableId: table.id }, staff());
    expect(seated.status).toBe(200);
    expect((await tables(app)).find((t) => t.id === table.id)).toMatchObject({ status: 'occupied', guestId: paged.id });
    const late = await app.http.post<ErrorBody>(`/api/guests/${paged.id}/confirm`, {}, staff());
    expect(late.status).toBe(409);
  });

  it('confirm sets confirmedAt once and writes guest.confirmed; leaving frees the held table', async () => {
    const guest = await checkIn(app, { name: 'Quinn', partySize: 3 });
    const table = await freeTable(app, 3);
    expect((await app.http.post(`/api/guests/${guest.id}/notify`, { tableId: table.id }, staff())).status).toBe(200);
    const confirmed = await app.http.post<Guest>(`/api/guests/${guest.id}/confirm`, {}, { guestToken: guest.token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.confirmedAt).not.toBeNull();
    const again = await app.http.post<Guest>(`/api/guests/${guest.id}/confirm`, {}, staff());
    expect(again.status).toBe(200);
    expect(again.body.confirmedAt).toBe(confirmed.body.confirmedAt);
    const isConfirmed = (e: FeedEvent) => e.type === 'guest.confirmed' && e.data.guest?.id === guest.id;
    const events = (await feed(app, staffKey, isConfirmed)).filter(isConfirmed);
    expect(events).toHaveLength(1);
    await receiver.waitFor((r) => r.payload.type === 'guest.confirmed' && r.payload.data.guest.id === guest.id);

    expect(
      (await app.http.post(`/api/guests/${guest.id}/leave`, { reason: 'cancelled' }, { guestToken: guest.token })).status,
    ).toBe(200);
    expect((await tables(app)).find((t) => t.id === table.id)).toMatchObject({ status: 'free', guestId: null });
  });

  it('seating a paged guest at another table frees the table held for them', async () => {
    const guest = await checkIn(app, { name: 'Rui', partySize: 2 });
    const free = (await tables(app)).filter((t) => t.status === 'free' && t.capacity >= 2);
    const [held, other] = free;
    expect((await app.http.post(`/api/guests/${guest.id}/notify`, { tableId: held.id }, staff())).status).toBe(200);
    expect((await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: other.id }, staff())).status).toBe(200);
    const after = await tables(app);
    expect(after.find((t) => t.id === held.id)).toMatchObject({ status: 'free', guestId: null });
    expect(after.find((t) => t.id === other.id)).toMatchObject({ status: 'occupied', guestId: guest.id });
  });

  it('when the hold ends the guest leaves as no_show and the held table is free again (moved clock)', async () => {
    const guest = await checkIn(app, { name: 'Rosa', partySize: 2 });
    const table = await freeTable(app, 2);
    expect((await app.http.post(`/api/guests/${guest.id}/notify`, { tableId: table.id }, staff())).status).toBe(200);
    // Nine minutes in: a sweep settles nothing.
    clockOf(app).advance(9 * MINUTE);
    expect(await app.nest.get(HoldExpiryService).sweep()).toBe(0);
    expect((await app.http.get<Guest>(`/api/guests/${guest.id}`, staff())).body.status).toBe('waiting');

    clockOf(app).advance(2 * MINUTE);
    const left = await waitFor(
      async () => {
        const view = (await app.http.get<Guest>(`/api/guests/${guest.id}`, staff())).body;
        return view.status === 'left' ? view : undefined;
      },
      { label: 'the no-show' },
    );
    expect(left.leftReason).toBe('no_show');
    expect((await tables(app)).find((t) => t.id === table.id)).toMatchObject({ status: 'free', guestId: null });
    const isLeft = (e: FeedEvent) => e.type === 'guest.left' && e.data.guest?.id === guest.id;
    const leftEvents = (await feed(app, staffKey, isLeft)).filter(isLeft);
    expect(leftEvents.map((e) => e.data.reason)).toEqual(['no_show']);
    await receiver.waitFor(
      (r) => r.payload.type === 'guest.left' && r.payload.data.guest.id === guest.id && r.payload.data.reason === 'no_show',
    );
  });
});

describe(`a hold that ends while the server is stopped (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('is settled within 5 s of the next start', async () => {
    const dir = tempDir('maitred-paging-restart-');
    let app = await startApp({ TABLE_HOLD: '2s' }, dir);
    try {
      const guest = await checkIn(app, { name: 'Sven', partySize: 2 });
      const table = await freeTable(app, 2);
      const paged = await app.http.post<Guest>(`/api/guests/${guest.id}/notify`, { tableId: table.id }, { token: app.adminKey });
      expect(paged.status).toBe(200);
      await app.close();
      // Down until the hold has certainly ended, by the wall clock the next start reads.
      await waitFor(() => Date.now() > Date.parse(paged.body.holdUntil!) + 100, { label: 'the hold to end' });
      const started = Date.now();
      app = await startApp({ TABLE_HOLD: '2s' }, dir);
      const left = await waitFor(
        async () => {
          const view = (await app.http.get<Guest>(`/api/guests/${guest.id}`, { token: app.adminKey })).body;
          return view.status === 'left' ? view : undefined;
        },
        { label: 'the no-show after the restart', timeoutMs: 5_000 },
      );
      const settledMs = Date.now() - started;
      console.log(`paging: a hold that ended while down was settled ${settledMs} ms after the start began`);
      expect(left.leftReason).toBe('no_show');
      expect((await tables(app)).find((t) => t.id === table.id)).toMatchObject({ status: 'free', guestId: null });
    } finally {
      await app.close();
      removeDir(dir);
    }
  });

  it('refuses an invalid TABLE_HOLD at boot, naming it', async () => {
    await expect(startApp({ TABLE_HOLD: 'soon' })).rejects.toThrow(/TABLE_HOLD/);
  });
});

const onPostgres = ON_POSTGRES ? describe : describe.skip;

onPostgres('two instances on one PostgreSQL database', () => {
  it('settle every ended hold exactly once', async () => {
    const dir = tempDir('maitred-paging-two-');
    const first = await startApp({}, dir);
    const second = await startApp({}, dir);
    try {
      const all = await tables(first);
      const guests: string[] = [];
      for (let i = 0; i < 12; i++) {
        const guest = await checkIn(first, { name: `Twin ${i}`, partySize: 1 });
        const table = all.at(i);
        const body = table ? { tableId: table.id } : {};
        expect((await first.http.post(`/api/guests/${guest.id}/notify`, body, { token: first.adminKey })).status).toBe(200);
        guests.push(guest.id);
      }
      // Both instances see every hold end at the same moment and race for them.
      clockOf(first).advance(11 * MINUTE);
      clockOf(second).advance(11 * MINUTE);
      await waitFor(
        async () => {
          const views = await Promise.all(
            guests.map((id) => second.http.get<Guest>(`/api/guests/${id}`, { token: second.adminKey })),
          );
          return views.every((view) => view.body.status === 'left');
        },
        { label: 'every no-show', timeoutMs: 20_000 },
      );
      const events = (await first.http.get<{ data: FeedEvent[] }>('/api/events?limit=500', { token: first.adminKey })).body.data;
      for (const id of guests) {
        expect(events.filter((e) => e.type === 'guest.left' && e.data.guest?.id === id).map((e) => e.data.reason)).toEqual([
          'no_show',
        ]);
      }
      const freed = events.filter(
        (e) => e.type === 'table.status_changed' && e.data.table?.status === 'free' && e.data.previousStatus === 'reserved',
      );
      expect(freed).toHaveLength(Math.min(12, all.length));
      expect(new Set(freed.map((e) => e.data.table!.id)).size).toBe(freed.length);
    } finally {
      await second.close();
      await first.close();
      removeDir(dir);
    }
  });
});
