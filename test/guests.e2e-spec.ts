import { expect } from '@jest/globals';
import { ADMIN_KEY, checkIn, freeTable, removeDir, startApp, TestApp } from './support/app';
import type { Schemas } from './support/api-types';

describe('guests: check-in, seat, leave', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp();
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it('checks a guest in with a token, a place in line and a quoted wait', async () => {
    const result = await app.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', {
      name: 'Anna',
      partySize: 2,
      email: 'anna@example.com',
    });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      name: 'Anna',
      partySize: 2,
      email: 'anna@example.com',
      phone: null,
      marketingOptIn: false,
      notes: null,
      status: 'waiting',
      position: expect.any(Number),
      quotedWaitMinutes: expect.any(Number),
      tableId: null,
      seatedAt: null,
      leftAt: null,
      leftReason: null,
      paid: false,
    });
    expect(result.body.id).toMatch(/^gst_[0-9A-Z]{26}$/);
    expect(typeof result.body.token).toBe('string');
    expect(result.headers.get('x-request-id')).toBeTruthy();
  });

  it('seats a waiting guest at a fitting table and frees it after cleaning', async () => {
    const guest = await checkIn(app, { name: 'Ben', partySize: 3 });
    const table = await freeTable(app, 3);
    const seated = await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: table.id }, { token: ADMIN_KEY });
    expect(seated.status).toBe(200);
    expect(seated.body).toMatchObject({ status: 'seated', tableId: table.id, position: null, quotedWaitMinutes: null });

    const left = await app.http.post(`/api/guests/${guest.id}/leave`, {}, { token: ADMIN_KEY });
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({ status: 'left', leftReason: 'finished', tableId: table.id });

    const tablesAfter = await app.http.get<Schemas['TableResponse'][]>('/api/tables', { token: ADMIN_KEY });
    expect(tablesAfter.body.find((t: { id: string }) => t.id === table.id)).toMatchObject({ status: 'cleaning', guestId: null });
  });
});
