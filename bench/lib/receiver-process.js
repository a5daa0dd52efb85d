'use strict';
/**
 * The webhook receivers, in a process of their own so that they never share an event loop
 * with a sender: K "healthy" receivers (one port each, like K separate subscribers) answering
 * 204 as soon as a request has arrived, and optionally "hanging" receivers that read the
 * request and never answer, and "limited" ones that answer like the healthy ones but are counted
 * apart (a rate-limited endpoint's, outside every drain's total). Each counts what arrived, when the first and the last arrived
 * (system-wide monotonic clock), and, while recording, when each guest's webhook arrived.
 */
const { createServer } = require('node:http');
const { nowMs, serve } = require('./util');

const healthy = [];
const hanging = [];
/** Answering receivers counted apart from the healthy ones (a rate-limited endpoint's): never in `total`. */
const limited = [];
let recording = false;
let waiters = [];

function total() {
  let sum = 0;
  for (const r of healthy) sum += r.count;
  return sum;
}

function checkWaiters() {
  if (waiters.length === 0) return;
  const sum = total();
  waiters = waiters.filter((w) => {
    if (sum < w.target) return true;
    w.resolve(sum);
    return false;
  });
}

function listen(server) {
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.requestTimeout = 0;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

async function startHealthy() {
  const r = { port: 0, count: 0, signed: 0, first: 0, last: 0, arrivals: new Map(), server: null };
  r.server = createServer((req, res) => {
    const chunks = recording ? [] : null;
    req.on('data', (chunk) => {
      if (chunks) chunks.push(chunk);
    });
    req.on('end', () => {
      const at = nowMs();
      r.count++;
      if (r.first === 0) r.first = at;
      r.last = at;
      if (typeof req.headers['webhook-signature'] === 'string' && req.headers['webhook-signature'].startsWith('v1,')) r.signed++;
      if (chunks) {
        try {
          const key = JSON.parse(Buffer.concat(chunks).toString('utf8')).data.guest.id;
          if (!r.arrivals.has(key)) r.arrivals.set(key, at);
        } catch {
          // Not a guest event: nothing to match it with.
        }
      }
      res.writeHead(204).end();
      checkWaiters();
    });
  });
  r.port = await listen(r.server);
  healthy.push(r);
  return r.port;
}

async function startHanging() {
  const r = { port: 0, count: 0, server: null, held: new Set() };
  r.server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      r.count++;
      r.held.add(res);
      res.on('close', () => r.held.delete(res));
    });
  });
  r.port = await listen(r.server);
  hanging.push(r);
  return r.port;
}

async function startLimited() {
  const r = { port: 0, count: 0, first: 0, last: 0, server: null };
  r.server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = nowMs();
      r.count++;
      if (r.first === 0) r.first = at;
      r.last = at;
      res.writeHead(204).end();
    });
  });
  r.port = await listen(r.server);
  limited.push(r);
  return r.port;
}

function stats() {
  return {
    total: total(),
    healthy: healthy.map((r) => ({ port: r.port, count: r.count, signed: r.signed, first: r.first, last: r.last })),
    hanging: hanging.map((r) => ({ port: r.port, count: r.count, open: r.held.size })),
    limited: limited.map((r) => ({ port: r.port, count: r.count, first: r.first, last: r.last })),
  };
}

serve({
  /** Starts `healthy` answering receivers, `hanging` silent ones and `limited` answering ones counted apart; returns their ports. */
  async start({ healthy: h = 4, hanging: g = 0, limited: l = 0 }) {
    const healthyPorts = [];
    const hangingPorts = [];
    const limitedPorts = [];
    for (let i = 0; i < h; i++) healthyPorts.push(await startHealthy());
    for (let i = 0; i < g; i++) hangingPorts.push(await startHanging());
    for (let i = 0; i < l; i++) limitedPorts.push(await startLimited());
    return { healthy: healthyPorts, hanging: hangingPorts, limited: limitedPorts };
  },
  reset() {
    // Hanging receivers keep counting: what they were sent over the whole run is what matters.
    for (const r of healthy) Object.assign(r, { count: 0, signed: 0, first: 0, last: 0, arrivals: new Map() });
    return stats();
  },
  /** While on, each healthy receiver notes when the webhook of each guest (data.guest.id) first arrived. */
  record({ on }) {
    recording = Boolean(on);
    return recording;
  },
  /** Per receiver: [guestId, arrivedAtMs] pairs noted while recording. */
  arrivals() {
    return healthy.map((r) => [...r.arrivals.entries()]);
  },
  stats,
  /** Resolves once the healthy receivers together have received `target` requests. */
  waitTotal({ target, timeoutMs }) {
    return new Promise((resolve, reject) => {
      const waiter = { target, resolve: () => done(resolve) };
      const timer = setTimeout(
        () => done(() => reject(new Error(`only ${total()} of ${target} requests arrived within ${timeoutMs} ms`))),
        timeoutMs,
      );
      const done = (settle) => {
        clearTimeout(timer);
        waiters = waiters.filter((w) => w !== waiter);
        settle(stats());
      };
      waiters.push(waiter);
      checkWaiters();
    });
  },
  /** Drops every held (hanging) request, so a sender sees its connection close. */
  releaseHanging() {
    for (const r of hanging) for (const res of r.held) res.destroy();
    return true;
  },
  async close() {
    for (const r of [...healthy, ...hanging, ...limited]) {
      r.server.closeAllConnections();
      await new Promise((resolve) => r.server.close(resolve));
    }
    return true;
  },
});
