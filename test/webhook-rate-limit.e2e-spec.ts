import { ADMIN_KEY, createKey, ON_POSTGRES, removeDir, startApp, TestApp, tempDir, testDatabaseUrl } from './support/app';
import type { Http, HttpResult } from './support/http';
import { Instance, killAllInstances, launchInstance } from './support/instances';
import { Receiver } from './support/receiver';
import { waitFor } from './support/wait';

/**
 * `rateLimitPerSecond`, measured where it matters, at the receiver: no 5 s window more than 10 %
 * over the limit, the overall rate close to it, other endpoints not held back, 429 answers slowing
 * an endpoint down, and (on PostgreSQL) two instances on one database staying under it together.
 * These measure real time by nature; the bounds are the contract's, with the slack it allows.
 */

const DB = ON_POSTGRES ? 'PostgreSQL' : 'SQLite';
const ENDPOINTS = '/api/webhooks/endpoints';
const BACKLOG = 300;
const WINDOW_MS = 5_000;

jest.setTimeout(60_000);

interface EndpointBody {
  id: string;
  secret?: string;
  rateLimitPerSecond: number | null;
}

function fieldsOf(result: HttpResult): string[] {
  const details = (result.body as { details?: { field: string }[] } | undefined)?.details ?? [];
  return details.map((detail) => detail.field);
}

/** The most requests seen in any WINDOW_MS-long stretch (half-open), from their arrival times. */
function busiestWindow(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let worst = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end] < sorted[start] + WINDOW_MS) end++;
    worst = Math.max(worst, end - start);
  }
  return worst;
}

/** Requests per second between the first and the last arrival. */
function overallRate(times: readonly number[]): number {
  const first = Math.min(...times);
  const last = Math.max(...times);
  return (times.length - 1) / ((last - first) / 1000);
}

async function createEndpoint(
  http: Http,
  key: string,
  receiver: Receiver,
  rateLimitPerSecond?: number | null,
): Promise<EndpointBody> {
  const created = await http.post<EndpointBody>(
    ENDPOINTS,
    { url: receiver.url, eventTypes: ['guest.checked_in'], ...(rateLimitPerSecond === undefined ? {} : { rateLimitPerSecond }) },
    { token: key },
  );
  expect(created.status).toBe(201);
  receiver.secrets = [created.body.secret ?? ''];
  return created.body;
}

/** A stretch of the feed, to replay. */
interface Window {
  since: string;
  until: string;
}

/** BACKLOG check-ins (so as many guest.checked_in events), before any endpoint exists: a window to replay. */
async function checkInBacklog(http: Http): Promise<Window> {
  const since = new Date(Date.now() - 1_000).toISOString();
  for (let i = 0; i < BACKLOG; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, j) => {
        const result = await http.post('/api/guests', { name: `Backlog ${i + j}`, partySize: 2 });
        if (result.status !== 201) throw new Error(`check-in failed: ${result.status} ${result.text}`);
      }),
    );
  }
  return { since, until: new Date().toISOString() };
}

/** The backlog as one delivery per event to this endpoint, all due at once. */
async function replay(http: Http, key: string, endpointId: string, window: Window): Promise<void> {
  const replayed = await http.post<{ count: number }>(`${ENDPOINTS}/${endpointId}/replay`, window, { token: key });
  expect(replayed.status).toBe(202);
  expect(replayed.body.count).toBe(BACKLOG);
}

const arrivals = (receiver: Receiver) => receiver.received.map((request) => request.receivedAt);

