import { io, Socket } from 'socket.io-client';
import { checkIn, createKey, ON_POSTGRES, removeDir, startApp, TableRow, tables, TestApp } from './support/app';
import { HttpResult } from './support/http';
import { Recorder } from './support/sockets';
import type { Schemas } from './support/api-types';

/**
 * SQLite write serialization. TypeORM's better-sqlite3 driver shares one QueryRunner, so two
 * transactions running at once would nest as savepoints: one request's rollback could undo
 * another's commit, or a rolled-back request could leave rows behind. This fires a burst of
 * concurrent writes over real HTTP, many of which fail inside their transaction after reading
 * (and locking) rows, and then checks that the database and the event feed tell one consistent,
 * serial story.
 */

interface Guest {
  id: string;
  name: string;
  partySize: number;
  status: 'waiting' | 'seated' | 'left';
  position: number | null;
  tableId: string | null;
  checkedInAt: string;
  leftReason: string | null;
}

/** The event fields this suite reads; which of `guest` and `table` are present depends on the type. */
interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: {
    guest?: { id: string; status: string; tableId: string | null; position: number | null; checkedInAt: string };
    table?: { id: string; status: string; guestId: string | null } | null;
    previousStatus?: string;
    reason?: string;
    [field: string]: unknown;
  };
}

