'use strict';
/**
 * The peer: the same deliveries driven by pg-boss jobs (one job per delivery) on the same
 * PostgreSQL, sent by pg-boss workers in a process of their own with the same signing
 * (the app's own Standard Webhooks signer), the same receivers, bodies and concurrency.
 */
const { join } = require('node:path');
const { Agent, request } = require('undici');
const { PgBoss } = require('pg-boss');
const { serve } = require('./util');
const { makeEvents, bodyOf } = require('./payloads');

let boss = null;
let agent = null;
let endpoints = [];
let signatureHeader = null;
let userAgent = 'maitred-webhooks/0.1.0';
const errors = [];
const warnings = [];

function queueName(config, endpointIndex) {
  return config.queuePerEndpoint ? `deliveries_${endpointIndex}` : 'deliveries';
}

function queueNames(config) {
  return config.queuePerEndpoint ? endpoints.map((_, i) => queueName(config, i)) : [queueName(config, 0)];
}

async function send(job) {
  const { e, id, body } = job.data;
  const endpoint = endpoints[e];
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await request(endpoint.url, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      'content-type': 'application/json',
      'user-agent': userAgent,
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader([endpoint.secret], id, timestamp, body),
    },
    body,
  });
  await response.body.dump();
  if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`receiver answered ${response.statusCode}`);
}

async function handler(jobs) {
  const results = await Promise.allSettled(jobs.map(send));
  const failed = results.find((r) => r.status === 'rejected');
  // A failed send fails the batch, so pg-boss retries it, as a webhook job would.
  if (failed) throw failed.reason;
}

serve({
  /** Connects pg-boss (its own pool and, with useListenNotify, its own LISTEN connection). */
  async setup({ databaseUrl, dist, endpoints: list, concurrencyPerEndpoint, poolMax, useListenNotify }) {
    ({ signatureHeader } = require(join(dist, 'webhooks', 'signing.js')));
    endpoints = list;
    agent = new Agent({
      connections: concurrencyPerEndpoint,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
    });
    boss = new PgBoss({
      connectionString: databaseUrl,
      max: poolMax,
      useListenNotify,
      schedule: false,
      application_name: 'bench-pgboss',
    });
    boss.on('error', (error) => errors.push(String(error && error.message)));
    boss.on('warning', (warning) => warnings.push(String(warning && warning.message)));
    await boss.start();
    return true;
  },
  /** Creates the queues a configuration uses. */
  async prepare({ config }) {
    for (const name of queueNames(config)) {
      // Another process (the producer, or an earlier setup) may have created it already.
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { notify: config.notify });
    }
    return { queues: queueNames(config) };
  },
  /** Loads `events` events' worth of jobs (one per endpoint each), then ANALYZE. */
  async load({ events: count, config, chunk = 1000 }) {
    const events = makeEvents(count);
    const byQueue = new Map();
    for (const event of events) {
      const body = bodyOf(event);
      endpoints.forEach((_, e) => {
        const name = queueName(config, e);
        if (!byQueue.has(name)) byQueue.set(name, []);
        byQueue.get(name).push({ data: { e, id: event.id, body } });
      });
    }
    for (const [name, jobs] of byQueue) {
      for (let i = 0; i < jobs.length; i += chunk) await boss.insert(name, jobs.slice(i, i + chunk));
    }
    // Fresh statistics: with stale ones the planner scans the whole job table on every fetch.
    if (config.analyze) await boss.getDb().executeSql('ANALYZE');
    return { jobs: count * endpoints.length };
  },
  async work({ config }) {
    for (const name of queueNames(config)) {
      await boss.work(
        name,
        {
          batchSize: config.batchSize,
          localConcurrency: config.localConcurrency,
          burstWhenBatchFull: config.burstWhenBatchFull,
          pollingIntervalSeconds: config.pollingIntervalSeconds,
          notifyPollingIntervalSeconds: config.notifyPollingIntervalSeconds,
        },
        handler,
      );
    }
    return true;
  },
  async offWork({ config }) {
    for (const name of queueNames(config)) await boss.offWork(name, { wait: true });
    return true;
  },
  /** Empties the queues between rounds, so every round starts from the same table. */
  async clear({ config }) {
    for (const name of queueNames(config)) await boss.deleteAllJobs(name);
    await boss.getDb().executeSql('VACUUM ANALYZE');
    return true;
  },
  async counts({ config }) {
    const out = {};
    for (const name of queueNames(config)) {
      const queue = await boss.getQueue(name);
      out[name] = queue ? { queued: queue.queuedCount, active: queue.activeCount, total: queue.totalCount } : null;
    }
    return out;
  },
  /**
   * Open loop from this process (a producer, not the workers' process): at `rate` events per
   * second, one insert of an event's jobs (one per endpoint, in one statement per queue, which
   * NOTIFYs the workers). Returns when each insert had resolved, per guest.
   */
  async produce({ rate, seconds, config }) {
    const events = makeEvents(Math.max(1, Math.round(rate * seconds)));
    const sent = [];
    const inserts = [];
    const { nowMs, sleep } = require('./util');
    const start = nowMs() + 20;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const scheduled = start + (i * 1000) / rate;
      const wait = scheduled - nowMs();
      if (wait > 1) await sleep(wait);
      const body = bodyOf(event);
      const byQueue = new Map();
      endpoints.forEach((_, e) => {
        const name = queueName(config, e);
        if (!byQueue.has(name)) byQueue.set(name, []);
        byQueue.get(name).push({ data: { e, id: event.id, body } });
      });
      inserts.push(
        Promise.all([...byQueue].map(([name, jobs]) => boss.insert(name, jobs))).then(() => {
          sent.push([event.guestId, nowMs()]);
        }),
      );
    }
    await Promise.all(inserts);
    return { sent };
  },
  problems() {
    return { errors: errors.splice(0), warnings: warnings.splice(0) };
  },
  async close() {
    if (boss) await boss.stop({ graceful: true, timeout: 5_000 }).catch(() => undefined);
    if (agent) await agent.close();
    boss = null;
    agent = null;
    return true;
  },
});
