import { checkIn, removeDir, startApp, TestApp } from './support/app';

describe('database smoke', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it('checks in and reads back on the configured dialect', async () => {
    const guest = await checkIn(app);
    const health = await app.http.get<{ status: string }>('/health');
    expect(health.body.status).toBe('ok');
    const read = await app.http.get(`/api/guests/${guest.id}`, { token: app.adminKey });
    expect(read.body).toMatchObject({ id: guest.id, marketingOptIn: false, position: 1 });
  });
});
