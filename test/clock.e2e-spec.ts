import { checkIn, clockOf, createKey, removeDir, startApp, TestApp } from './support/app';
import type { ApiKey, CheckedInGuest, CreatedApiKey, Feed, Offer, Table } from './support/api-types';

const HOUR = 3_600_000;

/**
 * Every timestamp and time window comes from the app's Clock, so moving it moves them: a day
 * can pass in a test without sleeping. (Before, only payments and webhook schedules followed it.)
 */
describe('the Clock drives timestamps and the idempotency window', () => {
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

  it('replays an Idempotency-Key for 24 hours of Clock time, then runs the request again', async () => {
    const clock = clockOf(app);
    const headers = { 'idempotency-key': 'a-day-long' };
    const checkInOnce = () => app.http.post<CheckedInGuest>('/api/guests', { name: 'Daily', partySize: 2 }, { headers });
    const first = await checkInOnce();
    expect(first.status).toBe(201);

    clock.advance(23 * HOUR);
    const within = await checkInOnce();
    expect(within.headers.get('idempotent-replayed')).toBe('true');
    expect(within.body.id).toBe(first.body.id);

    clock.advance(2 * HOUR);
    const after = await checkInOnce();
    expect(after.status).toBe(201);
    expect(after.headers.get('idempotent-replayed')).toBeNull();
    expect(after.body.id).not.toBe(first.body.id);
    // And the new response is the one replayed from now on.
    const again = await checkInOnce();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(after.body.id);
  });

  it('stamps events, offers and API keys with Clock time', async () => {
    const clock = clockOf(app);
    clock.advance(72 * HOUR);
    const from = clock.nowMs();
    const stampedNow = (iso: string | null) => {
      const at = Date.parse(iso ?? '');
      // Within a minute of the moved clock, and days away from the wall clock.
      expect(at).toBeGreaterThanOrEqual(from);
      expect(at).toBeLessThan(from + 60_000);
    };

    const created = await app.http.post<CreatedApiKey>(
      '/api/keys',
      { name: 'Later', scopes: ['offers'] },
      { token: app.adminKey },
    );
    expect(created.status).toBe(201);
    stampedNow(created.body.createdAt);
    const revoked = await app.http.delete<ApiKey>(`/api/keys/${created.body.id}`, { token: app.adminKey });
    expect(revoked.status).toBe(200);
    stampedNow(revoked.body.revokedAt);

    const offersKey = await createKey(app, ['offers']);
    const guest = await checkIn(app, { name: 'Stamped' });
    const offer = await app.http.post<Offer>(`/api/guests/${guest.id}/offers`, { title: 'Tea' }, { token: offersKey });
    expect(offer.status).toBe(201);
    stampedNow(offer.body.createdAt);

    const table = await app.http.post<Table>('/api/tables', { label: 'Clock', capacity: 2 }, { token: app.adminKey });
    expect(table.status).toBe(201);
    const reserved = await app.http.patch<Table>(`/api/tables/${table.body.id}`, { status: 'reserved' }, { token: staffKey });
    expect(reserved.status).toBe(200);

    const feed = await app.http.get<Feed>('/api/events?types=offer.created,table.status_changed&limit=500', { token: staffKey });
    const recent = feed.body.data.filter(
      (event) =>
        (event.type === 'offer.created' && (event.data as { offer: { id: string } }).offer.id === offer.body.id) ||
        (event.type === 'table.status_changed' && (event.data as { table: { id: string } }).table.id === table.body.id),
    );
    expect(recent.map((event) => event.type).sort()).toEqual(['offer.created', 'table.status_changed']);
    for (const event of recent) stampedNow(event.timestamp);
  });
});
