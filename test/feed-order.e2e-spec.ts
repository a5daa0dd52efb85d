import { join } from 'node:path';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { ADMIN_KEY, checkIn, DIST_DIR, ON_POSTGRES, removeDir, startApp, TestApp, testDatabaseUrl } from './support/app';
import { connect, Recorder } from './support/sockets';
import { waitFor } from './support/wait';

/**
 * The feed's promise under overlapping transactions: a slow unit of work records an event and
 * holds its transaction open while faster ones record theirs (one of them a real check-in over
 * HTTP). On PostgreSQL transactions may commit out of id order; a reader polling the feed the
 * whole time must still never get a fast event before the slow one (its cursor would then pass
 * an event that commits later, which it would skip forever), and must see each event once.
 */

/* eslint-disable @typescript-eslint/no-require-imports */
const { EventsService } = require(join(DIST_DIR, 'events', 'events.service')) as typeof import('../src/events/events.service');
const { UnitOfWork } = require(join(DIST_DIR, 'database', 'unit-of-work')) as typeof import('../src/database/unit-of-work');
/* eslint-enable @typescript-eslint/no-require-imports */

jest.setTimeout(30_000);

const SLOW_MS = 500;

interface FeedEvent {
  id: string;
  type: string;
  data: { table?: { id: string }; guest?: { id: string } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('event feed: commit order under overlapping slow and fast transactions', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({ SEED_DEMO: 'false' });
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it('never hands a reader a fast event before a slower transaction’s earlier one, and never skips one', async () => {
    const events = app.nest.get(EventsService);
    const uow = app.nest.get(UnitOfWork);
    /** An event of our own making: a table status change with a recognisable table id. */
    const record = (label: string) => (tx: import('../src/database/unit-of-work').Tx) =>
      events.record(tx, 'table.status_changed', {
        table: { id: label, label, capacity: 2, status: 'reserved', guestId: null },
        previousStatus: 'free',
      });

    const start = await checkIn(app, { name: 'Before' });
    const initial = await app.http.get<{ data: FeedEvent[]; next: string }>('/api/events', { token: ADMIN_KEY });
    const cursor0 = initial.body.next;
    expect(initial.body.data.some((e) => e.data.guest?.id === start.id)).toBe(true);

    // The reader: follows the feed from cursor0 as fast as it can until told to stop.
    const seen: FeedEvent[] = [];
    let reading = true;
    let polls = 0;
    const reader = (async () => {
      let cursor = cursor0;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `reading` is cleared below while this loop awaits.
      while (reading) {
        const page = await app.http.get<{ data: FeedEvent[]; next: string }>(`/api/events?after=${cursor}&limit=500`, {
          token: ADMIN_KEY,
        });
        expect(page.status).toBe(200);
        seen.push(...page.body.data);
        cursor = page.body.next;
        polls++;
        await sleep(5);
      }
    })();

    // The slow one records first, then keeps its transaction open.
    let recorded!: () => void;
    const slowRecorded = new Promise<void>((resolve) => (recorded = resolve));
    const slow = uow.run(async (tx) => {
      const event = await record('slow')(tx);
      recorded();
      await sleep(SLOW_MS);
      return event;
    });
    await slowRecorded;
    // Fast ones begin while the slow one is open: in-process units of work and a real check-in.
    const fast = [
      uow.run(record('fast-1')),
      (async () => {
        await sleep(100);
        return checkIn(app, { name: 'Fast over HTTP' });
      })(),
      (async () => {
        await sleep(200);
        return uow.run(record('fast-2'));
      })(),
    ];
    const [slowEvent, fast1, fastGuest, fast2] = await Promise.all([slow, ...fast]);
    // Let the reader catch up with everything committed, then stop it.
    await sleep(150);
    reading = false;
    await reader;

    const feed = await app.http.get<{ data: FeedEvent[] }>(`/api/events?after=${cursor0}&limit=500`, { token: ADMIN_KEY });
    const finalOrder = feed.body.data.map((e) => e.id);
    const fastIds = [
      (fast1 as { id: string }).id,
      (fast2 as { id: string }).id,
      feed.body.data.find((e) => e.data.guest?.id === (fastGuest as { id: string }).id)!.id,
    ];
    // The feed holds all four, the slow one first: the others could only commit after it.
    expect(finalOrder).toHaveLength(4);
    expect(finalOrder[0]).toBe((slowEvent as { id: string }).id);
    expect(new Set(finalOrder.slice(1))).toEqual(new Set(fastIds));

    // The reader saw exactly that sequence, each event once: nothing early, nothing skipped.
    expect(seen.map((e) => e.id)).toEqual(finalOrder);
    expect(polls).toBeGreaterThan(5);
  });
});

/**
 * PostgreSQL only (SQLite runs one unit of work at a time, so a later one cannot commit while an
 * earlier one is open): without a global lock, a later transaction commits while an earlier one
 * that already wrote is still open. The feed, the cursor it hands out and the live tail must hold
 * the later event back until the earlier transaction has ended, however it ends.
 */
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('event feed on PostgreSQL: commit order read from transaction ids, not enforced by a lock', () => {
  let app: TestApp;
  let staffSocket: Socket;
  let live: Recorder;

  beforeAll(async () => {
    app = await startApp({ SEED_DEMO: 'false' });
    staffSocket = await connect(app.baseUrl, '/staff', { token: ADMIN_KEY });
    live = new Recorder(staffSocket, ['event']);
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    staffSocket?.close();
    await app.close();
    removeDir(app.dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  const tableEvent = (label: string) => (tx: import('../src/database/unit-of-work').Tx) =>
    app.nest.get(EventsService).record(tx, 'table.status_changed', {
      table: { id: label, label, capacity: 2, status: 'reserved', guestId: null },
      previousStatus: 'free',
    });

  async function feedAfter(cursor: string): Promise<{ data: FeedEvent[]; next: string }> {
    const page = await app.http.get<{ data: FeedEvent[]; next: string }>(`/api/events?after=${cursor}&limit=500`, {
      token: ADMIN_KEY,
    });
    expect(page.status).toBe(200);
    return page.body;
  }

  /** Whether the row is committed, read around the feed (so the test knows the feed is what hides it). */
  async function committed(id: string): Promise<boolean> {
    const rows = await app.nest
      .get(UnitOfWork)
      .read((manager) => manager.query<unknown[]>('SELECT 1 FROM events WHERE id = $1', [id]));
    return rows.length === 1;
  }

  /**
   * Opens a unit of work that runs `firstWrite` and then waits, inside its transaction, until the
   * returned `end` is called; `end(false)` rolls it back.
   */
  async function holdOpen(firstWrite: (tx: import('../src/database/unit-of-work').Tx) => Promise<unknown>) {
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    let finish!: (commit: boolean) => void;
    const ending = new Promise<boolean>((resolve) => (finish = resolve));
    const done = app.nest
      .get(UnitOfWork)
      .run(async (tx) => {
        const result = await firstWrite(tx);
        written();
        if (!(await ending)) throw new Error('rolled back on purpose');
        return result;
      })
      .catch((error: unknown) => error);
    await wrote;
    return { end: (commit: boolean) => finish(commit), done };
  }

  /** Runs a unit of work to its commit; fails (instead of hanging) when it cannot commit while another is open. */
  async function commitsWhileOpen<T>(work: Promise<T>, release: () => void): Promise<T> {
    const outcome = await Promise.race([
      work.then((value) => ({ value })),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
    ]);
    if (outcome === null) release();
    expect(outcome).not.toBeNull();
    return outcome!.value;
  }

  it('holds a later-committed event back until the earlier transaction commits, then serves both in order', async () => {
    await checkIn(app, { name: 'Before' });
    const cursor0 = (await app.http.get<{ next: string }>('/api/events', { token: ADMIN_KEY })).body.next;
    const earlier = await holdOpen(tableEvent('earlier'));
    const later = await commitsWhileOpen(app.nest.get(UnitOfWork).run(tableEvent('later')), () => earlier.end(true));

    // The later event has committed, but the earlier transaction is still open: neither is served,
    // and the cursor handed out stays where it was (a cursor past `later` would skip `earlier`).
    expect(await committed(later.id)).toBe(true);
    const whileOpen = await feedAfter(cursor0);
    expect(whileOpen.data.map((e) => e.id)).toEqual([]);
    expect(whileOpen.next).toBe(cursor0);
    expect((await app.nest.get(EventsService).tail({ after: cursor0, limit: 500 })).held).toBe(true);
    expect(await app.nest.get(EventsService).latestId()).toBe(cursor0);

    earlier.end(true);
    const earlierEvent = (await earlier.done) as { id: string };
    const after = await waitFor(
      async () => {
        const page = await feedAfter(cursor0);
        return page.data.length >= 2 && page;
      },
      { label: 'both events in the feed' },
    );
    expect(after.data.map((e) => e.id)).toEqual([earlierEvent.id, later.id]);
    // The live tail pushed them in the same order, each once.
    await live.waitFor<FeedEvent>('event', (e) => e.id === later.id);
    const pushed = live
      .all<FeedEvent>('event')
      .map((e) => e.id)
      .filter((id) => id === earlierEvent.id || id === later.id);
    expect(pushed).toEqual([earlierEvent.id, later.id]);
  });

  it('releases held events by itself when the transaction holding them back ends without an event (rolled back)', async () => {
    const cursor0 = (await app.http.get<{ next: string }>('/api/events', { token: ADMIN_KEY })).body.next;
    // A transaction that writes (so it has an id) but records no event, and then rolls back: nothing
    // notifies anyone when it ends.
    const blocker = await holdOpen((tx) => tx.manager.query('SELECT pg_current_xact_id()'));
    const later = await commitsWhileOpen(app.nest.get(UnitOfWork).run(tableEvent('after-rollback')), () => blocker.end(false));
    expect(await committed(later.id)).toBe(true);
    expect((await feedAfter(cursor0)).data).toEqual([]);
    expect(live.all<FeedEvent>('event').some((e) => e.id === later.id)).toBe(false);

    blocker.end(false);
    expect(await blocker.done).toBeInstanceOf(Error);
    // No further change happens: the live tail must look again by itself.
    await live.waitFor<FeedEvent>('event', (e) => e.id === later.id, 10_000);
    expect((await feedAfter(cursor0)).data.map((e) => e.id)).toEqual([later.id]);
  });

  it('is not held back by a transaction open in another database of the same server', async () => {
    await checkIn(app, { name: 'Before' });
    const cursor0 = (await app.http.get<{ next: string }>('/api/events', { token: ADMIN_KEY })).body.next;
    // The server's maintenance database: a transaction there, with an id, older than the event below.
    const elsewhere = new URL(await testDatabaseUrl(app.dir));
    elsewhere.pathname = '/postgres';
    const other = new Client({ connectionString: elsewhere.toString() });
    await other.connect();
    try {
      await other.query('BEGIN');
      const [{ xid }] = (await other.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows;
      const event = await app.nest.get(UnitOfWork).run(tableEvent('beside-another-database'));
      // It is served while that transaction is still open (our own background work may hold it a moment).
      const page = await waitFor(
        async () => {
          const result = await feedAfter(cursor0);
          return result.data.some((e) => e.id === event.id) && result;
        },
        { timeoutMs: 5_000, label: 'the event in the feed beside the other database’s open transaction' },
      );
      expect(page.data.map((e) => e.id)).toContain(event.id);
      // The other transaction really was older and still open: the server-wide xmin is at or below it.
      const [{ open, xmin }] = (
        await other.query<{ open: string; xmin: string }>(
          'SELECT pg_current_xact_id()::text AS open, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
        )
      ).rows;
      expect(open).toBe(xid);
      expect(BigInt(xmin)).toBeLessThanOrEqual(BigInt(xid));
      expect(await app.nest.get(EventsService).latestId()).toBe(event.id);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
  });
});
