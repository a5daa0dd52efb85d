import { join } from 'node:path';
import { DIST_DIR, removeDir, startApp, TestApp } from './support/app';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DispatcherService } = require(
  join(DIST_DIR, 'webhooks', 'dispatcher.service'),
) as typeof import('../src/webhooks/dispatcher.service');

/** /health/live and /health/ready on a running app (the database outage is in postgres-restart.e2e-spec.ts). */
describe('liveness and readiness', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp();
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it('is live, without a key', async () => {
    const live = await app.http.get<{ status: string; uptimeSeconds: number }>('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number) as number });
  });

  it('is ready once the database answers, the migrations are applied and the dispatcher runs', async () => {
    const ready = await app.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok', dispatcher: 'ok' }, failed: [] });
  });

  it('keeps /health as it was', async () => {
    const health = await app.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('says 503 and names the dispatcher once it stops (the app shutting down)', async () => {
    const other = await startApp();
    try {
      // What shutdown does first: the dispatcher stops taking work, while HTTP still answers.
      await other.nest.get(DispatcherService).beforeApplicationShutdown();
      const ready = await other.http.get<{ failed: string[] }>('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.failed).toEqual(['dispatcher']);
      expect((await other.http.get('/health/live')).status).toBe(200);
    } finally {
      await other.close();
      removeDir(other.dir);
    }
  });
});
