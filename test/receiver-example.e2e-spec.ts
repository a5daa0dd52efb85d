import { join } from 'node:path';
import type { CreatedEndpoint } from './support/api-types';
import { checkIn, createKey, removeDir, startApp, type TestApp } from './support/app';
import { cleanEnv, freePort, killAll, NodeProcess } from './support/processes';

/**
 * examples/receiver.mjs, the README's receiver, run exactly as a newcomer runs it (plain `node`, no
 * build step), receives and verifies a real delivery from Maitred. The allow-list names `localhost`
 * and the endpoint `127.0.0.1`: loopback spellings of an allowed port are the same host.
 */
describe('the README receiver (examples/receiver.mjs)', () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: `localhost:${port}` });
  });

  afterAll(async () => {
    killAll();
    await app.close();
    removeDir(app.dir);
  });

  it('verifies a signed delivery and refuses an unsigned one', async () => {
    const key = await createKey(app, ['endpoints']);
    const created = await app.http.post<CreatedEndpoint>(
      '/api/webhooks/endpoints',
      { url: `http://127.0.0.1:${port}/hooks/maitred`, eventTypes: ['guest.checked_in'] },
      { token: key },
    );
    expect(created.status).toBe(201);

    const receiver = new NodeProcess('receiver', join(__dirname, '..', 'examples', 'receiver.mjs'), {
      ...cleanEnv(app.dir, { MAITRED_WEBHOOK_SECRET: created.body.secret, PORT: String(port) }),
    });
    await receiver.waitFor(new RegExp(`listening on http://127\\.0\\.0\\.1:${port}/hooks/maitred`));

    const guest = await checkIn(app, { name: 'Anna' });
    const [line] = await receiver.waitFor(/^(evt_\S+) guest\.checked_in (.*)$/m);
    expect(line).toContain(`"id":"${guest.id}"`);
    expect(line).toContain('"name":"Anna"');

    const forged = await fetch(`http://127.0.0.1:${port}/hooks/maitred`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'evt_x',
        'webhook-timestamp': '1',
        'webhook-signature': 'v1,AAAA',
      },
      body: '{}',
    });
    expect(forged.status).toBe(401);
  });
});
