'use strict';
/**
 * A quick, bounded measurement of the webhook delivery engine on loopback, printed as JSON:
 *  (a) fan-out: N check-ins as fast as possible (bounded concurrency) to K endpoints: check-ins/s,
 *      and deliveries/s as the receivers saw them from the first to the last;
 *  (a') drain: the same engine emptying a backlog with nothing else running (receivers hold their
 *      answers while the backlog is written, then answer everything at once);
 *  (b) latency at a steady check-in rate: from the 201 to the receiver having the webhook;
 *  (c) a same-run baseline: a bare undici keep-alive POST loop to the same receivers, and the ratio.
 * Each phase gets a fresh app on its own temporary SQLite file. The app runs in this process
 * (like the e2e tests), so the app, the load generator and the receivers share one event loop:
 * the numbers are for comparing runs on one machine, not a capacity figure.
 *
 *   npm run build && node bench/delivery-quick.js        (MAITRED_DIST=<dir> for another build)
 */
const { createServer } = require('node:http');
const { mkdtempSync, rmSync } = require('node:fs');
const { cpus, loadavg, tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { performance } = require('node:perf_hooks');
const { Agent, request } = require('undici');

const DIST = resolve(process.env.MAITRED_DIST || 'dist');
const { createApp } = require(join(DIST, 'app.factory.js'));

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const K = 4; // endpoints, one receiver each
const N = 2000; // check-ins in the fan-out phase
const N_DRAIN = 1000; // check-ins behind the drain phase's backlog (K x this many deliveries)
const CHECK_IN_CONCURRENCY = 16;
const ENDPOINT_CONCURRENCY = 16; // the app's default, set explicitly; the baseline uses the same
const STEADY_RATE = 50; // check-ins per second in the latency phase
const STEADY_SECONDS = 10;
/** In the latency phase each guest leaves this long after checking in, so the line stays short. */
const STAY_MS = 1_000;
const PHASE_TIMEOUT_MS = 180_000;

const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
}

async function waitUntil(check, label, timeoutMs = PHASE_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await sleep(5);
  }
}

/**
 * A receiver answering 204 at once (or, while `hold` is set, not yet). It notes when each
 * webhook arrived and, when `byGuest` is a Map, for which guest.
 */
function startReceiver() {
  const r = { port: 0, count: 0, first: 0, last: 0, byGuest: null, hold: false, held: [], server: null };
  r.server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const now = performance.now();
      r.count++;
      if (r.first === 0) r.first = now;
      r.last = now;
      if (r.byGuest) {
        const guestId = JSON.parse(Buffer.concat(chunks).toString('utf8')).data.guest.id;
        if (!r.byGuest.has(guestId)) r.byGuest.set(guestId, now);
      }
      if (r.hold) r.held.push(res);
      else res.writeHead(204).end();
    });
  });
  r.server.keepAliveTimeout = 60_000;
  r.reset = () => Object.assign(r, { count: 0, first: 0, last: 0 });
  r.release = () => {
    r.hold = false;
    for (const res of r.held.splice(0)) res.writeHead(204).end();
  };
  return new Promise((done) =>
    r.server.listen(0, '127.0.0.1', () => {
      r.port = r.server.address().port;
      done(r);
    }),
  );
}