const CHECK_INS = 60;
const MISSING_GUEST = 'gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ';
const MISSING_TABLE = 'tbl_01JD5Z4Q2V8N7T3K9M6B1C0XYZ';

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe(
  ON_POSTGRES
    ? 'concurrency: PostgreSQL transactions with entity and check-in locks'
    : 'concurrency: SQLite writes are serialized',
  () => {
    let app: TestApp;
    let staff: string;
    let offers: string;

    beforeAll(async () => {
      app = await startApp();
      staff = await createKey(app, ['staff']);
      offers = await createKey(app, ['offers']);
    });

    afterAll(async () => {
      await app.close();
      removeDir(app.dir);
    });

    async function feedAfter(cursor: string | null): Promise<FeedEvent[]> {
      const all: FeedEvent[] = [];
      let after = cursor;
      for (;;) {
        const page = await app.http.get<Schemas['FeedResponseDto']>(`/api/events?limit=500${after ? `&after=${after}` : ''}`, {
          token: staff,
        });
        expect(page.status).toBe(200);
        all.push(...page.body.data);
        if (page.body.data.length < 500) return all;
        after = page.body.next;
      }
    }

    it('keeps guests, positions, tables and events consistent under a burst of concurrent writes', async () => {
      // The demo floor: T1–T3 seat 2, T4–T6 seat 4, T7–T9 seat 6, T10–T12 seat 8.
      const floor = new Map((await tables(app)).map((t) => [t.label, t]));
      const table = (label: string): TableRow => floor.get(label)!;
      expect(floor.size).toBe(12);

      const seatOk = [];
      for (let i = 0; i < 6; i++) seatOk.push(await checkIn(app, { name: `seat-ok-${i}`, partySize: 2 }));
      const seatOkTables = ['T1', 'T2', 'T3', 'T4', 'T5', 'T7'].map(table);
      const tooBig = [];
      for (let i = 0; i < 3; i++) tooBig.push(await checkIn(app, { name: `too-big-${i}`, partySize: 8 }));
      const racers = [
        await checkIn(app, { name: 'racer-a', partySize: 2 }),
        await checkIn(app, { name: 'racer-b', partySize: 2 }),
      ];
      const preSeated = [];
      for (const label of ['T10', 'T11', 'T12']) {
        const guest = await checkIn(app, { name: `pre-seated-${label}`, partySize: 5 });
        expect((await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: table(label).id }, { token: staff })).status).toBe(
          200,
        );
        preSeated.push(guest);
      }
      const leaveWaiting = [];
      for (let i = 0; i < 4; i++) leaveWaiting.push(await checkIn(app, { name: `leaver-${i}`, partySize: 3 }));
      const intoOccupied = await checkIn(app, { name: 'into-occupied', partySize: 2 });
      const doubleLeaver = await checkIn(app, { name: 'double-leaver', partySize: 2 });
      const seatOrLeave = await checkIn(app, { name: 'seat-or-leave', partySize: 2 });
      const patched = [];
      for (let i = 0; i < 3; i++) patched.push(await checkIn(app, { name: `patched-${i}`, partySize: 2 }));
      const offered = [];
      for (let i = 0; i < 3; i++) offered.push(await checkIn(app, { name: `offered-${i}`, partySize: 2 }));
      const bystander = await checkIn(app, { name: 'bystander', partySize: 2 });
      const setupGuestCount = 6 + 3 + 2 + 3 + 4 + 1 + 1 + 1 + 3 + 3 + 1;

      const before = await feedAfter(null);
      const cursorAfterSetup = before[before.length - 1].id;
      const waitingBefore = (await app.http.get<Guest[]>('/api/guests?status=waiting&limit=500', { token: staff })).body;

      // A staff screen watching the burst: it must see the events in the feed's order.
      const socket: Socket = io(`${app.baseUrl}/staff`, {
        auth: { token: staff },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        autoConnect: false,
      });
      const live = new Recorder(socket, ['event', 'waitlist']);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
        socket.connect();
      });

      interface Labeled {
        kind: string;
        subject?: string;
        target?: string;
        run: () => Promise<HttpResult>;
      }
      const ops: Labeled[] = [];
      for (let i = 0; i < CHECK_INS; i++) {
        ops.push({
          kind: 'checkIn',
          run: () => app.http.post('/api/guests', { name: `burst-${i}`, partySize: 1 + (i % 8), marketingOptIn: i % 2 === 0 }),
        });
      }
      seatOk.forEach((guest, i) =>
        ops.push({
          kind: 'seatOk',
          subject: guest.id,
          target: seatOkTables[i].id,
          run: () => app.http.post(`/api/guests/${guest.id}/seat`, { tableId: seatOkTables[i].id }, { token: staff }),
        }),
      );
      // Party of 8 at a 4-seat table: the guest row is read and locked, then the capacity check fails.
      for (const guest of tooBig) {
        ops.push({
          kind: 'tooBig',
          subject: guest.id,
          target: table('T6').id,
          run: () => app.http.post(`/api/guests/${guest.id}/seat`, { tableId: table('T6').id }, { token: staff }),
        });
      }
      for (const guest of racers) {
        ops.push({
          kind: 'race',
          subject: guest.id,
          target: table('T8').id,
          run: () => app.http.post(`/api/guests/${guest.id}/seat`, { tableId: table('T8').id }, { token: staff }),
        });
      }
      // The third pre-seated guest stays: T12 remains occupied throughout the burst.
      const [stayer] = preSeated.splice(2, 1);
      for (const guest of preSeated) {
        ops.push({
          kind: 'leaveSeated',
          subject: guest.id,
          target: guest.id,
          run: () => app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: staff }),
        });
      }
      for (const guest of leaveWaiting) {
        ops.push({
          kind: 'leaveWaiting',
          subject: guest.id,
          run: () => app.http.post(`/api/guests/${guest.id}/leave`, { reason: 'no_show' }, { token: staff }),
        });
      }
      // T10 is occupied until its guest's concurrent leave commits, and cleaning after: never seatable.
      ops.push({
        kind: 'intoOccupied',
        subject: intoOccupied.id,
        target: table('T10').id,
        run: () => app.http.post(`/api/guests/${intoOccupied.id}/seat`, { tableId: table('T10').id }, { token: staff }),
      });
      for (let i = 0; i < 2; i++) {
        ops.push({
          kind: 'doubleLeave',
          subject: doubleLeaver.id,
          run: () => app.http.post(`/api/guests/${doubleLeaver.id}/leave`, {}, { token: staff }),
        });
      }
      ops.push({
        kind: 'seatOrLeave:seat',
        subject: seatOrLeave.id,
        target: table('T9').id,
        run: () => app.http.post(`/api/guests/${seatOrLeave.id}/seat`, { tableId: table('T9').id }, { token: staff }),
      });
      ops.push({
        kind: 'seatOrLeave:leave',
        subject: seatOrLeave.id,
        run: () => app.http.post(`/api/guests/${seatOrLeave.id}/leave`, {}, { token: staff }),
      });
      patched.forEach((guest, i) =>
        ops.push({
          kind: 'patch',
          subject: guest.id,
          run: () => app.http.patch(`/api/guests/${guest.id}`, { name: `renamed-${i}`, partySize: 3 }, { token: staff }),
        }),
      );
      for (const guest of offered) {
        ops.push({
          kind: 'offer',
          subject: guest.id,
          run: () => app.http.post(`/api/guests/${guest.id}/offers`, { title: 'Dessert on us' }, { token: offers }),
        });
      }
      for (let i = 0; i < 3; i++) {
        ops.push({
          kind: 'offerMissing',
          run: () => app.http.post(`/api/guests/${MISSING_GUEST}/offers`, { title: 'Nobody' }, { token: offers }),
        });
      }
      // The guest row is read and locked, then the table is not found.
      ops.push({
        kind: 'seatMissingTable',
        subject: bystander.id,
        run: () => app.http.post(`/api/guests/${bystander.id}/seat`, { tableId: MISSING_TABLE }, { token: staff }),
      });
      ops.push({
        kind: 'seatMissingGuest',
        run: () => app.http.post(`/api/guests/${MISSING_GUEST}/seat`, { tableId: table('T6').id }, { token: staff }),
      });
      // Another refused change of state that reads rows first: a staff PATCH of an occupied table.
      ops.push({
        kind: 'patchOccupiedTable',
        run: () => app.http.patch(`/api/tables/${table('T12').id}`, { status: 'free' }, { token: staff }),
      });

      const ordered = shuffle(ops);
      const results = await Promise.all(ordered.map((op) => op.run()));
      const outcomes = ordered.map((op, i) => ({ ...op, result: results[i] }));
      const of = (kind: string) => outcomes.filter((o) => o.kind === kind);
      const statuses = (kind: string) =>
        of(kind)
          .map((o) => o.result.status)
          .sort();

      // Nothing failed for a reason other than the rule it broke.
      for (const o of outcomes) expect(o.result.status).toBeLessThan(500);
      expect(statuses('checkIn')).toEqual(Array(CHECK_INS).fill(201));
      expect(statuses('seatOk')).toEqual(Array(6).fill(200));
      expect(statuses('tooBig')).toEqual([409, 409, 409]);
      expect(statuses('race')).toEqual([200, 409]);
      expect(statuses('leaveSeated')).toEqual([200, 200]);
      expect(statuses('leaveWaiting')).toEqual([200, 200, 200, 200]);
      expect(statuses('intoOccupied')).toEqual([409]);
      expect(statuses('doubleLeave')).toEqual([200, 409]);
      expect(statuses('patch')).toEqual([200, 200, 200]);
      expect(statuses('offer')).toEqual([201, 201, 201]);
      expect(statuses('offerMissing')).toEqual([404, 404, 404]);
      expect(statuses('seatMissingTable')).toEqual([404]);
      expect(statuses('seatMissingGuest')).toEqual([404]);
      expect(statuses('patchOccupiedTable')).toEqual([409]);
      const [seatOfSeatOrLeave] = of('seatOrLeave:seat');
      const [leaveOfSeatOrLeave] = of('seatOrLeave:leave');
      expect(leaveOfSeatOrLeave.result.status).toBe(200);
      // Either the seat committed first (and the leave finished the meal) or the leave did (and the seat is refused).
      const seatedThenLeft = seatOfSeatOrLeave.result.status === 200;
      if (seatedThenLeft)
        expect(leaveOfSeatOrLeave.result.body).toMatchObject({ status: 'left', leftReason: 'finished', tableId: table('T9').id });
      else {
        expect(seatOfSeatOrLeave.result.status).toBe(409);
        expect(leaveOfSeatOrLeave.result.body).toMatchObject({ status: 'left', leftReason: 'cancelled', tableId: null });
      }

      // Every 201 guest exists exactly once, and no one else was created.
      const created = of('checkIn').map((o) => o.result.body as Guest & { token: string });
      const createdIds = created.map((g) => g.id);
      expect(new Set(createdIds).size).toBe(CHECK_INS);
      const everyone = (await app.http.get<Guest[]>('/api/guests?limit=500', { token: staff })).body;
      expect(everyone).toHaveLength(setupGuestCount + CHECK_INS);
      expect(new Set(everyone.map((g) => g.id)).size).toBe(everyone.length);
      const byId = new Map(everyone.map((g) => [g.id, g]));
      for (const guest of created) {
        expect(byId.get(guest.id)).toMatchObject({
          name: guest.name,
          partySize: guest.partySize,
          checkedInAt: guest.checkedInAt,
        });
        // The token handed out is the one stored.
        expect((await app.http.get(`/api/guests/${guest.id}`, { guestToken: guest.token })).status).toBe(200);
      }

      // Positions of waiting guests are exactly 1..n in check-in order.
      const waiting = (await app.http.get<Guest[]>('/api/guests?status=waiting&limit=500', { token: staff })).body;
      expect(waiting.map((g) => g.position)).toEqual(waiting.map((_, i) => i + 1));
      const checkInOrder = [...waiting].sort((a, b) =>
        a.checkedInAt === b.checkedInAt ? (a.id < b.id ? -1 : 1) : a.checkedInAt < b.checkedInAt ? -1 : 1,
      );
      expect(checkInOrder.map((g) => g.id)).toEqual(waiting.map((g) => g.id));
      for (const guest of waiting) {
        const single = await app.http.get<Guest>(`/api/guests/${guest.id}`, { token: staff });
        expect(single.body.position).toBe(guest.position);
      }

      // Failed requests changed nothing.
      for (const guest of [...tooBig, intoOccupied, bystander]) {
        expect(byId.get(guest.id)).toMatchObject({ status: 'waiting', tableId: null });
      }
      const racedWinner = of('race').find((o) => o.result.status === 200)!;
      const racedLoser = of('race').find((o) => o.result.status === 409)!;
      expect(byId.get(racedLoser.subject!)).toMatchObject({ status: 'waiting', tableId: null });
      for (const guest of offered) {
        const list = await app.http.get(`/api/guests/${guest.id}/offers`, { token: staff });
        expect(list.body).toHaveLength(1);
      }
      for (const guest of [...seatOk, bystander, ...tooBig]) {
        expect((await app.http.get(`/api/guests/${guest.id}/offers`, { token: staff })).body).toEqual([]);
      }

      // The feed holds exactly the expected events, and each transaction's events sit together.
      const events = await feedAfter(cursorAfterSetup);
      const count = (type: string) => events.filter((e) => e.type === type).length;
      const successfulSeats = [...of('seatOk'), racedWinner, ...(seatedThenLeft ? [seatOfSeatOrLeave] : [])];
      const seatedLeaves = 2 + (seatedThenLeft ? 1 : 0);
      expect({
        'guest.checked_in': count('guest.checked_in'),
        'guest.seated': count('guest.seated'),
        'table.status_changed': count('table.status_changed'),
        'guest.left': count('guest.left'),
        'guest.updated': count('guest.updated'),
        'offer.created': count('offer.created'),
        total: events.length,
      }).toEqual({
        'guest.checked_in': CHECK_INS,
        'guest.seated': successfulSeats.length,
        'table.status_changed': successfulSeats.length + seatedLeaves,
        'guest.left': 2 + 4 + 1 + 1,
        'guest.updated': 3,
        'offer.created': 3,
        total: CHECK_INS + 2 * successfulSeats.length + seatedLeaves + 8 + 3 + 3,
      });
      expect(new Set(events.filter((e) => e.type === 'guest.checked_in').map((e) => e.data.guest!.id))).toEqual(
        new Set(createdIds),
      );

      const tablesNow = new Map((await tables(app)).map((t) => [t.id, t]));
      for (const seat of successfulSeats) {
        const index = events.findIndex((e) => e.type === 'guest.seated' && e.data.guest!.id === seat.subject);
        expect(index).toBeGreaterThan(0);
        expect(events[index].data).toMatchObject({
          guest: { status: 'seated', tableId: seat.target },
          table: { id: seat.target, status: 'occupied', guestId: seat.subject },
        });
        // The table change was written in the same transaction, immediately before.
        expect(events[index - 1]).toMatchObject({
          type: 'table.status_changed',
          data: { table: { id: seat.target, status: 'occupied', guestId: seat.subject }, previousStatus: 'free' },
        });
        expect(seat.result.body).toMatchObject({ status: 'seated', tableId: seat.target });
        if (seat !== seatOfSeatOrLeave) {
          expect(byId.get(seat.subject!)).toMatchObject({ status: 'seated', tableId: seat.target });
          expect(tablesNow.get(seat.target!)).toMatchObject({ status: 'occupied', guestId: seat.subject });
        }
      }
      for (const guestId of [...preSeated.map((g) => g.id), ...(seatedThenLeft ? [seatOrLeave.id] : [])]) {
        const index = events.findIndex((e) => e.type === 'guest.left' && e.data.guest!.id === guestId);
        expect(index).toBeGreaterThan(0);
        expect(events[index].data).toMatchObject({ reason: 'finished', guest: { status: 'left' } });
        const tableId = events[index].data.guest!.tableId!;
        expect(events[index - 1]).toMatchObject({
          type: 'table.status_changed',
          data: { table: { id: tableId, status: 'cleaning', guestId: null }, previousStatus: 'occupied' },
        });
        expect(tablesNow.get(tableId)).toMatchObject({ status: 'cleaning', guestId: null });
      }
      expect(byId.get(stayer.id)).toMatchObject({ status: 'seated', tableId: table('T12').id });
      expect(tablesNow.get(table('T12').id)).toMatchObject({ status: 'occupied', guestId: stayer.id });
      // Tables nobody managed to seat are untouched.
      expect(tablesNow.get(table('T6').id)).toMatchObject({ status: 'free', guestId: null });
      if (!seatedThenLeft) expect(tablesNow.get(table('T9').id)).toMatchObject({ status: 'free', guestId: null });
      // Every occupied table points at a seated guest who points back.
      for (const t of tablesNow.values()) {
        if (t.status === 'occupied') expect(byId.get(t.guestId!)).toMatchObject({ status: 'seated', tableId: t.id });
        else expect(t.guestId).toBeNull();
      }

      if (!ON_POSTGRES) {
        // Commit order: ids are generated monotonically inside serialized transactions, so the feed's
        // order is also id order and time order; replaying it reproduces every position handed out.
        expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort());
        for (let i = 1; i < events.length; i++) expect(events[i].timestamp >= events[i - 1].timestamp).toBe(true);
        const line = waitingBefore.map((g) => g.id);
        const responsePositions = new Map(created.map((g) => [g.id, g.position]));
        for (const event of events) {
          const id = event.data.guest?.id ?? '';
          if (event.type === 'guest.checked_in') {
            line.push(id);
            expect(event.data.guest!.position).toBe(line.length);
            expect(responsePositions.get(id)).toBe(line.length);
          } else if (event.type === 'guest.seated' || event.type === 'guest.left') {
            if (line.includes(id)) line.splice(line.indexOf(id), 1);
          } else if (event.type === 'guest.updated') {
            expect(event.data.guest!.position).toBe(line.indexOf(id) + 1);
          }
        }
        expect(line).toEqual(waiting.map((g) => g.id));
      } else {
        // No global lock on PostgreSQL: the feed is in transaction order (see EventsService.feed), so
        // unrelated concurrent changes may interleave differently from their ids or timestamps, and a
        // position in event data is as of its own transaction's reads. What must hold: each
        // transaction's events stay together; check-ins (which take turns) appear in arrival order
        // with the place each was told; and the changes of one guest or one table appear in the
        // order they were made, so replaying the feed gives every guest's and table's final state.
        const responsePositions = new Map(created.map((g) => [g.id, g.position]));
        const checkIns = events.filter((e) => e.type === 'guest.checked_in');
        for (let i = 1; i < checkIns.length; i++) {
          expect(checkIns[i].data.guest!.checkedInAt >= checkIns[i - 1].data.guest!.checkedInAt).toBe(true);
        }
        for (const event of checkIns) {
          if (responsePositions.has(event.data.guest!.id))
            expect(event.data.guest!.position).toBe(responsePositions.get(event.data.guest!.id));
        }
        const guestState = new Map<string, string>(
          before.filter((e) => e.data.guest).map((e) => [e.data.guest!.id, e.data.guest!.status]),
        );
        const tableState = new Map<string, string>();
        for (const event of events) {
          if (event.type === 'table.status_changed') {
            const known = tableState.get(event.data.table!.id);
            if (known !== undefined) expect(event.data.previousStatus).toBe(known);
            tableState.set(event.data.table!.id, event.data.table!.status);
          } else if (event.data.guest) {
            const previous = guestState.get(event.data.guest.id);
            if (event.type === 'guest.checked_in') expect(previous).toBeUndefined();
            else expect(previous).not.toBe('left');
            if (event.type === 'guest.seated') expect(previous).toBe('waiting');
            guestState.set(event.data.guest.id, event.data.guest.status);
          }
        }
        for (const guest of everyone) if (guestState.has(guest.id)) expect(guestState.get(guest.id)).toBe(guest.status);
        for (const t of tablesNow.values()) if (tableState.has(t.id)) expect(tableState.get(t.id)).toBe(t.status);
      }

      // The live stream carried the same events. On SQLite one writer at a time also means the same
      // order; on PostgreSQL transactions that commit at the same moment may be pushed in either
      // order (the feed is the ordered record), so there only the set is compared.
      await live.waitFor<FeedEvent>('event', (e) => e.id === events[events.length - 1].id, 10_000);
      // Then one more write: once its event is pushed, every push of the burst has had its chance; its
      // position shows the app serves writes normally after the burst.
      const after = await checkIn(app, { name: 'after-burst' });
      expect(after.position).toBe(waiting.length + 1);
      const afterEvent = await live.waitFor<FeedEvent>(
        'event',
        (e) => e.type === 'guest.checked_in' && e.data.guest!.id === after.id,
        10_000,
      );
      const liveIds = live
        .all<FeedEvent>('event')
        .map((e) => e.id)
        .filter((id) => id !== afterEvent.id);
      const feedIds = events.map((e) => e.id);
      if (ON_POSTGRES) expect([...liveIds].sort()).toEqual([...feedIds].sort());
      else expect(liveIds).toEqual(feedIds);
      socket.close();
    }, 60_000);
  },
);
