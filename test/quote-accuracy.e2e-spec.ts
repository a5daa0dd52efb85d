import { checkIn, CheckedIn, clockOf, createKey, removeDir, startApp, tempDir, TestApp } from './support/app';

/**
 * Quotes that keep their word: the quote at check-in is kept on the guest, the actual wait is
 * stored when seated, and GET /api/waitlist/accuracy adds them up. Time is moved on the app's
 * Clock, so "waited 70 minutes" takes no time at all.
 */
const MINUTE = 60_000;

interface Guest extends CheckedIn {
  quotedWaitMinutes: number | null;
  quotedWaitAtCheckIn: number | null;
  actualWaitMinutes: number | null;
  quotedWaitRange: { low: number; high: number } | null;
}

describe('quote accuracy: kept quotes, actual waits and GET /api/waitlist/accuracy', () => {
  let app: TestApp;
  let staffKey: string;
  let table4: string;

  const seat = async (guest: { id: string }, tableId: string): Promise<Guest> => {
    const result = await app.http.post<Guest>(`/api/guests/${guest.id}/seat`, { tableId }, { token: staffKey });
    expect(result.status).toBe(200);
    return result.body;
  };
  const finishAndFree = async (guest: { id: string }, tableId: string) => {
    expect((await app.http.post(`/api/guests/${guest.id}/leave`, { reason: 'finished' }, { token: staffKey })).status).toBe(200);
    expect((await app.http.patch(`/api/tables/${tableId}`, { status: 'free' }, { token: staffKey })).status).toBe(200);
  };
  const accuracy = (query = '') =>
    app.http.get<{ details?: { field: string }[] } & Record<string, unknown>>(`/api/waitlist/accuracy${query}`, {
      token: staffKey,
    });

  beforeAll(async () => {
    // One 4-seat table and the single forward play, so every quote below follows by hand from the
    // default 45-minute turn plus 5 minutes of cleaning (the route's arithmetic is the point here).
    app = await startApp({ SEED_DEMO: 'false', DEFAULT_TURN_MINUTES: '45', WAIT_ESTIMATOR: 'forward' }, tempDir());
    staffKey = await createKey(app, ['staff']);
    const created = await app.http.post<{ id: string }>('/api/tables', { label: 'T4', capacity: 4 }, { token: app.adminKey });
    expect(created.status).toBe(201);
    table4 = created.body.id;
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it('reports nulls before anybody was seated', async () => {
    const empty = await accuracy();
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      seated: 0,
      meanAbsoluteErrorMinutes: null,
      withinFiveMinutesShare: null,
      underQuotedShare: null,
      byCapacity: {},
    });
  });

  it('keeps the check-in quote, stores the actual wait and adds them up over the seated guests', async () => {
    const startedAt = clockOf(app).iso();

    // A sits down at once: quoted 0, waited 0.
    const a = (await checkIn(app, { name: 'A', partySize: 4 })) as Guest;
    expect(a).toMatchObject({
      quotedWaitMinutes: 0,
      quotedWaitAtCheckIn: 0,
      actualWaitMinutes: null,
      quotedWaitRange: { low: 0, high: 0 },
    });
    expect((await seat(a, table4)).actualWaitMinutes).toBe(0);

    // B waits for A's table: the rest of a 45-minute turn plus cleaning.
    const b = (await checkIn(app, { name: 'B', partySize: 2 })) as Guest;
    expect(b).toMatchObject({ quotedWaitMinutes: 50, quotedWaitAtCheckIn: 50 });
    expect(b.quotedWaitRange).toEqual({ low: 34, high: 71 });

    // Half an hour on, the current quote has come down; the check-in quote is kept.
    clockOf(app).advance(30 * MINUTE);
    const bLater = await app.http.get<Guest>(`/api/guests/${b.id}`, { token: staffKey });
    expect(bLater.body).toMatchObject({ quotedWaitMinutes: 20, quotedWaitAtCheckIn: 50, actualWaitMinutes: null });

    // A lingers: B is seated after 70 minutes, 20 more than quoted (under-quoted).
    clockOf(app).advance(40 * MINUTE);
    await finishAndFree(a, table4);
    const bSeated = await seat(b, table4);
    expect(bSeated).toMatchObject({
      status: 'seated',
      quotedWaitMinutes: null,
      quotedWaitRange: null,
      quotedWaitAtCheckIn: 50,
      actualWaitMinutes: 70,
    });
    const afterA = clockOf(app).iso(-60 * MINUTE);

    // C checks in as B sits down, is quoted 50 and waits 45: within five minutes, not under-quoted.
    const c = (await checkIn(app, { name: 'C', partySize: 3 })) as Guest;
    expect(c.quotedWaitAtCheckIn).toBe(50);
    clockOf(app).advance(45 * MINUTE);
    await finishAndFree(b, table4);
    expect((await seat(c, table4)).actualWaitMinutes).toBe(45);

    // D, a couple, at a 2-seat table added later: quoted 0, seated 3 minutes on (under-quoted, within five).
    const t2 = await app.http.post<{ id: string }>('/api/tables', { label: 'T2', capacity: 2 }, { token: app.adminKey });
    const d = (await checkIn(app, { name: 'D', partySize: 2 })) as Guest;
    expect(d.quotedWaitAtCheckIn).toBe(0);
    clockOf(app).advance(3 * MINUTE);
    expect((await seat(d, t2.body.id)).actualWaitMinutes).toBe(3);

    // Errors 0, 20, 5 at the 4-seat table and 3 at the 2-seat one.
    const all = await accuracy();
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      seated: 4,
      meanAbsoluteErrorMinutes: 7,
      withinFiveMinutesShare: 0.75,
      underQuotedShare: 0.5,
      byCapacity: { '2': { seated: 1, meanAbsoluteErrorMinutes: 3 }, '4': { seated: 3, meanAbsoluteErrorMinutes: 8.33 } },
    });
    expect((await accuracy(`?since=${encodeURIComponent(startedAt)}`)).body).toEqual(all.body);

    // Since after A was seated: B, C and D.
    const sinceB = await accuracy(`?since=${encodeURIComponent(afterA)}`);
    expect(sinceB.body).toEqual({
      seated: 3,
      meanAbsoluteErrorMinutes: 9.33,
      withinFiveMinutesShare: 0.6667,
      underQuotedShare: 0.6667,
      byCapacity: { '2': { seated: 1, meanAbsoluteErrorMinutes: 3 }, '4': { seated: 2, meanAbsoluteErrorMinutes: 12.5 } },
    });
    // The same instant with an offset instead of Z.
    const offset = new Date(Date.parse(afterA) + 2 * 60 * MINUTE).toISOString().replace('Z', '+02:00');
    expect((await accuracy(`?since=${encodeURIComponent(offset)}`)).body).toEqual(sinceB.body);

    // In the future: nobody.
    const future = await accuracy(`?since=${encodeURIComponent(clockOf(app).iso(60 * MINUTE))}`);
    expect(future.body).toEqual({
      seated: 0,
      meanAbsoluteErrorMinutes: null,
      withinFiveMinutesShare: null,
      underQuotedShare: null,
      byCapacity: {},
    });
  });

  it('carries the kept quote and the actual wait in the event data', async () => {
    const feed = await app.http.get<{ data: { type: string; data: { guest: Guest } }[] }>('/api/events?limit=500', {
      token: staffKey,
    });
    const checkedIn = feed.body.data.filter((e) => e.type === 'guest.checked_in').map((e) => e.data.guest);
    expect(checkedIn.map((g) => [g.name, g.quotedWaitAtCheckIn, g.actualWaitMinutes])).toEqual([
      ['A', 0, null],
      ['B', 50, null],
      ['C', 50, null],
      ['D', 0, null],
    ]);
    expect(checkedIn[1].quotedWaitRange).toEqual({ low: 34, high: 71 });
    const seated = feed.body.data.filter((e) => e.type === 'guest.seated').map((e) => e.data.guest);
    expect(seated.map((g) => [g.name, g.quotedWaitAtCheckIn, g.actualWaitMinutes])).toEqual([
      ['A', 0, 0],
      ['B', 50, 70],
      ['C', 50, 45],
      ['D', 0, 3],
    ]);
  });

  it.each([
    ['yesterday'],
    ['2026-12-01'],
    ['2026-12-01T18:00:00'],
    ['2026-13-01T18:00:00Z'],
    ['2026-02-30T18:00:00Z'],
    ['1733000000'],
    [''],
  ])('answers 400 naming since for since=%j', async (since) => {
    const result = await accuracy(`?since=${encodeURIComponent(since)}`);
    expect(result.status).toBe(400);
    expect(result.body.details).toEqual([expect.objectContaining({ field: 'since' })]);
  });

  it('is for staff only', async () => {
    expect((await app.http.get('/api/waitlist/accuracy')).status).toBe(401);
    const offersKey = await createKey(app, ['offers']);
    expect((await app.http.get('/api/waitlist/accuracy', { token: offersKey })).status).toBe(403);
  });
});