describe(`rateLimitPerSecond on ${DB}`, () => {
  let app: TestApp;
  let key: string;
  const limited = new Receiver();
  const free = new Receiver();
  const throttling = new Receiver();
  let backlog: Window;

  beforeAll(async () => {
    await Promise.all([limited.start(), free.start(), throttling.start()]);
    app = await startApp({
      WEBHOOK_ALLOWED_HOSTS: [limited, free, throttling].map((r) => r.hostPort).join(','),
      WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s,1s,1s,1s',
    });
    key = await createKey(app, ['endpoints']);
    backlog = await checkInBacklog(app.http);
  });

  afterAll(async () => {
    await Promise.all([limited.stop(), free.stop(), throttling.stop()]);
    await app.close();
    removeDir(app.dir);
  });

  it('refuses anything but null or an integer from 1 to 10000 with 400 naming rateLimitPerSecond, on create and PATCH', async () => {
    for (const bad of [0, -1, 10_001, 1.5, '20', true]) {
      const created = await app.http.post(ENDPOINTS, { url: limited.url, rateLimitPerSecond: bad }, { token: key });
      expect(created.status).toBe(400);
      expect(fieldsOf(created)).toContain('rateLimitPerSecond');
    }
    const plain = await app.http.post<EndpointBody>(ENDPOINTS, { url: limited.url }, { token: key });
    expect(plain.status).toBe(201);
    expect(plain.body.rateLimitPerSecond).toBeNull();
    const path = `${ENDPOINTS}/${plain.body.id}`;
    for (const bad of [0, 10_001, 2.5, 'fast']) {
      const patched = await app.http.patch(path, { rateLimitPerSecond: bad }, { token: key });
      expect(patched.status).toBe(400);
      expect(fieldsOf(patched)).toContain('rateLimitPerSecond');
    }
    const set = await app.http.patch<EndpointBody>(path, { rateLimitPerSecond: 10_000 }, { token: key });
    expect(set.status).toBe(200);
    expect(set.body.rateLimitPerSecond).toBe(10_000);
    expect((await app.http.get<EndpointBody>(path, { token: key })).body.rateLimitPerSecond).toBe(10_000);
    const cleared = await app.http.patch<EndpointBody>(path, { rateLimitPerSecond: null }, { token: key });
    expect(cleared.body.rateLimitPerSecond).toBeNull();
    const one = await app.http.post<EndpointBody>(ENDPOINTS, { url: limited.url, rateLimitPerSecond: 1 }, { token: key });
    expect(one.status).toBe(201);
    expect(one.body.rateLimitPerSecond).toBe(1);
    for (const id of [plain.body.id, one.body.id]) await app.http.delete(`${ENDPOINTS}/${id}`, { token: key });
  });

  it('holds a 20/s endpoint to its limit in every 5 s window, close to it overall, while an unlimited one drains at once', async () => {
    const slow = await createEndpoint(app.http, key, limited, 20);
    const fast = await createEndpoint(app.http, key, free);
    const started = Date.now();
    await Promise.all([replay(app.http, key, slow.id, backlog), replay(app.http, key, fast.id, backlog)]);
    await waitFor(() => free.received.length >= BACKLOG, { timeoutMs: 30_000, label: 'the unlimited backlog' });
    const freeDoneMs = Date.now() - started;
    // Meanwhile the limited one is far from done: 300 at 20/s takes about 15 s.
    expect(limited.received.length).toBeLessThan(BACKLOG / 2);
    await waitFor(() => limited.received.length >= BACKLOG, { timeoutMs: 40_000, label: 'the limited backlog' });
    const limitedDoneMs = Date.now() - started;
    const times = arrivals(limited);
    const busiest = busiestWindow(times);
    const rate = overallRate(times);
    console.log(
      `${DB}: limited 20/s: busiest 5 s window ${busiest}, overall ${rate.toFixed(1)}/s, done in ${limitedDoneMs} ms; unlimited done in ${freeDoneMs} ms`,
    );
    expect(busiest).toBeLessThanOrEqual(110);
    // Idle, and under four busy loops, this is 18–20/s; the full suite's load on 2 cores has given 13.8/s once
    // (claims then come round more slowly than the bucket's 0.2 s of tokens last). Far below would be a fault.
    expect(rate).toBeGreaterThanOrEqual(12);
    expect(freeDoneMs * 3).toBeLessThan(limitedDoneMs);
    expect(limited.received.every((r) => r.verified)).toBe(true);
    for (const id of [slow.id, fast.id]) await app.http.delete(`${ENDPOINTS}/${id}`, { token: key });
  });

  it('holds events as they happen to the limit too (no hand-off around the bucket)', async () => {
    const endpoint = await createEndpoint(app.http, key, free, 2);
    free.received.length = 0;
    const guests = 8;
    for (let i = 0; i < guests; i++) {
      const result = await app.http.post('/api/guests', { name: `Trickle ${i}`, partySize: 2 });
      expect(result.status).toBe(201);
    }
    await waitFor(() => free.received.length >= guests, { timeoutMs: 15_000, label: 'the trickle' });
    const times = arrivals(free);
    // 2/s with a bucket of one token: 8 requests take at least 3.5 s, however fast they were written.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(3_000);
    await app.http.delete(`${ENDPOINTS}/${endpoint.id}`, { token: key });
  });

  it('slows an endpoint down once it answers 429', async () => {
    let seen = 0;
    let firstThrottleAt = 0;
    throttling.respond = (_request, res) => {
      seen++;
      // The first 100 go through; then every third is 429 (never 5 in a row: the breaker stays shut).
      if (seen > 100 && seen % 3 === 0) {
        if (firstThrottleAt === 0) firstThrottleAt = Date.now();
        res.writeHead(429).end('slow down');
        return;
      }
      res.writeHead(204).end();
    };
    const endpoint = await createEndpoint(app.http, key, throttling, 50);
    await replay(app.http, key, endpoint.id, backlog);
    await waitFor(() => firstThrottleAt > 0, { timeoutMs: 20_000, label: 'the first 429' });
    const settledAt = firstThrottleAt + 1_000;
    await waitFor(() => Date.now() >= settledAt + 4_000, { timeoutMs: 10_000, intervalMs: 100, label: 'four seconds after' });
    const times = arrivals(throttling);
    // How fast it flowed before depends on the machine (a starved CPU has given 17/s of the 50); how fast after
    // does not: the 429s halve the rate itself (50, 25, 12.5, …), not what was observed, so `after` is held
    // against the limit, and `before` only has to show the endpoint was flowing well above that.
    const before = times.filter((t) => t >= firstThrottleAt - 2_000 && t < firstThrottleAt).length / 2;
    const after = times.filter((t) => t >= settledAt && t < settledAt + 4_000).length / 4;
    console.log(`${DB}: before the 429s ${before}/s, after ${after}/s`);
    expect(before).toBeGreaterThan(15);
    expect(after).toBeLessThan(50 / 4);
    expect(after).toBeLessThan(before);
    const view = await app.http.get<EndpointBody & { health: string }>(`${ENDPOINTS}/${endpoint.id}`, { token: key });
    expect(view.body.rateLimitPerSecond).toBe(50);
    await app.http.delete(`${ENDPOINTS}/${endpoint.id}`, { token: key });
  });
});

