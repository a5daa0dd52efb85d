import { expect } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import { ADMIN_KEY, checkIn, createKey, removeDir, startApp, TestApp } from './support/app';
import { eventually, Receiver } from './support/receiver';
import { connect } from './support/sockets';

/**
 * GET /metrics after real traffic: check-ins, a webhook delivered to a local receiver, a socket
 * client. Each metric of the contract is there with its labels; the route label is the template.
 */
jest.setTimeout(30_000);

/** The value of one sample line, `name{labels} value`, or undefined when the line is missing. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries(
      (match.at(2) ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => {
          const [key, value] = pair.split('=');
          return [key, JSON.parse(value) as string];
        }),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  const receiver = new Receiver();
  let app: TestApp;
  let socket: Socket | undefined;

  beforeAll(async () => {
    await receiver.start();
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: receiver.hostPort });
  });

  afterAll(async () => {
    socket?.close();
    await app.close();
    await receiver.stop();
    removeDir(app.dir);
  });

  const scrape = async (token = ADMIN_KEY) => {
    const result = await app.http.get('/metrics', { token });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return result.text;
  };

  it('counts check-ins, requests by route template, webhook attempts, pending deliveries and sockets', async () => {
    const endpointsKey = await createKey(app, ['endpoints']);
    const endpoint = await app.http.post<{ secret: string }>(
      '/api/webhooks/endpoints',
      { url: receiver.url, eventTypes: ['guest.checked_in'] },
      { token: endpointsKey },
    );
    expect(endpoint.status).toBe(201);
    receiver.secrets = [endpoint.body.secret];
    socket = await connect(app.baseUrl, '/floor');

    const guests = [await checkIn(app, { name: 'Ada' }), await checkIn(app, { name: 'Bo' })];
    for (const guest of guests) await app.http.get(`/api/guests/${guest.id}`, { guestToken: guest.token });
    await receiver.waitFor((request) => request.payload.data.guest.id === guests[1].id);

    // Attempts are counted once recorded, just after the receiver answered.
    const text = await eventually(
      async () => {
        const body = await scrape();
        return (sample(body, 'maitred_webhook_attempts_total', { outcome: 'success' }) ?? 0) >= 2 ? body : undefined;
      },
      10_000,
      'two successful attempts in /metrics',
    );
    expect(sample(text, 'maitred_checkins_total')).toBe(2);
    expect(sample(text, 'maitred_http_request_duration_seconds_count', { route: '/api/guests', status: '201' })).toBe(2);
    expect(sample(text, 'maitred_http_request_duration_seconds_count', { route: '/api/guests/:id', status: '200' })).toBe(2);
    // Never the raw URL of a request.
    expect(text).not.toContain(guests[0].id);
    expect(sample(text, 'maitred_webhook_attempt_duration_seconds_count', { outcome: 'success' })).toBe(2);
    expect(sample(text, 'maitred_webhook_pending_deliveries')).toBe(0);
    expect(sample(text, 'maitred_socket_clients', { namespace: '/floor' })).toBe(1);
    expect(sample(text, 'maitred_socket_clients', { namespace: '/staff' })).toBe(0);
    // The default process metrics.
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeDefined();
  });

  it('counts failed attempts by their failure and the deliveries still pending', async () => {
    receiver.respond = (_request, res) => {
      res.writeHead(503).end();
    };
    const guest = await checkIn(app, { name: 'Cy' });
    await receiver.waitFor((request) => request.payload.data.guest.id === guest.id);
    const text = await eventually(
      async () => {
        const body = await scrape();
        return sample(body, 'maitred_webhook_attempts_total', { outcome: 'http_503' }) === 1 ? body : undefined;
      },
      10_000,
      'a failed attempt in /metrics',
    );
    // Its retry waits (5 s by default): still pending.
    expect(sample(text, 'maitred_webhook_pending_deliveries')).toBe(1);
    receiver.respond = (_request, res) => {
      res.writeHead(204).end();
    };
  });

  it('needs an admin key', async () => {
    expect((await app.http.get('/metrics')).status).toBe(401);
    expect((await app.http.get('/metrics', { token: 'mtr_not_a_key' })).status).toBe(401);
    const staffKey = await createKey(app, ['staff']);
    const forbidden = await app.http.get<{ message: string }>('/metrics', { token: staffKey });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toContain('admin');
  });

  it('is public with METRICS_PUBLIC=true, and gone with METRICS=off', async () => {
    const open = await startApp({ METRICS_PUBLIC: 'true' });
    const off = await startApp({ METRICS: 'off' });
    try {
      const result = await open.http.get('/metrics');
      expect(result.status).toBe(200);
      expect(result.text).toContain('maitred_checkins_total');
      expect((await off.http.get('/metrics', { token: ADMIN_KEY })).status).toBe(404);
    } finally {
      await open.close();
      await off.close();
      removeDir(open.dir);
      removeDir(off.dir);
    }
  });
});