describe('WAIT_ESTIMATOR', () => {
  it('refuses an unknown estimator at boot, naming the variable', async () => {
    const dir = tempDir();
    await expect(startApp({ WAIT_ESTIMATOR: 'psychic' }, dir)).rejects.toThrow(
      /WAIT_ESTIMATOR must be one of simple, forward, sampled/,
    );
    removeDir(dir);
  });

  it('still quotes with the first estimator when asked: parties ahead in the class × turn / tables', async () => {
    const simple = await startApp({ WAIT_ESTIMATOR: 'simple' });
    const byDefault = await startApp();
    try {
      const quotes = async (target: TestApp) => {
        const line: number[] = [];
        for (let i = 0; i < 3; i += 1) line.push(((await checkIn(target, { partySize: 2 })) as Guest).quotedWaitAtCheckIn!);
        return line;
      };
      // Three 2-seat tables (and nine larger ones) are free on the demo floor.
      expect(await quotes(simple)).toEqual([0, 15, 30]);
      expect(await quotes(byDefault)).toEqual([0, 0, 0]);
    } finally {
      await simple.close();
      await byDefault.close();
      removeDir(simple.dir);
      removeDir(byDefault.dir);
    }
  });

  it('samples the play by default: the median of many meals, not one mean meal', async () => {
    const start = async (env: Record<string, string>) => {
      const target = await startApp({ SEED_DEMO: 'false', ...env });
      const table = await target.http.post<{ id: string }>(
        '/api/tables',
        { label: 'T4', capacity: 4 },
        { token: target.adminKey },
      );
      const first = await checkIn(target, { partySize: 4 });
      expect(
        (await target.http.post(`/api/guests/${first.id}/seat`, { tableId: table.body.id }, { token: target.adminKey })).status,
      ).toBe(200);
      return { target, next: (await checkIn(target, { partySize: 2 })) as Guest };
    };
    const forward = await start({ WAIT_ESTIMATOR: 'forward' });
    const sampled = await start({});
    try {
      // One mean 45-minute meal plus cleaning, against the median of log-normal meals around 45 (a little shorter).
      expect(forward.next.quotedWaitAtCheckIn).toBe(50);
      expect(sampled.next.quotedWaitAtCheckIn).toBeGreaterThanOrEqual(44);
      expect(sampled.next.quotedWaitAtCheckIn).toBeLessThan(50);
      expect(sampled.next.quotedWaitRange!.low).toBeLessThan(40);
      expect(sampled.next.quotedWaitRange!.high).toBeGreaterThan(60);
    } finally {
      for (const { target } of [forward, sampled]) {
        await target.close();
        removeDir(target.dir);
      }
    }
  });
});
