import type { ErrorBody } from './support/api-types';
import { createKey, removeDir, startApp, type TestApp } from './support/app';

/** Error messages a newcomer reads: each names its field once, and says what to do. */
describe('error messages', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp();
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it('a validation message names its field once; details carry the field apart', async () => {
    const result = await app.http.post<ErrorBody>('/api/guests', { name: 'Anna', partySize: 2.5 });
    expect(result.status).toBe(400);
    expect(result.body.message).toBe('partySize must be a whole number');
    expect(result.body.details).toEqual([{ field: 'partySize', message: 'partySize must be a whole number' }]);
  });

  it('a missing field says it is required, not that its format is wrong', async () => {
    const endpoints = await createKey(app, ['endpoints']);
    const result = await app.http.post<ErrorBody>(
      '/api/webhooks/endpoints/ep_01ARZ3NDEKTSV4RRFFQ69G5FAV/recover',
      {},
      { token: endpoints },
    );
    expect(result.status).toBe(400);
    expect(result.body.message).toBe('since is required: an RFC 3339 date-time such as 2026-01-02T03:04:05Z');
    const wrong = await app.http.post<ErrorBody>(
      '/api/webhooks/endpoints/ep_01ARZ3NDEKTSV4RRFFQ69G5FAV/recover',
      { since: 'yesterday' },
      { token: endpoints },
    );
    expect(wrong.body.message).toBe('since must be an RFC 3339 date-time such as 2026-01-02T03:04:05Z');
  });

  it('403 says which scope the route needs', async () => {
    const offers = await createKey(app, ['offers']);
    const events = await app.http.get<ErrorBody>('/api/events', { token: offers });
    expect(events.status).toBe(403);
    expect(events.body.message).toBe('This route needs the staff scope');
    const guest = await app.http.get<ErrorBody>('/api/guests/gst_01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: offers });
    expect(guest.body.message).toBe("This route needs one of: the staff scope, that guest's token");
  });

  it('a refused loopback webhook URL says how to allow it', async () => {
    const endpoints = await createKey(app, ['endpoints']);
    const result = await app.http.post<ErrorBody>(
      '/api/webhooks/endpoints',
      { url: 'http://localhost:4010/hooks/maitred' },
      { token: endpoints },
    );
    expect(result.status).toBe(400);
    expect(result.body.message).toContain('WEBHOOK_ALLOWED_HOSTS=localhost:4010');
    expect(result.body.details).toEqual([{ field: 'url', message: result.body.message }]);
  });
});
