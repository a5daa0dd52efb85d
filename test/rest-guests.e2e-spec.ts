import { checkIn, CheckedIn, createKey, freeTable, removeDir, startApp, tables, TestApp } from './support/app';
import { expect } from '@jest/globals';
import type { Schemas } from './support/api-types';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: { field: string; message: string }[];
  requestId: string;
}

interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
  /** Every event asked for here is a guest event. */
  data: { guest: { id: string; [field: string]: unknown }; [field: string]: unknown };
}

function fields(body: ErrorBody): string[] {
  return body.details.map((detail) => detail.field);
}

describe('REST: guests', () => {
  let app: TestApp;
  let staffKey: string;
  let offersKey: string;

  beforeAll(async () => {
    app = await startApp();
    staffKey = await createKey(app, ['staff']);
    offersKey = await createKey(app, ['offers']);
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  async function events(type: string): Promise<FeedEvent[]> {
    const result = await app.http.get<{ data: FeedEvent[] }>(`/api/events?types=${type}&limit=500`, { token: staffKey });
    expect(result.status).toBe(200);
    return result.body.data;
  }

  async function leaveAll(): Promise<void> {
    const waiting = await app.http.get<CheckedIn[]>('/api/guests?status=waiting&limit=500', { token: staffKey });
    for (const guest of waiting.body) {
      const left = await app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/leave`, {}, { token: staffKey });
      expect(left.status).toBe(200);
    }
  }

  describe('check-in', () => {
    it('accepts every field and answers 201 with the full Guest and a token', async () => {
      const result = await app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', {
        name: 'Clara',
        partySize: 4,
        email: 'clara@example.com',
        phone: '+4915112345678',
        marketingOptIn: true,
        notes: 'Window seat, please',
      });
      expect(result.status).toBe(201);
      expect(result.body).toEqual({
        id: expect.stringMatching(/^gst_[0-9A-Z]{26}$/),
        token: expect.any(String),
        name: 'Clara',
        partySize: 4,
        email: 'clara@example.com',
        phone: '+4915112345678',
        marketingOptIn: true,
        notes: 'Window seat, please',
        status: 'waiting',
        position: expect.any(Number),
        quotedWaitMinutes: expect.any(Number),
        tableId: null,
        checkedInAt: expect.any(String),
        seatedAt: null,
        leftAt: null,
        leftReason: null,
        paid: false,
        quotedWaitAtCheckIn: result.body.quotedWaitMinutes,
        actualWaitMinutes: null,
        quotedWaitRange: { low: expect.any(Number), high: expect.any(Number) },
        notifiedAt: null,
        holdUntil: null,
        heldTableId: null,
        confirmedAt: null,
        erasedAt: null,
      });
      expect(new Date(result.body.checkedInAt).toISOString()).toBe(result.body.checkedInAt);
      expect(result.body.token.length).toBeGreaterThanOrEqual(32);
    });

    it('fills defaults for the optional fields', async () => {
      const result = await app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', { name: 'Dan', partySize: 1 });
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({ email: null, phone: null, marketingOptIn: false, notes: null });
    });

    it('trims the name and the email', async () => {
      const result = await app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', {
        name: '  Eve  ',
        partySize: 2,
        email: '  eve@example.com ',
      });
      expect(result.status).toBe(201);
      expect(result.body.name).toBe('Eve');
      expect(result.body.email).toBe('eve@example.com');
    });

    it.each([
      ['name missing', { partySize: 2 }, 'name'],
      ['name empty', { name: '', partySize: 2 }, 'name'],
      ['name only spaces', { name: '    ', partySize: 2 }, 'name'],
      ['name 81 characters', { name: 'x'.repeat(81), partySize: 2 }, 'name'],
      ['name not a string', { name: 42, partySize: 2 }, 'name'],
      ['partySize missing', { name: 'A' }, 'partySize'],
      ['partySize 0', { name: 'A', partySize: 0 }, 'partySize'],
      ['partySize 21', { name: 'A', partySize: 21 }, 'partySize'],
      ['partySize fractional', { name: 'A', partySize: 2.5 }, 'partySize'],
      ['partySize a string', { name: 'A', partySize: '2' }, 'partySize'],
      ['email not an address', { name: 'A', partySize: 2, email: 'not-an-email' }, 'email'],
      ['phone not E.164', { name: 'A', partySize: 2, phone: '0151 1234567' }, 'phone'],
      ['phone without plus', { name: 'A', partySize: 2, phone: '4915112345678' }, 'phone'],
      ['phone too long', { name: 'A', partySize: 2, phone: '+1234567890123456' }, 'phone'],
      ['marketingOptIn a string', { name: 'A', partySize: 2, marketingOptIn: 'yes' }, 'marketingOptIn'],
      ['notes 501 characters', { name: 'A', partySize: 2, notes: 'n'.repeat(501) }, 'notes'],
      ['an unknown field', { name: 'A', partySize: 2, vip: true }, 'vip'],
    ])('refuses %s with 400 naming the field', async (_label, body, field) => {
      const result = await app.http.post<ErrorBody>('/api/guests', body);
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
      expect(fields(result.body)).toContain(field);
      expect(result.body.requestId).toBe(result.headers.get('x-request-id'));
    });

    it('accepts the edges of each rule', async () => {
      const result = await app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', {
        name: 'x'.repeat(80),
        partySize: 20,
        phone: '+123456789012345',
        notes: 'n'.repeat(500),
      });
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({ partySize: 20, phone: '+123456789012345' });
      const small = await app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', { name: 'x', partySize: 1 });
      expect(small.status).toBe(201);
    });

    it.each([
      ['an array', '[]'],
      ['a string', '"x"'],
      ['null', 'null'],
      ['a number', '42'],
    ])('refuses %s as the body with 400', async (_label, raw) => {
      const result = await app.http.request<ErrorBody>('POST', '/api/guests', { raw });
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(fields(result.body)).toContain('body');
    });

    it('refuses a missing body with 400 naming the required fields', async () => {
      const result = await app.http.post<ErrorBody>('/api/guests');
      expect(result.status).toBe(400);
      expect(fields(result.body)).toEqual(expect.arrayContaining(['name', 'partySize']));
    });

    it('refuses malformed JSON with 400 naming the body', async () => {
      const result = await app.http.request<ErrorBody>('POST', '/api/guests', { raw: '{"name": "A", partySize: 2' });
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ statusCode: 400, error: 'Bad Request', requestId: expect.any(String) });
      expect(result.body.details).toEqual([{ field: 'body', message: expect.any(String) }]);
    });

    it('refuses a body over 64 KiB with 413', async () => {
      const raw = JSON.stringify({ name: 'A', partySize: 2, notes: 'n'.repeat(70 * 1024) });
      const result = await app.http.request<ErrorBody>('POST', '/api/guests', { raw });
      expect(result.status).toBe(413);
      expect(result.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', requestId: expect.any(String) });
    });
  });

  describe('reading guests', () => {
    it('lists guests oldest check-in first, filtered by status and limited', async () => {
      await leaveAll();
      const a = await checkIn(app, { name: 'List A' });
      const b = await checkIn(app, { name: 'List B' });
      const c = await checkIn(app, { name: 'List C' });
      const table = await freeTable(app, 2);
      expect(
        (await app.http.post<Schemas['GuestResponse']>(`/api/guests/${b.id}/seat`, { tableId: table.id }, { token: staffKey }))
          .status,
      ).toBe(200);

      const waiting = await app.http.get<CheckedIn[]>('/api/guests?status=waiting', { token: staffKey });
      expect(waiting.status).toBe(200);
      expect(waiting.body.map((guest) => guest.id)).toEqual([a.id, c.id]);
      expect(waiting.body.every((guest) => guest.status === 'waiting')).toBe(true);
      expect(waiting.body.every((guest) => !('token' in guest))).toBe(true);

      const seated = await app.http.get<CheckedIn[]>('/api/guests?status=seated', { token: staffKey });
      expect(seated.body.map((guest) => guest.id)).toContain(b.id);
      expect(seated.body.every((guest) => guest.status === 'seated')).toBe(true);

      const left = await app.http.get<CheckedIn[]>('/api/guests?status=left', { token: staffKey });
      expect(left.body.length).toBeGreaterThan(0);
      expect(left.body.every((guest) => guest.status === 'left')).toBe(true);

      const all = await app.http.get<CheckedIn[]>('/api/guests?limit=500', { token: staffKey });
      const times = all.body.map((guest) => guest.checkedInAt as string);
      expect([...times].sort()).toEqual(times);
      const ids = all.body.map((guest) => guest.id);
      expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id));
      expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(c.id));

      const limited = await app.http.get<CheckedIn[]>('/api/guests?limit=2', { token: staffKey });
      expect(limited.status).toBe(200);
      expect(limited.body.map((guest) => guest.id)).toEqual(ids.slice(0, 2));

      await app.http.post<Schemas['GuestResponse']>(`/api/guests/${b.id}/leave`, {}, { token: staffKey });
      await app.http.patch<Schemas['TableResponse']>(`/api/tables/${table.id}`, { status: 'free' }, { token: staffKey });
      await leaveAll();
    });

    it.each([
      ['status=sitting', 'status'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=2.5', 'limit'],
    ])('refuses ?%s with 400', async (query, field) => {
      const result = await app.http.get<ErrorBody>(`/api/guests?${query}`, { token: staffKey });
      expect(result.status).toBe(400);
      expect(fields(result.body)).toContain(field);
    });

    it('needs a staff key to list guests', async () => {
      expect((await app.http.get<ErrorBody>('/api/guests')).status).toBe(401);
      expect((await app.http.get<ErrorBody>('/api/guests', { token: offersKey })).status).toBe(403);
      const guest = await checkIn(app);
      expect((await app.http.get<ErrorBody>('/api/guests', { guestToken: guest.token })).status).toBe(401);
    });

    it('shows one guest to staff and to that guest only', async () => {
      const guest = await checkIn(app, { name: 'Owner' });
      const other = await checkIn(app, { name: 'Other' });

      const byStaff = await app.http.get<Schemas['GuestResponse']>(`/api/guests/${guest.id}`, { token: staffKey });
      expect(byStaff.status).toBe(200);
      expect(byStaff.body).toMatchObject({ id: guest.id, name: 'Owner', status: 'waiting' });
      expect(byStaff.body).not.toHaveProperty('token');

      const byAdmin = await app.http.get<Schemas['GuestResponse']>(`/api/guests/${guest.id}`, { token: app.adminKey });
      expect(byAdmin.status).toBe(200);

      const bySelf = await app.http.get<Schemas['GuestResponse']>(`/api/guests/${guest.id}`, { guestToken: guest.token });
      expect(bySelf.status).toBe(200);
      expect(bySelf.body).toEqual(byStaff.body);

      const byOther = await app.http.get<ErrorBody>(`/api/guests/${guest.id}`, { guestToken: other.token });
      expect(byOther.status).toBe(401);
      expect(byOther.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });

      expect((await app.http.get<ErrorBody>(`/api/guests/${guest.id}`)).status).toBe(401);
      expect((await app.http.get<ErrorBody>(`/api/guests/${guest.id}`, { token: 'not-a-real-key-at-all' })).status).toBe(401);
      const byOffers = await app.http.get<ErrorBody>(`/api/guests/${guest.id}`, { token: offersKey });
      expect(byOffers.status).toBe(403);
      expect(byOffers.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });

      const unknown = await app.http.get<ErrorBody>('/api/guests/gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ', { token: staffKey });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });

  describe('PATCH', () => {
    it('changes each field and answers the updated Guest', async () => {
      const guest = await checkIn(app, { name: 'Patchy', partySize: 2 });
      const updates: [string, unknown][] = [
        ['name', 'Patricia'],
        ['partySize', 5],
        ['email', 'pat@example.com'],
        ['phone', '+442071234567'],
        ['marketingOptIn', true],
      ];
      for (const [field, value] of updates) {
        const result = await app.http.patch<Schemas['GuestResponse']>(
          `/api/guests/${guest.id}`,
          { [field]: value },
          { token: staffKey },
        );
        expect(result.status).toBe(200);
        expect(result.body[field as keyof typeof result.body]).toEqual(value);
      }
      const read = await app.http.get<Schemas['GuestResponse']>(`/api/guests/${guest.id}`, { token: staffKey });
      expect(read.body).toMatchObject({
        name: 'Patricia',
        partySize: 5,
        email: 'pat@example.com',
        phone: '+442071234567',
        marketingOptIn: true,
      });

      const removed = await app.http.patch<Schemas['GuestResponse']>(
        `/api/guests/${guest.id}`,
        { email: null, phone: null },
        { token: staffKey },
      );
      expect(removed.status).toBe(200);
      expect(removed.body).toMatchObject({ email: null, phone: null, name: 'Patricia' });
      expect((await app.http.get<Schemas['GuestResponse']>(`/api/guests/${guest.id}`, { token: staffKey })).body).toMatchObject({
        email: null,
        phone: null,
      });
    });

    it.each([
      ['null name', { name: null }, 'name'],
      ['empty name', { name: '  ' }, 'name'],
      ['partySize 0', { partySize: 0 }, 'partySize'],
      ['null partySize', { partySize: null }, 'partySize'],
      ['bad email', { email: 'nope' }, 'email'],
      ['bad phone', { phone: '12345' }, 'phone'],
      ['null marketingOptIn', { marketingOptIn: null }, 'marketingOptIn'],
      ['notes (not updatable)', { notes: 'hi' }, 'notes'],
      ['an unknown field', { status: 'seated' }, 'status'],
    ])('refuses %s with 400', async (_label, body, field) => {
      const guest = await checkIn(app);
      const result = await app.http.patch<ErrorBody>(`/api/guests/${guest.id}`, body, { token: staffKey });
      expect(result.status).toBe(400);
      expect(fields(result.body)).toContain(field);
    });

    it("lets the guest change their own record but not another's", async () => {
      const guest = await checkIn(app, { name: 'Self' });
      const other = await checkIn(app, { name: 'Someone' });
      const result = await app.http.patch<Schemas['GuestResponse']>(
        `/api/guests/${guest.id}`,
        { partySize: 3 },
        { guestToken: guest.token },
      );
      expect(result.status).toBe(200);
      expect(result.body.partySize).toBe(3);
      expect(
        (await app.http.patch<ErrorBody>(`/api/guests/${guest.id}`, { partySize: 4 }, { guestToken: other.token })).status,
      ).toBe(401);
      expect((await app.http.patch<ErrorBody>(`/api/guests/${guest.id}`, { partySize: 4 })).status).toBe(401);
      expect(
        (await app.http.patch<ErrorBody>('/api/guests/gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ', { partySize: 4 }, { token: staffKey }))
          .status,
      ).toBe(404);
    });

    it('records guest.updated with from/to, withholding contact details without consent', async () => {
      const guest = await checkIn(app, { name: 'Quiet', email: 'quiet@example.com' });
      const result = await app.http.patch<Schemas['GuestResponse']>(
        `/api/guests/${guest.id}`,
        { name: 'Quieter', email: 'quieter@example.com', phone: '+15551234567' },
        { token: staffKey },
      );
      expect(result.status).toBe(200);
      const event = (await events('guest.updated')).find((e) => e.data.guest.id === guest.id)!;
      expect(event).toBeDefined();
      expect(event.data.changes).toEqual({
        name: { from: 'Quiet', to: 'Quieter' },
        email: { from: null, to: null },
        phone: { from: null, to: null },
      });
      expect(event.data.guest).toMatchObject({ id: guest.id, name: 'Quieter', email: null, phone: null, marketingOptIn: false });
      expect(JSON.stringify(event)).not.toContain('quiet');
      expect(JSON.stringify(event)).not.toContain('+15551234567');
      expect(JSON.stringify(event)).not.toContain(guest.token);
      expect(event.data.guest.token).toBeUndefined();
    });

    it('shows contact details in guest.updated when the guest opted in', async () => {
      const guest = await checkIn(app, { name: 'Loud', email: 'loud@example.com', marketingOptIn: true });
      await app.http.patch<Schemas['GuestResponse']>(
        `/api/guests/${guest.id}`,
        { email: 'louder@example.com' },
        { guestToken: guest.token },
      );
      const event = (await events('guest.updated')).find((e) => e.data.guest.id === guest.id)!;
      expect(event.data.changes).toEqual({ email: { from: 'loud@example.com', to: 'louder@example.com' } });
      expect(event.data.guest.email).toBe('louder@example.com');
    });

    it('records no event when nothing changes', async () => {
      const guest = await checkIn(app, { name: 'Same', partySize: 2 });
      const result = await app.http.patch<Schemas['GuestResponse']>(
        `/api/guests/${guest.id}`,
        { name: 'Same', partySize: 2 },
        { token: staffKey },
      );
      expect(result.status).toBe(200);
      expect((await events('guest.updated')).filter((e) => e.data.guest.id === guest.id)).toHaveLength(0);
    });
  });

  describe('seat', () => {
    it('refuses a guest who is not waiting, a busy, reserved or too small table, with 409', async () => {
      const [t2a, t2b] = (await tables(app)).filter((t) => t.capacity === 2 && t.status === 'free');
      const big = (await tables(app)).find((t) => t.capacity === 8 && t.status === 'free')!;
      const party = await checkIn(app, { name: 'Four', partySize: 4 });

      const tooSmall = await app.http.post<ErrorBody>(`/api/guests/${party.id}/seat`, { tableId: t2a.id }, { token: staffKey });
      expect(tooSmall.status).toBe(409);
      expect(tooSmall.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/seats 2/) });

      const duo = await checkIn(app, { name: 'Duo', partySize: 2 });
      expect(
        (await app.http.post<Schemas['GuestResponse']>(`/api/guests/${duo.id}/seat`, { tableId: t2a.id }, { token: staffKey }))
          .status,
      ).toBe(200);

      const busy = await app.http.post<ErrorBody>(`/api/guests/${party.id}/seat`, { tableId: t2a.id }, { token: staffKey });
      expect(busy.status).toBe(409);
      const again = await app.http.post<ErrorBody>(`/api/guests/${duo.id}/seat`, { tableId: t2b.id }, { token: staffKey });
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/seated/);

      expect(
        (await app.http.patch<Schemas['TableResponse']>(`/api/tables/${big.id}`, { status: 'reserved' }, { token: staffKey }))
          .status,
      ).toBe(200);
      const reserved = await app.http.post<ErrorBody>(`/api/guests/${party.id}/seat`, { tableId: big.id }, { token: staffKey });
      expect(reserved.status).toBe(409);
      expect(reserved.body.message).toMatch(/reserved/);
      expect(
        (await app.http.patch<Schemas['TableResponse']>(`/api/tables/${big.id}`, { status: 'free' }, { token: staffKey })).status,
      ).toBe(200);

      // Nothing about the refused party changed.
      expect((await app.http.get<Schemas['GuestResponse']>(`/api/guests/${party.id}`, { token: staffKey })).body).toMatchObject({
        status: 'waiting',
        tableId: null,
      });

      const left = await app.http.post<Schemas['GuestResponse']>(`/api/guests/${party.id}/leave`, {}, { token: staffKey });
      const leftSeat = await app.http.post<Schemas['GuestResponse']>(
        `/api/guests/${party.id}/seat`,
        { tableId: big.id },
        { token: staffKey },
      );
      expect(left.status).toBe(200);
      expect(leftSeat.status).toBe(409);

      await app.http.post<Schemas['GuestResponse']>(`/api/guests/${duo.id}/leave`, {}, { token: staffKey });
      await app.http.patch<Schemas['TableResponse']>(`/api/tables/${t2a.id}`, { status: 'free' }, { token: staffKey });
    });

    it('answers 404 for an unknown table or guest and 400 without a tableId', async () => {
      const guest = await checkIn(app);
      const table = await freeTable(app, 2);
      const unknownTable = await app.http.post<ErrorBody>(
        `/api/guests/${guest.id}/seat`,
        { tableId: 'tbl_01JD5Z4Q2V8N7T3K9M6B1C0XYZ' },
        { token: staffKey },
      );
      expect(unknownTable.status).toBe(404);
      const unknownGuest = await app.http.post<Schemas['GuestResponse']>(
        '/api/guests/gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ/seat',
        { tableId: table.id },
        { token: staffKey },
      );
      expect(unknownGuest.status).toBe(404);
      const missing = await app.http.post<ErrorBody>(`/api/guests/${guest.id}/seat`, {}, { token: staffKey });
      expect(missing.status).toBe(400);
      expect(fields(missing.body)).toContain('tableId');
      const notString = await app.http.post<ErrorBody>(`/api/guests/${guest.id}/seat`, { tableId: 7 }, { token: staffKey });
      expect(notString.status).toBe(400);
      // The table is untouched by the failures.
      expect((await tables(app)).find((t) => t.id === table.id)).toMatchObject({ status: 'free', guestId: null });
    });

    it('seats exactly one of two guests racing for the same table', async () => {
      const one = await checkIn(app, { partySize: 2 });
      const two = await checkIn(app, { partySize: 2 });
      const table = await freeTable(app, 2);
      const results = await Promise.all(
        [one, two].map((guest) =>
          app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/seat`, { tableId: table.id }, { token: staffKey }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results[0].status === 200 ? one : two;
      const loser = winner === one ? two : one;
      expect((await tables(app)).find((t) => t.id === table.id)).toMatchObject({ status: 'occupied', guestId: winner.id });
      expect((await app.http.get<Schemas['GuestResponse']>(`/api/guests/${loser.id}`, { token: staffKey })).body).toMatchObject({
        status: 'waiting',
        tableId: null,
      });
      await app.http.post<Schemas['GuestResponse']>(`/api/guests/${winner.id}/leave`, {}, { token: staffKey });
      await app.http.post<Schemas['GuestResponse']>(`/api/guests/${loser.id}/leave`, {}, { token: staffKey });
      await app.http.patch<Schemas['TableResponse']>(`/api/tables/${table.id}`, { status: 'free' }, { token: staffKey });
    });

    it('is for staff only', async () => {
      const guest = await checkIn(app);
      const table = await freeTable(app, 2);
      expect(
        (await app.http.post<ErrorBody>(`/api/guests/${guest.id}/seat`, { tableId: table.id }, { guestToken: guest.token }))
          .status,
      ).toBe(401);
      expect(
        (await app.http.post<ErrorBody>(`/api/guests/${guest.id}/seat`, { tableId: table.id }, { token: offersKey })).status,
      ).toBe(403);
    });
  });

  describe('leave', () => {
    it('defaults the reason to cancelled for a waiting guest', async () => {
      const guest = await checkIn(app);
      const result = await app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/leave`, undefined, {
        token: staffKey,
      });
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({
        status: 'left',
        leftReason: 'cancelled',
        tableId: null,
        position: null,
        quotedWaitMinutes: null,
        leftAt: expect.any(String),
      });
    });

    it('defaults to finished for a seated guest, keeps tableId and sends the table to cleaning', async () => {
      const guest = await checkIn(app, { partySize: 2 });
      const table = await freeTable(app, 2);
      await app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/seat`, { tableId: table.id }, { token: staffKey });
      const result = await app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/leave`, {}, { token: staffKey });
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({
        status: 'left',
        leftReason: 'finished',
        tableId: table.id,
        seatedAt: expect.any(String),
      });
      expect((await tables(app)).find((t) => t.id === table.id)).toMatchObject({ status: 'cleaning', guestId: null });
      expect((await app.http.get<ErrorBody>(`/api/guests/${guest.id}`, { token: staffKey })).body).toMatchObject({
        status: 'left',
        tableId: table.id,
      });
      const next = await checkIn(app, { partySize: 2 });
      const atCleaning = await app.http.post<ErrorBody>(
        `/api/guests/${next.id}/seat`,
        { tableId: table.id },
        { token: staffKey },
      );
      expect(atCleaning.status).toBe(409);
      expect(atCleaning.body.message).toMatch(/cleaning/);
      await app.http.post<Schemas['GuestResponse']>(`/api/guests/${next.id}/leave`, {}, { token: staffKey });
      await app.http.patch<Schemas['TableResponse']>(`/api/tables/${table.id}`, { status: 'free' }, { token: staffKey });
    });

    it('takes an explicit reason and refuses an unknown one', async () => {
      const guest = await checkIn(app);
      const bad = await app.http.post<ErrorBody>(`/api/guests/${guest.id}/leave`, { reason: 'bored' }, { token: staffKey });
      expect(bad.status).toBe(400);
      expect(fields(bad.body)).toContain('reason');
      const unknownField = await app.http.post<ErrorBody>(`/api/guests/${guest.id}/leave`, { why: 'x' }, { token: staffKey });
      expect(unknownField.status).toBe(400);
      const result = await app.http.post<Schemas['GuestResponse']>(
        `/api/guests/${guest.id}/leave`,
        { reason: 'no_show' },
        { token: staffKey },
      );
      expect(result.status).toBe(200);
      expect(result.body.leftReason).toBe('no_show');
    });

    it('refuses leaving twice with 409', async () => {
      const guest = await checkIn(app);
      expect(
        (await app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/leave`, {}, { token: staffKey })).status,
      ).toBe(200);
      const twice = await app.http.post<ErrorBody>(`/api/guests/${guest.id}/leave`, {}, { token: staffKey });
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    });

    it('lets a guest leave with their own token, not with another guest’s', async () => {
      const guest = await checkIn(app);
      const other = await checkIn(app);
      expect((await app.http.post<ErrorBody>(`/api/guests/${guest.id}/leave`, {}, { guestToken: other.token })).status).toBe(401);
      const result = await app.http.post<Schemas['GuestResponse']>(
        `/api/guests/${guest.id}/leave`,
        {},
        { guestToken: guest.token },
      );
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ status: 'left', leftReason: 'cancelled' });
      expect(
        (await app.http.post<ErrorBody>('/api/guests/gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ/leave', {}, { token: staffKey })).status,
      ).toBe(404);
    });
  });

  describe('offers', () => {
    it('creates an offer with an offers key and lists it for staff and the guest', async () => {
      const guest = await checkIn(app);
      const result = await app.http.post<Schemas['OfferResponse']>(
        `/api/guests/${guest.id}/offers`,
        { title: '  Free dessert  ', description: 'Any dessert on the menu' },
        { token: offersKey },
      );
      expect(result.status).toBe(201);
      expect(result.body).toEqual({
        id: expect.stringMatching(/^off_[0-9A-Z]{26}$/),
        guestId: guest.id,
        title: 'Free dessert',
        description: 'Any dessert on the menu',
        createdAt: expect.any(String),
      });
      const second = await app.http.post<Schemas['OfferResponse']>(
        `/api/guests/${guest.id}/offers`,
        { title: 'Coffee' },
        { token: app.adminKey },
      );
      expect(second.status).toBe(201);
      expect(second.body.description).toBeNull();

      const byStaff = await app.http.get<Schemas['OfferResponse'][]>(`/api/guests/${guest.id}/offers`, { token: staffKey });
      expect(byStaff.status).toBe(200);
      expect(byStaff.body).toEqual([result.body, second.body]);
      const byGuest = await app.http.get<Schemas['OfferResponse'][]>(`/api/guests/${guest.id}/offers`, {
        guestToken: guest.token,
      });
      expect(byGuest.status).toBe(200);
      expect(byGuest.body).toEqual(byStaff.body);

      const other = await checkIn(app);
      expect((await app.http.get<ErrorBody>(`/api/guests/${guest.id}/offers`, { guestToken: other.token })).status).toBe(401);
      expect((await app.http.get<ErrorBody>(`/api/guests/${other.id}/offers`, { token: staffKey })).body).toEqual([]);
      expect(
        (await app.http.get<ErrorBody>('/api/guests/gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ/offers', { token: staffKey })).status,
      ).toBe(404);
    });

    it('refuses staff keys, guests, unknown guests and bad titles', async () => {
      const guest = await checkIn(app);
      expect((await app.http.post<ErrorBody>(`/api/guests/${guest.id}/offers`, { title: 'x' }, { token: staffKey })).status).toBe(
        403,
      );
      expect(
        (await app.http.post<ErrorBody>(`/api/guests/${guest.id}/offers`, { title: 'x' }, { guestToken: guest.token })).status,
      ).toBe(401);
      expect((await app.http.post<ErrorBody>(`/api/guests/${guest.id}/offers`, { title: 'x' })).status).toBe(401);
      const unknown = await app.http.post<ErrorBody>(
        '/api/guests/gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ/offers',
        { title: 'x' },
        { token: offersKey },
      );
      expect(unknown.status).toBe(404);
      for (const body of [{}, { title: '' }, { title: '   ' }, { title: 't'.repeat(121) }, { title: 5 }]) {
        const result = await app.http.post<ErrorBody>(`/api/guests/${guest.id}/offers`, body, { token: offersKey });
        expect(result.status).toBe(400);
        expect(fields(result.body)).toContain('title');
      }
      const longDescription = await app.http.post<ErrorBody>(
        `/api/guests/${guest.id}/offers`,
        { title: 'ok', description: 'd'.repeat(501) },
        { token: offersKey },
      );
      expect(longDescription.status).toBe(400);
      expect(fields(longDescription.body)).toContain('description');
      expect(
        (await app.http.get<Schemas['OfferResponse'][]>(`/api/guests/${guest.id}/offers`, { token: staffKey })).body,
      ).toEqual([]);
    });
  });
});

