import { join } from 'node:path';
import { ADMIN_KEY, checkIn, DIST_DIR, removeDir, startApp, TestApp } from './support/app';

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
      while (reading) {
        const page = await app.http.get<{ data: FeedEvent[]; next: string }>(`/api/events?after=${cursor}&limit=500`, { token: ADMIN_KEY });
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
