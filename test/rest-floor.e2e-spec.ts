// Typed matchers: the global `expect.any()` is typed `any`, this one an AsymmetricMatcher.
import { expect } from '@jest/globals';
import { checkIn, createKey, removeDir, startApp, TableRow, tables, TestApp } from './support/app';
import type { Schemas } from './support/api-types';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: { field: string; message: string }[];
  requestId: string;
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

const UNKNOWN_TABLE = 'tbl_01JD5Z4Q2V8N7T3K9M6B1C0XYZ';

describe('REST: tables and availability', () => {
  let app: TestApp;
  let staffKey: string;

  beforeAll(async () => {
    app = await startApp();
    staffKey = await createKey(app, ['staff']);
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  async function table(id: string): Promise<TableRow> {
    return (await tables(app)).find((t) => t.id === id)!;
  }

  it('seeds the demo floor: twelve free tables, three each of 2, 4, 6 and 8 seats', async () => {
    const result = await app.http.get<TableRow[]>('/api/tables');
    expect(result.status).toBe(200);
    expect(result.body).toHaveLength(12);
    expect(result.body.every((t) => t.status === 'free')).toBe(true);
    const counts: Record<number, number> = {};
    for (const t of result.body) counts[t.capacity] = (counts[t.capacity] ?? 0) + 1;
    expect(counts).toEqual({ 2: 3, 4: 3, 6: 3, 8: 3 });
    for (const t of result.body) {
      expect(t.id).toMatch(/^tbl_[0-9A-Z]{26}$/);
      expect(typeof t.label).toBe('string');
    }
    expect(new Set(result.body.map((t) => t.label)).size).toBe(12);
    expect((await app.http.get('/api/guests?limit=500', { token: staffKey })).body).toEqual([]);
  });

  it('hides guestId from the public and shows it to staff', async () => {
    const publicView = await app.http.get<TableRow[]>('/api/tables');
    expect(publicView.body.every((t) => !('guestId' in t))).toBe(true);
    expect(Object.keys(publicView.body[0]).sort()).toEqual(['capacity', 'id', 'label', 'status']);
    // A wrong key on a public route is just the public view.
    const badKey = await app.http.get<TableRow[]>('/api/tables', { token: 'no-such-key-0123456789' });
    expect(badKey.status).toBe(200);
    expect(badKey.body.every((t) => !('guestId' in t))).toBe(true);

    const guest = await checkIn(app, { partySize: 2 });
    const target = publicView.body.find((t) => t.capacity === 2)!;
    expect((await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: target.id }, { token: staffKey })).status).toBe(200);

    const staffView = await app.http.get<TableRow[]>('/api/tables', { token: staffKey });
    expect(staffView.body.every((t) => 'guestId' in t)).toBe(true);
    expect(staffView.body.find((t) => t.id === target.id)).toMatchObject({ status: 'occupied', guestId: guest.id });
    const publicAfter = await app.http.get<TableRow[]>('/api/tables');
    expect(publicAfter.body.find((t) => t.id === target.id)).toEqual({
      id: target.id,
      label: target.label,
      capacity: 2,
      status: 'occupied',
    });
    const guestView = await app.http.get<TableRow[]>('/api/tables', { guestToken: guest.token });
    expect(guestView.body.every((t) => !('guestId' in t))).toBe(true);

    await app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: staffKey });
    await app.http.patch(`/api/tables/${target.id}`, { status: 'free' }, { token: staffKey });
  });

  describe('POST /api/tables', () => {
    it('creates a free table for admins', async () => {
      const result = await app.http.post<TableRow>('/api/tables', { label: '  Patio 1 ', capacity: 10 }, { token: app.adminKey });
      expect(result.status).toBe(201);
      expect(result.body).toEqual({
        id: expect.stringMatching(/^tbl_[0-9A-Z]{26}$/),
        label: 'Patio 1',
        capacity: 10,
        status: 'free',
        guestId: null,
      });
      expect(await table(result.body.id)).toMatchObject({ label: 'Patio 1', capacity: 10, status: 'free' });
      // It counts on the floor.
      const availability = await app.http.get<Availability>('/api/availability');
      expect(availability.body.byCapacity['10']).toMatchObject({ total: 1, free: 1 });
    });

    it('is admin only', async () => {
      const byStaff = await app.http.post<ErrorBody>('/api/tables', { label: 'X', capacity: 2 }, { token: staffKey });
      expect(byStaff.status).toBe(403);
      expect(byStaff.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect((await app.http.post('/api/tables', { label: 'X', capacity: 2 })).status).toBe(401);
    });

    it.each([
      ['label missing', { capacity: 2 }, 'label'],
      ['label empty', { label: ' ', capacity: 2 }, 'label'],
      ['capacity missing', { label: 'X' }, 'capacity'],
      ['capacity 0', { label: 'X', capacity: 0 }, 'capacity'],
      ['capacity 21', { label: 'X', capacity: 21 }, 'capacity'],
      ['capacity fractional', { label: 'X', capacity: 2.5 }, 'capacity'],
      ['capacity a string', { label: 'X', capacity: '4' }, 'capacity'],
      ['an unknown field', { label: 'X', capacity: 2, status: 'occupied' }, 'status'],
    ])('refuses %s with 400', async (_label, body, field) => {
      const before = (await tables(app)).length;
      const result = await app.http.post<ErrorBody>('/api/tables', body, { token: app.adminKey });
      expect(result.status).toBe(400);
      expect(result.body.details.map((d) => d.field)).toContain(field);
      expect((await tables(app)).length).toBe(before);
    });
  });

  describe('PATCH /api/tables/:id', () => {
    it('moves free → reserved → free and cleaning → free', async () => {
      const target = (await tables(app)).find((t) => t.capacity === 4 && t.status === 'free')!;
      const reserved = await app.http.patch(`/api/tables/${target.id}`, { status: 'reserved' }, { token: staffKey });
      expect(reserved.status).toBe(200);
      expect(reserved.body).toEqual({ ...target, status: 'reserved', guestId: null });
      expect((await table(target.id)).status).toBe('reserved');
      const freed = await app.http.patch<Schemas['TableResponse']>(
        `/api/tables/${target.id}`,
        { status: 'free' },
        { token: staffKey },
      );
      expect(freed.status).toBe(200);
      expect(freed.body.status).toBe('free');

      const guest = await checkIn(app, { partySize: 3 });
      await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: target.id }, { token: staffKey });
      await app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: staffKey });
      expect((await table(target.id)).status).toBe('cleaning');
      const cleaned = await app.http.patch(`/api/tables/${target.id}`, { status: 'free' }, { token: staffKey });
      expect(cleaned.status).toBe(200);
      expect(cleaned.body).toMatchObject({ status: 'free', guestId: null });
    });

    it('refuses to change an occupied table with 409 and a message', async () => {
      const target = (await tables(app)).find((t) => t.capacity === 6 && t.status === 'free')!;
      const guest = await checkIn(app, { partySize: 6 });
      await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: target.id }, { token: staffKey });
      for (const status of ['free', 'reserved', 'cleaning']) {
        const result = await app.http.patch<ErrorBody>(`/api/tables/${target.id}`, { status }, { token: staffKey });
        expect(result.status).toBe(409);
        expect(result.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
        expect(result.body.message).toMatch(/occupied/);
      }
      expect(await table(target.id)).toMatchObject({ status: 'occupied', guestId: guest.id });
      await app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: staffKey });
      await app.http.patch(`/api/tables/${target.id}`, { status: 'free' }, { token: staffKey });
    });

    it('refuses other illegal transitions with 409', async () => {
      const target = (await tables(app)).find((t) => t.capacity === 8 && t.status === 'free')!;
      const toCleaning = await app.http.patch<ErrorBody>(`/api/tables/${target.id}`, { status: 'cleaning' }, { token: staffKey });
      expect(toCleaning.status).toBe(409);
      expect(toCleaning.body.message.length).toBeGreaterThan(10);
      expect((await table(target.id)).status).toBe('free');
    });

    it.each([
      ['occupied (not staff-settable)', { status: 'occupied' }, 'status'],
      ['an unknown status', { status: 'dirty' }, 'status'],
      ['no status', {}, 'status'],
      ['an unknown field', { status: 'free', capacity: 4 }, 'capacity'],
    ])('refuses %s with 400', async (_label, body, field) => {
      const target = (await tables(app))[0];
      const result = await app.http.patch<ErrorBody>(`/api/tables/${target.id}`, body, { token: staffKey });
      expect(result.status).toBe(400);
      expect(result.body.details.map((d) => d.field)).toContain(field);
    });

    it('answers 404 for an unknown table and needs staff', async () => {
      const unknown = await app.http.patch<ErrorBody>(`/api/tables/${UNKNOWN_TABLE}`, { status: 'free' }, { token: staffKey });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      const target = (await tables(app))[0];
      expect((await app.http.patch(`/api/tables/${target.id}`, { status: 'reserved' })).status).toBe(401);
      const offersKey = await createKey(app, ['offers']);
      expect((await app.http.patch(`/api/tables/${target.id}`, { status: 'reserved' }, { token: offersKey })).status).toBe(403);
      expect((await table(target.id)).status).toBe('free');
    });
  });

  describe('GET /api/availability', () => {
    it('has exactly the contract shape and follows a seating', async () => {
      const before = await app.http.get<Availability>('/api/availability');
      expect(before.status).toBe(200);
      expect(Object.keys(before.body).sort()).toEqual(['byCapacity', 'free', 'tables', 'total', 'waiting']);
      const floor = await tables(app);
      expect(before.body.total).toBe(floor.length);
      expect(before.body.free).toBe(floor.filter((t) => t.status === 'free').length);
      expect(Object.keys(before.body.byCapacity).sort()).toEqual([...new Set(floor.map((t) => String(t.capacity)))].sort());
      for (const [capacity, entry] of Object.entries(before.body.byCapacity)) {
        expect(Object.keys(entry).sort()).toEqual(['estimatedWaitMinutes', 'estimatedWaitRange', 'free', 'total']);
        expect(entry.total).toBe(floor.filter((t) => String(t.capacity) === capacity).length);
        expect(entry.free).toBe(floor.filter((t) => String(t.capacity) === capacity && t.status === 'free').length);
        expect(Number.isInteger(entry.estimatedWaitMinutes)).toBe(true);
      }
      for (const t of before.body.tables) {
        expect(Object.keys(t).sort()).toEqual(['capacity', 'id', 'label', 'status']);
      }
      expect(before.body.tables.map((t) => t.id).sort()).toEqual(floor.map((t) => t.id).sort());

      const waitingBefore = before.body.waiting;
      const guest = await checkIn(app, { partySize: 2 });
      const afterCheckIn = await app.http.get<Availability>('/api/availability');
      expect(afterCheckIn.body.waiting).toBe(waitingBefore + 1);

      const target = floor.find((t) => t.capacity === 2 && t.status === 'free')!;
      await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: target.id }, { token: staffKey });
      const after = await app.http.get<Availability>('/api/availability');
      expect(after.body.free).toBe(before.body.free - 1);
      expect(after.body.waiting).toBe(waitingBefore);
      expect(after.body.byCapacity['2'].free).toBe(before.body.byCapacity['2'].free - 1);
      expect(after.body.byCapacity['2'].total).toBe(before.body.byCapacity['2'].total);
      expect(after.body.tables.find((t) => t.id === target.id)!.status).toBe('occupied');

      await app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: staffKey });
      await app.http.patch(`/api/tables/${target.id}`, { status: 'free' }, { token: staffKey });
    });

    it('estimates the wait for a new party per class from who is waiting', async () => {
      const base = (await app.http.get<Availability>('/api/availability')).body;
      expect(base.waiting).toBe(0);
      expect(base.byCapacity['8'].estimatedWaitMinutes).toBe(0);
      // Fewer than five finished seatings in this file, so the turn is the 45 min default (plus 5 of cleaning).
      const waiting = [];
      for (const partySize of [7, 8, 8, 8]) waiting.push(await checkIn(app, { partySize }));
      const after = (await app.http.get<Availability>('/api/availability')).body;
      // The four waiting parties would take the three free 8-seat tables and the 10-seat one: a newcomer of 8
      // waits for the first of those four to turn, sooner than one mean turn plus cleaning (50).
      const eight = after.byCapacity['8'];
      expect(eight.estimatedWaitMinutes).toBeGreaterThan(20);
      expect(eight.estimatedWaitMinutes).toBeLessThan(50);
      expect(eight.estimatedWaitRange.low).toBeLessThanOrEqual(eight.estimatedWaitMinutes);
      expect(eight.estimatedWaitRange.high).toBeGreaterThanOrEqual(eight.estimatedWaitMinutes);
      expect(after.byCapacity['2'].estimatedWaitMinutes).toBe(0);
      for (const guest of waiting) await app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: staffKey });
    });
  });
});

describe('REST: SEED_DEMO=false', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({ SEED_DEMO: 'false' });
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it('starts with no tables', async () => {
    expect((await app.http.get('/api/tables')).body).toEqual([]);
    const availability = await app.http.get<Availability>('/api/availability');
    expect(availability.body).toEqual({ total: 0, free: 0, waiting: 0, byCapacity: {}, tables: [] });
  });

  it('a check-in on an empty floor has a position but no quote', async () => {
    const guest = await checkIn(app, { partySize: 2 });
    expect(guest.position).toBe(1);
    expect(guest.quotedWaitMinutes).toBeNull();
  });
});