const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('rateLimitPerSecond over two instances on one PostgreSQL database', () => {
  const receiver = new Receiver();
  let dir: string;
  let instances: Instance[] = [];

  beforeAll(async () => {
    dir = tempDir('maitred-rate-');
    await receiver.start();
    const env = {
      DATABASE_URL: await testDatabaseUrl(dir),
      ADMIN_API_KEY: ADMIN_KEY,
      WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
    };
    // The first creates the schema; the second starts against it.
    instances = [await launchInstance('A', dir, env)];
    instances.push(await launchInstance('B', dir, env));
  });

  afterAll(async () => {
    await receiver.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
    await killAllInstances();
    removeDir(dir);
  });

  it('keeps both instances together at or under 20/s in every 5 s window, and close to it', async () => {
    const [a, b] = instances;
    const created = await a.http.post<{ key: string }>(
      '/api/keys',
      { name: 'rate', scopes: ['endpoints'] },
      { token: ADMIN_KEY },
    );
    const key = created.body.key;
    const backlog = await checkInBacklog(a.http);
    const endpoint = await createEndpoint(a.http, key, receiver, 20);
    // B learns of the endpoint from the database (its cached view is reloaded when due work names it).
    await replay(b.http, key, endpoint.id, backlog);
    await waitFor(() => receiver.received.length >= BACKLOG, { timeoutMs: 40_000, label: 'the backlog' });
    const times = arrivals(receiver);
    const busiest = busiestWindow(times);
    const rate = overallRate(times);
    console.log(`two instances, 20/s: busiest 5 s window ${busiest}, overall ${rate.toFixed(1)}/s`);
    expect(busiest).toBeLessThanOrEqual(110);
    // Idle, and under four busy loops, this is 18–20/s; the full suite's load on 2 cores has given 13.8/s once
    // (claims then come round more slowly than the bucket's 0.2 s of tokens last). Far below would be a fault.
    expect(rate).toBeGreaterThanOrEqual(12);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(BACKLOG);
  });
});
