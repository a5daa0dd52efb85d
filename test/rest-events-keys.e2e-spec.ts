// Typed matchers: the global `expect.any()` is typed `any`, this one an AsymmetricMatcher.
import { expect } from '@jest/globals';
import { checkIn, createKey, removeDir, startApp, tables, TestApp } from './support/app';
import type { Schemas } from './support/api-types';
import { waitFor } from './support/wait';

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
  data: { guest?: { id: string } } & Record<string, unknown>;
}

interface FeedPage {
  data: FeedEvent[];
  next: string | null;
}

function errorFields(body: ErrorBody): string[] {
  return body.details.map((detail) => detail.field);
}

describe('REST: the event feed', () => {
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

  async function feed(query = ''): Promise<FeedPage> {
    const result = await app.http.get<FeedPage>(`/api/events${query}`, { token: staffKey });
    expect(result.status).toBe(200);
    return result.body;
  }

  /** The events written since `cursor` (null: since the start), all pages. */
  async function since(cursor: string | null): Promise<FeedEvent[]> {
    const page = await feed(`?limit=500${cursor ? `&after=${cursor}` : ''}`);
    return page.data;
  }

  async function lastId(): Promise<string | null> {
    const all = await since(null);
    return all.length > 0 ? all[all.length - 1].id : null;
  }

  it('is empty with next null before anything happened', async () => {
    const page = await feed();
    expect(page).toEqual({ data: [], next: null });
  });

  it('is for staff and admin keys only', async () => {
    expect((await app.http.get<ErrorBody>('/api/events')).status).toBe(401);
    expect((await app.http.get<ErrorBody>('/api/events', { token: offersKey })).status).toBe(403);
    const endpointsKey = await createKey(app, ['endpoints']);
    expect((await app.http.get<ErrorBody>('/api/events', { token: endpointsKey })).status).toBe(403);
    expect((await app.http.get<Schemas['FeedResponseDto']>('/api/events', { token: app.adminKey })).status).toBe(200);
  });

  it('writes exactly guest.checked_in for a check-in', async () => {
    const cursor = await lastId();
    const guest = await checkIn(app, { name: 'Ida', partySize: 2 });
    const events = await since(cursor);
    expect(events.map((e) => e.type)).toEqual(['guest.checked_in']);
    const [event] = events;
    expect(event.id).toMatch(/^evt_[0-9A-Z]{26}$/);
    expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
    expect(Object.keys(event).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
    expect(Object.keys(event.data)).toEqual(['guest']);
    expect(event.data.guest).toMatchObject({ id: guest.id, name: 'Ida', partySize: 2, status: 'waiting' });
  });

  it('writes guest.seated and table.status_changed for a seating, and guest.left with table.status_changed for its leave', async () => {
    const guest = await checkIn(app, { partySize: 2 });
    const table = (await tables(app)).find((t) => t.capacity === 2 && t.status === 'free')!;

    let cursor = await lastId();
    await app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/seat`, { tableId: table.id }, { token: staffKey });
    let events = await since(cursor);
    expect(events.map((e) => e.type).sort()).toEqual(['guest.seated', 'table.status_changed']);
    const seated = events.find((e) => e.type === 'guest.seated')!;
    expect(seated.data.guest).toMatchObject({ id: guest.id, status: 'seated', tableId: table.id });
    expect(seated.data.table).toMatchObject({ id: table.id, status: 'occupied' });
    const occupied = events.find((e) => e.type === 'table.status_changed')!;
    expect(occupied.data).toMatchObject({ table: { id: table.id, status: 'occupied' }, previousStatus: 'free' });

    cursor = events[events.length - 1].id;
    await app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/leave`, {}, { token: staffKey });
    events = await since(cursor);
    expect(events.map((e) => e.type).sort()).toEqual(['guest.left', 'table.status_changed']);
    expect(events.find((e) => e.type === 'guest.left')!.data).toMatchObject({
      guest: { id: guest.id, status: 'left', tableId: table.id },
      reason: 'finished',
    });
    expect(events.find((e) => e.type === 'table.status_changed')!.data).toMatchObject({
      table: { id: table.id, status: 'cleaning' },
      previousStatus: 'occupied',
    });

    cursor = events[events.length - 1].id;
    await app.http.patch<Schemas['TableResponse']>(`/api/tables/${table.id}`, { status: 'free' }, { token: staffKey });
    events = await since(cursor);
    expect(events.map((e) => e.type)).toEqual(['table.status_changed']);
    expect(events[0].data).toMatchObject({ table: { id: table.id, status: 'free' }, previousStatus: 'cleaning' });
  });

  it('writes only guest.left when a waiting guest leaves', async () => {
    const guest = await checkIn(app);
    const cursor = await lastId();
    await app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/leave`, {}, { guestToken: guest.token });
    const events = await since(cursor);
    expect(events.map((e) => e.type)).toEqual(['guest.left']);
    expect(events[0].data.reason).toBe('cancelled');
  });

  it('writes offer.created for an offer, and nothing for refused requests', async () => {
    const guest = await checkIn(app);
    const cursor = await lastId();
    await app.http.post<Schemas['OfferResponse']>(`/api/guests/${guest.id}/offers`, { title: '' }, { token: offersKey });
    await app.http.post<Schemas['GuestResponse']>(
      `/api/guests/${guest.id}/seat`,
      { tableId: 'tbl_01JD5Z4Q2V8N7T3K9M6B1C0XYZ' },
      { token: staffKey },
    );
    const offer = await app.http.post<Schemas['OfferResponse']>(
      `/api/guests/${guest.id}/offers`,
      { title: 'Bread' },
      { token: offersKey },
    );
    expect(offer.status).toBe(201);
    const events = await since(cursor);
    expect(events.map((e) => e.type)).toEqual(['offer.created']);
    expect(events[0].data).toMatchObject({ offer: offer.body, guest: { id: guest.id } });
  });

  it('lists events in commit order and pages with after without gaps or duplicates', async () => {
    let last = '';
    for (let i = 0; i < 7; i += 1) last = (await checkIn(app, { name: `Pager ${i}` })).id;
    // On PostgreSQL the feed holds back committed events while an older transaction (a delivery being
    // recorded, say) is still open; it shows them moments later, never out of order.
    const all = await waitFor(
      async () => {
        const events = await since(null);
        return events.some((e) => e.type === 'guest.checked_in' && e.data.guest?.id === last) && events;
      },
      { label: 'the last check-in in the feed' },
    );
    expect(all.length).toBeGreaterThan(10);
    // Ids are time-sortable, and commit order here is creation order.
    expect([...all.map((e) => e.id)].sort()).toEqual(all.map((e) => e.id));

    const paged: FeedEvent[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard += 1) {
      const page = await feed(`?limit=3${cursor ? `&after=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(3);
      if (page.data.length === 0) {
        expect(page.next).toBe(cursor);
        break;
      }
      expect(page.next).toBe(page.data[page.data.length - 1].id);
      paged.push(...page.data);
      cursor = page.next;
    }
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));

    const tail = await feed(`?after=${all[all.length - 1].id}`);
    expect(tail).toEqual({ data: [], next: all[all.length - 1].id });
  });

  it('filters by types', async () => {
    const all = await since(null);
    const page = await feed('?types=guest.left,offer.created&limit=500');
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((e) => e.type === 'guest.left' || e.type === 'offer.created')).toBe(true);
    expect(page.data.map((e) => e.id)).toEqual(
      all.filter((e) => e.type === 'guest.left' || e.type === 'offer.created').map((e) => e.id),
    );
    const one = await feed('?types=table.status_changed&limit=500');
    expect(one.data.length).toBe(all.filter((e) => e.type === 'table.status_changed').length);
  });

  it.each([
    ['an unknown after', '?after=evt_01JD5Z4Q2V8N7T3K9M6B1C0XYZ', 'after'],
    ['an after that is not an event id', '?after=banana', 'after'],
    ['an unknown type', '?types=guest.checked_in,guest.exploded', 'types'],
    ['limit above 500', '?limit=501', 'limit'],
    ['limit 0', '?limit=0', 'limit'],
    ['limit not a number', '?limit=many', 'limit'],
  ])('refuses %s with 400 naming it', async (_label, query, field) => {
    const result = await app.http.get<ErrorBody>(`/api/events${query}`, { token: staffKey });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(errorFields(result.body)).toContain(field);
  });

  it('never carries a guest token, and contact details only with marketing consent', async () => {
    const quiet = await checkIn(app, { name: 'Quiet', email: 'quiet@example.com', phone: '+4915100000001' });
    const open = await checkIn(app, {
      name: 'Open',
      email: 'open@example.com',
      phone: '+4915100000002',
      marketingOptIn: true,
    });
    const table = (await tables(app)).find((t) => t.capacity === 2 && t.status === 'free')!;
    await app.http.post<Schemas['GuestResponse']>(`/api/guests/${quiet.id}/seat`, { tableId: table.id }, { token: staffKey });
    await app.http.patch<Schemas['GuestResponse']>(
      `/api/guests/${quiet.id}`,
      { email: 'quiet2@example.com' },
      { token: staffKey },
    );
    await app.http.post<Schemas['OfferResponse']>(`/api/guests/${quiet.id}/offers`, { title: 'Tea' }, { token: offersKey });
    await app.http.post<Schemas['GuestResponse']>(`/api/guests/${quiet.id}/leave`, {}, { token: staffKey });
    await app.http.patch<Schemas['GuestResponse']>(`/api/guests/${open.id}`, { phone: '+4915100000003' }, { token: staffKey });
    await app.http.post<Schemas['OfferResponse']>(`/api/guests/${open.id}/offers`, { title: 'Tea' }, { token: offersKey });

    const all = await since(null);
    const text = JSON.stringify(all);
    expect(text).not.toMatch(/"token"/);
    expect(text).not.toContain(quiet.token);
    expect(text).not.toContain(open.token);
    expect(text).not.toContain('quiet@example.com');
    expect(text).not.toContain('quiet2@example.com');
    expect(text).not.toContain('+4915100000001');

    const guestsIn = (e: FeedEvent) => (e.data.guest ? [e.data.guest] : []);
    const quietViews = all.flatMap(guestsIn).filter((g) => g.id === quiet.id);
    expect(quietViews.length).toBeGreaterThanOrEqual(5);
    for (const guest of quietViews) expect(guest).toMatchObject({ email: null, phone: null, marketingOptIn: false });

    const openViews = all.flatMap(guestsIn).filter((g) => g.id === open.id);
    expect(openViews.length).toBeGreaterThanOrEqual(3);
    for (const guest of openViews) expect(guest).toMatchObject({ email: 'open@example.com', marketingOptIn: true });
    const openUpdate = all.find((e) => e.type === 'guest.updated' && e.data.guest?.id === open.id)!;
    expect(openUpdate.data.changes).toEqual({ phone: { from: '+4915100000002', to: '+4915100000003' } });
  });
});

describe('REST: API keys', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp();
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it('creates a key shown once, lists keys without secrets, and revokes', async () => {
    const created = await app.http.post<Schemas['CreatedApiKeyResponse']>(
      '/api/keys',
      { name: 'Front desk', scopes: ['staff'] },
      { token: app.adminKey },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^key_[0-9A-Z]{26}$/),
      name: 'Front desk',
      scopes: ['staff'],
      key: expect.any(String),
    });
    const key: string = created.body.key;
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect((await app.http.get<Schemas['GuestResponse'][]>('/api/guests', { token: key })).status).toBe(200);

    const list = await app.http.get<Schemas['ApiKeyResponse'][]>('/api/keys', { token: app.adminKey });
    expect(list.status).toBe(200);
    const row = list.body.find((k: { id: string }) => k.id === created.body.id);
    expect(row).toMatchObject({ id: created.body.id, name: 'Front desk', scopes: ['staff'], revokedAt: null });
    expect(row).not.toHaveProperty('key');
    const listText = list.text.toLowerCase();
    expect(list.text).not.toContain(key);
    expect(listText).not.toContain('hash');
    expect(listText).not.toMatch(/[0-9a-f]{64}/);

    const revoked = await app.http.delete<Schemas['ApiKeyResponse']>(`/api/keys/${created.body.id}`, { token: app.adminKey });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.body.id, revokedAt: expect.any(String) });
    expect(revoked.body).not.toHaveProperty('key');
    const afterRevoke = await app.http.get<ErrorBody>('/api/guests', { token: key });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });

    expect((await app.http.delete<ErrorBody>('/api/keys/key_01JD5Z4Q2V8N7T3K9M6B1C0XYZ', { token: app.adminKey })).status).toBe(
      404,
    );
  });

  it('is admin only', async () => {
    const staffKey = await createKey(app, ['staff']);
    expect((await app.http.post<ErrorBody>('/api/keys', { name: 'x', scopes: ['admin'] }, { token: staffKey })).status).toBe(403);
    expect((await app.http.get<ErrorBody>('/api/keys', { token: staffKey })).status).toBe(403);
    expect((await app.http.get<ErrorBody>('/api/keys')).status).toBe(401);
    const list = await app.http.get<Schemas['ApiKeyResponse'][]>('/api/keys', { token: app.adminKey });
    const id = list.body[0].id;
    expect((await app.http.delete<ErrorBody>(`/api/keys/${id}`, { token: staffKey })).status).toBe(403);
  });

  it.each([
    ['an unknown scope', { name: 'x', scopes: ['root'] }, 'scopes'],
    ['no scopes', { name: 'x', scopes: [] }, 'scopes'],
    ['scopes not a list', { name: 'x', scopes: 'staff' }, 'scopes'],
    ['no name', { scopes: ['staff'] }, 'name'],
    ['a blank name', { name: '   ', scopes: ['staff'] }, 'name'],
    ['an unknown field', { name: 'x', scopes: ['staff'], expires: 'never' }, 'expires'],
  ])('refuses %s with 400', async (_label, body, field) => {
    const result = await app.http.post<ErrorBody>('/api/keys', body, { token: app.adminKey });
    expect(result.status).toBe(400);
    expect(errorFields(result.body)).toContain(field);
  });

  it('gives each scope its own access', async () => {
    const staff = await createKey(app, ['staff']);
    const endpoints = await createKey(app, ['endpoints']);
    const offers = await createKey(app, ['offers']);
    const admin = await createKey(app, ['admin']);
    const guest = await checkIn(app);

    expect((await app.http.get<Schemas['GuestResponse'][]>('/api/guests', { token: staff })).status).toBe(200);
    expect((await app.http.get<Schemas['FeedResponseDto']>('/api/events', { token: staff })).status).toBe(200);
    expect((await app.http.post<ErrorBody>('/api/keys', { name: 'y', scopes: ['staff'] }, { token: staff })).status).toBe(403);
    expect((await app.http.post<ErrorBody>(`/api/guests/${guest.id}/offers`, { title: 'x' }, { token: staff })).status).toBe(403);

    expect((await app.http.get<ErrorBody>('/api/guests', { token: endpoints })).status).toBe(403);
    expect((await app.http.get<ErrorBody>(`/api/guests/${guest.id}`, { token: endpoints })).status).toBe(403);

    expect((await app.http.get<ErrorBody>('/api/guests', { token: offers })).status).toBe(403);
    expect(
      (await app.http.post<Schemas['OfferResponse']>(`/api/guests/${guest.id}/offers`, { title: 'x' }, { token: offers })).status,
    ).toBe(201);

    expect((await app.http.get<Schemas['GuestResponse'][]>('/api/guests', { token: admin })).status).toBe(200);
    expect(
      (await app.http.post<Schemas['TableResponse']>('/api/tables', { label: 'A1', capacity: 2 }, { token: admin })).status,
    ).toBe(201);
    expect((await app.http.post<ErrorBody>('/api/tables', { label: 'A2', capacity: 2 }, { token: staff })).status).toBe(403);

    const both = await createKey(app, ['staff', 'offers']);
    expect((await app.http.get<Schemas['GuestResponse'][]>('/api/guests', { token: both })).status).toBe(200);
    expect(
      (await app.http.post<Schemas['OfferResponse']>(`/api/guests/${guest.id}/offers`, { title: 'x' }, { token: both })).status,
    ).toBe(201);

    expect((await app.http.get<ErrorBody>('/api/guests', { headers: { authorization: `Basic ${staff}` } })).status).toBe(401);
  });
});

describe('REST: a generated admin key', () => {
  it('is printed once on first start without ADMIN_API_KEY and works; a restart prints none', async () => {
    const printed: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    let app: TestApp;
    try {
      app = await startApp({ ADMIN_API_KEY: '' });
    } finally {
      spy.mockRestore();
    }
    const lines = printed
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('Admin API key: '));
    expect(lines).toHaveLength(1);
    const key = lines[0].slice('Admin API key: '.length).trim();
    expect(key.length).toBeGreaterThanOrEqual(16);

    try {
      const list = await app.http.get<Schemas['ApiKeyResponse'][]>('/api/keys', { token: key });
      expect(list.status).toBe(200);
      expect(list.body).toHaveLength(1);
      expect(list.body[0].scopes).toEqual(['admin']);
      expect(list.text).not.toContain(key);
      expect(
        (await app.http.post<Schemas['TableResponse']>('/api/tables', { label: 'G1', capacity: 2 }, { token: key })).status,
      ).toBe(201);
      expect((await app.http.get<ErrorBody>('/api/keys', { token: 'test-admin-key-0123456789abcdef' })).status).toBe(401);

      const restartPrinted: string[] = [];
      const again = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        restartPrinted.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      });
      try {
        app = await app.restart({ ADMIN_API_KEY: '' });
      } finally {
        again.mockRestore();
      }
      expect(restartPrinted.join('')).not.toContain('Admin API key');
      expect((await app.http.get<Schemas['ApiKeyResponse'][]>('/api/keys', { token: key })).status).toBe(200);
      expect((await app.http.get<Schemas['ApiKeyResponse'][]>('/api/keys', { token: key })).body).toHaveLength(1);
    } finally {
      await app.close();
      removeDir(app.dir);
    }
  });
});

describe('REST: idempotency, request ids, hardening, docs', () => {
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

  async function guestCount(): Promise<number> {
    return (await app.http.get<Schemas['GuestResponse'][]>('/api/guests?limit=500', { token: staffKey })).body.length;
  }

  it('replays a check-in with the same Idempotency-Key and creates one guest', async () => {
    const before = await guestCount();
    const headers = { 'idempotency-key': 'checkin-abc-1' };
    const first = await app.http.post<Schemas['CheckedInGuestResponse']>(
      '/api/guests',
      { name: 'Once', partySize: 2 },
      { headers },
    );
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const second = await app.http.post<Schemas['CheckedInGuestResponse']>(
      '/api/guests',
      { name: 'Once', partySize: 2 },
      { headers },
    );
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(second.body.token).toBe(first.body.token);
    expect(await guestCount()).toBe(before + 1);

    const checkIns = (
      await app.http.get<Schemas['FeedResponseDto']>('/api/events?types=guest.checked_in&limit=500', { token: staffKey })
    ).body.data;
    expect(checkIns.filter((e) => (e.data as { guest: { id: string } }).guest.id === first.body.id)).toHaveLength(1);

    const other = await app.http.post<Schemas['CheckedInGuestResponse']>(
      '/api/guests',
      { name: 'Once', partySize: 2 },
      { headers: { 'idempotency-key': 'checkin-abc-2' } },
    );
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
    expect(await guestCount()).toBe(before + 2);

    const none = await app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', { name: 'Once', partySize: 2 });
    expect(none.body.id).not.toBe(first.body.id);
    expect(await guestCount()).toBe(before + 3);
  });

  it('scopes an Idempotency-Key to its caller', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const anonymous = await app.http.post<Schemas['CheckedInGuestResponse']>(
      '/api/guests',
      { name: 'Anon', partySize: 2 },
      { headers },
    );
    const withKey = await app.http.post<Schemas['CheckedInGuestResponse']>(
      '/api/guests',
      { name: 'Staff', partySize: 2 },
      { headers, token: staffKey },
    );
    expect(anonymous.status).toBe(201);
    expect(withKey.status).toBe(201);
    expect(withKey.body.id).not.toBe(anonymous.body.id);
    expect(withKey.headers.get('idempotent-replayed')).toBeNull();
  });

  it('creates one guest for concurrent requests with the same Idempotency-Key', async () => {
    const before = await guestCount();
    const headers = { 'idempotency-key': 'concurrent-1' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', { name: 'Racer', partySize: 2 }, { headers }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await guestCount()).toBe(before + 1);
  });

  it('does not store a failed request under its Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'checkin-bad-then-good' };
    const bad = await app.http.post<ErrorBody>('/api/guests', { name: '', partySize: 2 }, { headers });
    expect(bad.status).toBe(400);
    const good = await app.http.post<Schemas['CheckedInGuestResponse']>(
      '/api/guests',
      { name: 'Fixed', partySize: 2 },
      { headers },
    );
    expect(good.status).toBe(201);
    expect(good.body.name).toBe('Fixed');
  });

  it('replays an offer with the same Idempotency-Key and creates one offer', async () => {
    const offersKey = await createKey(app, ['offers']);
    const guest = await checkIn(app);
    const headers = { 'idempotency-key': 'offer-1' };
    const first = await app.http.post<Schemas['OfferResponse']>(
      `/api/guests/${guest.id}/offers`,
      { title: 'Wine' },
      { token: offersKey, headers },
    );
    const second = await app.http.post<Schemas['OfferResponse']>(
      `/api/guests/${guest.id}/offers`,
      { title: 'Wine' },
      { token: offersKey, headers },
    );
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const offers = await app.http.get<Schemas['OfferResponse'][]>(`/api/guests/${guest.id}/offers`, { token: staffKey });
    expect(offers.body).toHaveLength(1);
    const events = (await app.http.get<Schemas['FeedResponseDto']>('/api/events?types=offer.created', { token: staffKey })).body
      .data;
    expect(events.filter((e) => (e.data as { offer: { id: string } }).offer.id === first.body.id)).toHaveLength(1);

    const third = await app.http.post<Schemas['OfferResponse']>(
      `/api/guests/${guest.id}/offers`,
      { title: 'Wine' },
      { token: offersKey, headers: { 'idempotency-key': 'offer-2' } },
    );
    expect(third.status).toBe(201);
    expect(
      (await app.http.get<Schemas['OfferResponse'][]>(`/api/guests/${guest.id}/offers`, { token: staffKey })).body,
    ).toHaveLength(2);
  });

  it('puts a request id on every response, equal to the error body’s, and echoes an incoming one', async () => {
    const ok = await app.http.get<Schemas['TableResponse'][]>('/api/tables');
    expect(ok.headers.get('x-request-id')).toBeTruthy();
    const bad = await app.http.post<ErrorBody>('/api/guests', { name: '' });
    expect(bad.headers.get('x-request-id')).toBeTruthy();
    expect(bad.body.requestId).toBe(bad.headers.get('x-request-id'));
    const unauthorized = await app.http.get<ErrorBody>('/api/guests');
    expect(unauthorized.body.requestId).toBe(unauthorized.headers.get('x-request-id'));
    const notFound = await app.http.get<ErrorBody>('/api/no-such-route');
    expect(notFound.status).toBe(404);
    expect(notFound.body.requestId).toBe(notFound.headers.get('x-request-id'));
    const malformed = await app.http.request<ErrorBody>('POST', '/api/guests', {
      raw: '{',
      headers: { 'x-request-id': 'bad-json-1' },
    });
    expect(malformed.headers.get('x-request-id')).toBe('bad-json-1');
    expect(malformed.body.requestId).toBe('bad-json-1');
    expect(ok.headers.get('x-request-id')).not.toBe(bad.headers.get('x-request-id'));

    const echoed = await app.http.get<Schemas['TableResponse'][]>('/api/tables', {
      headers: { 'x-request-id': 'trace-1234-abcd' },
    });
    expect(echoed.headers.get('x-request-id')).toBe('trace-1234-abcd');
    const echoedError = await app.http.get<ErrorBody>('/api/guests', { headers: { 'x-request-id': 'trace-5678' } });
    expect(echoedError.headers.get('x-request-id')).toBe('trace-5678');
    expect(echoedError.body.requestId).toBe('trace-5678');
    // An id that is unsafe to log is replaced rather than echoed.
    const unsafe = await app.http.get<Schemas['TableResponse'][]>('/api/tables', {
      headers: { 'x-request-id': 'a'.repeat(129) },
    });
    expect(unsafe.headers.get('x-request-id')).toBeTruthy();
    expect(unsafe.headers.get('x-request-id')).not.toBe('a'.repeat(129));
  });

  it('sets helmet security headers', async () => {
    const result = await app.http.get<Schemas['TableResponse'][]>('/api/tables');
    expect(result.headers.get('x-content-type-options')).toBe('nosniff');
    expect(result.headers.get('x-frame-options')).toBeTruthy();
    expect(result.headers.get('strict-transport-security')).toBeTruthy();
    expect(result.headers.get('referrer-policy')).toBeTruthy();
    expect(result.headers.get('x-powered-by')).toBeNull();
  });

  it('answers /health with status ok', async () => {
    const result = await app.http.get<{ status: string }>('/health');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ status: 'ok' });
  });

  it('serves the OpenAPI document and its page', async () => {
    // The OpenAPI document itself: only the parts read below.
    const json = await app.http.get<{
      openapi: string;
      paths: Record<string, { post?: unknown }>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    }>('/api/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(json.body.paths['/api/guests']).toBeDefined();
    expect(json.body.paths['/api/guests'].post).toBeDefined();
    const checkInDto = json.body.components.schemas.CheckInDto;
    expect(Object.keys(checkInDto.properties).sort()).toEqual(
      ['email', 'marketingOptIn', 'name', 'notes', 'partySize', 'phone'].sort(),
    );
    expect(checkInDto.required).toEqual(expect.arrayContaining(['name', 'partySize']));

    const html = await app.http.get('/api/docs');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.text).toMatch(/swagger/i);
  });
});

describe('REST: check-in rate limit', () => {
  it('answers 429 with the error shape after CHECKIN_RATE_LIMIT check-ins a minute', async () => {
    const app = await startApp({ CHECKIN_RATE_LIMIT: '3' });
    try {
      for (let i = 0; i < 3; i += 1) {
        expect(
          (await app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', { name: `R${i}`, partySize: 2 })).status,
        ).toBe(201);
      }
      const limited = await app.http.post<ErrorBody>('/api/guests', { name: 'R3', partySize: 2 });
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.any(String),
        details: [],
      });
      expect(limited.body.requestId).toBe(limited.headers.get('x-request-id'));
      // Only check-in is limited.
      expect((await app.http.get<Schemas['TableResponse'][]>('/api/tables')).status).toBe(200);
      expect((await app.http.get<Schemas['GuestResponse'][]>('/api/guests', { token: app.adminKey })).body).toHaveLength(3);
    } finally {
      await app.close();
      removeDir(app.dir);
    }
  });

  it('is off with CHECKIN_RATE_LIMIT=0; lists then default to 100 items', async () => {
    const app = await startApp({ CHECKIN_RATE_LIMIT: '0' });
    try {
      for (let i = 0; i < 101; i += 1) {
        const result = await app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', { name: `U${i}`, partySize: 2 });
        expect(result.status).toBe(201);
      }
      const guests = await app.http.get<Schemas['GuestResponse'][]>('/api/guests', { token: app.adminKey });
      expect(guests.body).toHaveLength(100);
      expect(guests.body[0].name).toBe('U0');
      expect(
        (await app.http.get<Schemas['GuestResponse'][]>('/api/guests?limit=500', { token: app.adminKey })).body,
      ).toHaveLength(101);
      const events = await app.http.get<Schemas['FeedResponseDto']>('/api/events', { token: app.adminKey });
      expect(events.body.data).toHaveLength(100);
      expect(events.body.next).toBe(events.body.data[99].id);
      const rest = await app.http.get<Schemas['FeedResponseDto']>(`/api/events?after=${events.body.next}`, {
        token: app.adminKey,
      });
      expect(rest.body.data).toHaveLength(1);
      expect(rest.body.data[0].data).toMatchObject({ guest: { name: 'U100' } });
    } finally {
      await app.close();
      removeDir(app.dir);
    }
  });
});