describe('REST: waitlist positions and quoted waits (WAIT_ESTIMATOR=simple)', () => {
  let app: TestApp;

  beforeAll(async () => {
    // This block checks the first estimator's arithmetic; the default one is tested in quote-accuracy.e2e-spec.ts.
    app = await startApp({ WAIT_ESTIMATOR: 'simple' });
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it('numbers waiting guests 1, 2, 3 and closes the gap when the first is seated', async () => {
    const first = await checkIn(app, { name: 'First', partySize: 2 });
    const second = await checkIn(app, { name: 'Second', partySize: 2 });
    const third = await checkIn(app, { name: 'Third', partySize: 2 });
    expect([first.position, second.position, third.position]).toEqual([1, 2, 3]);
    // Default turn 45 min over the three 2-seat tables of the demo floor: 0, 15, 30.
    expect([first.quotedWaitMinutes, second.quotedWaitMinutes, third.quotedWaitMinutes]).toEqual([0, 15, 30]);

    const table = await freeTable(app, 2);
    const seated = await app.http.post<Schemas['GuestResponse']>(
      `/api/guests/${first.id}/seat`,
      { tableId: table.id },
      { token: app.adminKey },
    );
    expect(seated.status).toBe(200);
    expect(seated.body).toMatchObject({ position: null, quotedWaitMinutes: null });

    const secondNow = await app.http.get<Schemas['GuestResponse']>(`/api/guests/${second.id}`, { guestToken: second.token });
    const thirdNow = await app.http.get<Schemas['GuestResponse']>(`/api/guests/${third.id}`, { guestToken: third.token });
    expect(secondNow.body).toMatchObject({ position: 1, quotedWaitMinutes: 0 });
    expect(thirdNow.body).toMatchObject({ position: 2, quotedWaitMinutes: 15 });

    const list = await app.http.get<Schemas['GuestResponse'][]>('/api/guests?status=waiting', { token: app.adminKey });
    expect(list.body.map((g) => [g.id, g.position])).toEqual([
      [second.id, 1],
      [third.id, 2],
    ]);
  });

  it('quotes each capacity class separately', async () => {
    const waiting = await app.http.get<Schemas['GuestResponse'][]>('/api/guests?status=waiting', { token: app.adminKey });
    // A party of 5 sits at 6-seat tables, where nobody is waiting yet; positions still count everyone.
    const five = await checkIn(app, { name: 'Five', partySize: 5 });
    expect(five.position).toBe(waiting.body.length + 1);
    expect(five.quotedWaitMinutes).toBe(0);
    const six = await checkIn(app, { name: 'Six', partySize: 6 });
    expect(six.quotedWaitMinutes).toBe(15);
  });
});