/** A fresh app on its own SQLite file with one endpoint per receiver, warmed up. */
async function startInstance(receivers, extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'maitred-bench-'));
  const { app } = await createApp({
    DATABASE_URL: `sqlite:${join(dir, 'maitred.sqlite')}`,
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'silent',
    CHECKIN_RATE_LIMIT: '0',
    SEED_DEMO: 'false',
    WEBHOOK_ALLOWED_HOSTS: receivers.map((r) => `127.0.0.1:${r.port}`).join(','),
    WEBHOOK_ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY),
    ...extraEnv,
  });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const client = new Agent({ connections: CHECK_IN_CONCURRENCY * 4, keepAliveTimeout: 30_000 });

  async function api(method, path, body, token) {
    const response = await request(`${base}${path}`, {
      method,
      dispatcher: client,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text ? JSON.parse(text) : undefined };
  }

  let n = 0;
  async function checkIn() {
    const i = n++;
    const result = await api('POST', '/api/guests', { name: `Bench ${i}`, partySize: 1 + (i % 8) });
    if (result.status !== 201) throw new Error(`check-in: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body.id;
  }

  async function checkIns(count) {
    let issued = 0;
    await Promise.all(
      Array.from({ length: CHECK_IN_CONCURRENCY }, async () => {
        while (issued < count) {
          issued++;
          await checkIn();
        }
      }),
    );
  }

  const key = await api('POST', '/api/keys', { name: 'bench', scopes: ['endpoints'] }, ADMIN_KEY);
  for (const r of receivers) {
    const body = { url: `http://127.0.0.1:${r.port}/hook`, eventTypes: ['guest.checked_in'] };
    const created = await api('POST', '/api/webhooks/endpoints', body, key.body.key);
    if (created.status !== 201) throw new Error(`endpoint: ${created.status} ${JSON.stringify(created.body)}`);
  }
  // Connections, the JIT and the dispatcher's view of the endpoints, before anything is measured.
  for (const r of receivers) r.reset();
  for (let i = 0; i < 20; i++) await checkIn();
  await waitUntil(() => receivers.every((r) => r.count >= 20), 'warm-up deliveries');
  for (const r of receivers) r.reset();

  async function close() {
    await client.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { api, checkIn, checkIns, close };
}

async function fanoutPhase(receivers) {
  const instance = await startInstance(receivers);
  try {
    const started = performance.now();
    await instance.checkIns(N);
    const checkInsDone = performance.now();
    await waitUntil(() => receivers.every((r) => r.count >= N), 'fan-out deliveries');
    const first = Math.min(...receivers.map((r) => r.first));
    const last = Math.max(...receivers.map((r) => r.last));
    const deliveries = receivers.reduce((sum, r) => sum + r.count, 0);
    return {
      endpoints: K,
      checkIns: N,
      checkInConcurrency: CHECK_IN_CONCURRENCY,
      checkInsPerSecond: round(N / ((checkInsDone - started) / 1000)),
      deliveries,
      deliveriesPerSecond: round(deliveries / ((last - first) / 1000)),
      firstReceiptAfterStartMs: round(first - started),
      lastReceiptAfterLastCheckInMs: round(last - checkInsDone),
    };
  } finally {
    await instance.close();
  }
}

async function drainPhase(receivers) {
  // Held answers must not time out while the backlog is being written.
  const instance = await startInstance(receivers, { WEBHOOK_TIMEOUT_MS: String(PHASE_TIMEOUT_MS) });
  try {
    for (const r of receivers) r.hold = true;
    await instance.checkIns(N_DRAIN);
    // Every endpoint's slots are taken by held attempts: the rest of the backlog waits in the outbox.
    await waitUntil(() => receivers.every((r) => r.held.length >= ENDPOINT_CONCURRENCY), 'held attempts');
    const heldBefore = receivers.reduce((sum, r) => sum + r.count, 0);
    for (const r of receivers) r.reset();
    const released = performance.now();
    for (const r of receivers) r.release();
    const expected = K * N_DRAIN - heldBefore;
    await waitUntil(() => receivers.reduce((sum, r) => sum + r.count, 0) >= expected, 'drained backlog');
    const last = Math.max(...receivers.map((r) => r.last));
    return {
      backlog: expected,
      deliveriesPerSecond: round(expected / ((last - released) / 1000)),
      perEndpointPerSecond: receivers.map((r) => round(r.count / ((r.last - released) / 1000))),
    };
  } finally {
    for (const r of receivers) r.release();
    await instance.close();
  }
}

async function latencyPhase(receivers) {
  const instance = await startInstance(receivers);
  try {
    for (const r of receivers) r.byGuest = new Map();
    const total = STEADY_RATE * STEADY_SECONDS;
    const sent = [];
    const pending = [];
    const started = performance.now();
    // Open loop: each check-in leaves on its own schedule, whatever the previous ones are doing.
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / STEADY_RATE - performance.now();
      if (wait > 1) await sleep(wait);
      const startedAt = performance.now();
      pending.push(
        instance.checkIn().then(async (guestId) => {
          sent.push({ guestId, startedAt, answeredAt: performance.now() });
          await sleep(STAY_MS);
          const left = await instance.api('POST', `/api/guests/${guestId}/leave`, {}, ADMIN_KEY);
          if (left.status !== 200 && left.status !== 201) throw new Error(`leave: ${left.status}`);
        }),
      );
    }
    const rate = total / ((performance.now() - started) / 1000);
    await Promise.all(pending);
    await waitUntil(() => receivers.every((r) => r.byGuest.size >= total), 'steady-rate deliveries', 30_000);
    const from201 = [];
    const fromRequest = [];
    const checkInMs = [];
    let beforeThe201 = 0;
    for (const s of sent) {
      checkInMs.push(s.answeredAt - s.startedAt);
      for (const r of receivers) {
        const at = r.byGuest.get(s.guestId);
        from201.push(at - s.answeredAt);
        fromRequest.push(at - s.startedAt);
        if (at < s.answeredAt) beforeThe201++;
      }
    }
    for (const list of [from201, fromRequest, checkInMs]) list.sort((x, y) => x - y);
    const summary = (list) => ({ p50: percentile(list, 50), p99: percentile(list, 99), max: round(list[list.length - 1]) });
    return {
      rate: STEADY_RATE,
      seconds: STEADY_SECONDS,
      achievedRate: round(rate),
      guestsLeaveAfterMs: STAY_MS,
      samples: from201.length,
      from201Ms: summary(from201),
      fromRequestStartMs: summary(fromRequest),
      checkInResponseMs: summary(checkInMs),
      // The dispatcher is woken by the commit, so a webhook can land before the client reads its 201.
      receivedBeforeThe201: beforeThe201,
    };
  } finally {
    for (const r of receivers) r.byGuest = null;
    await instance.close();
  }
}

async function baselinePhase(receivers) {
  for (const r of receivers) r.reset();
  const bare = new Agent({ connections: ENDPOINT_CONCURRENCY, keepAliveTimeout: 30_000, pipelining: 1 });
  const at = new Date().toISOString();
  // About the size of a real guest.checked_in body.
  const body = JSON.stringify({
    type: 'guest.checked_in',
    timestamp: at,
    data: { guest: { id: 'gst_01M8GNB268DDHVMEF3ATWTFKWY', name: 'Bench 1', partySize: 2, email: null, phone: null, marketingOptIn: false, notes: null, status: 'waiting', position: 1, quotedWaitMinutes: 5, tableId: null, checkedInAt: at, seatedAt: null, leftAt: null, leftReason: null, paid: false } },
  });
  const started = performance.now();
  await Promise.all(
    receivers.flatMap((r) => {
      let left = N;
      const url = `http://127.0.0.1:${r.port}/hook`;
      return Array.from({ length: ENDPOINT_CONCURRENCY }, async () => {
        while (left > 0) {
          left--;
          const response = await request(url, { method: 'POST', dispatcher: bare, headers: { 'content-type': 'application/json' }, body });
          await response.body.dump();
        }
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await bare.close();
  return { requests: N * K, concurrencyPerReceiver: ENDPOINT_CONCURRENCY, requestsPerSecond: round((N * K) / seconds) };
}

async function main() {
  const receivers = await Promise.all(Array.from({ length: K }, startReceiver));
  const startedAt = Date.now();
  const loadAverage1m = round(loadavg()[0], 2);
  try {
    const fanout = await fanoutPhase(receivers);
    const drain = await drainPhase(receivers);
    const latency = await latencyPhase(receivers);
    const baseline = await baselinePhase(receivers);
    console.log(
      JSON.stringify(
        {
          machine: { node: process.version, cpus: cpus().length, loadAverage1mAtStart: loadAverage1m, loadAverage1mAtEnd: round(loadavg()[0], 2) },
          fanout,
          drain,
          latency,
          baseline,
          fanoutVsBaseline: round(fanout.deliveriesPerSecond / baseline.requestsPerSecond, 3),
          drainVsBaseline: round(drain.deliveriesPerSecond / baseline.requestsPerSecond, 3),
          totalSeconds: round((Date.now() - startedAt) / 1000),
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(
      receivers.map((r) => new Promise((done) => {
        r.server.closeAllConnections();
        r.server.close(done);
      })),
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
