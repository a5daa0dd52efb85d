'use strict';
/** Scenario 6 isolation: a hanging endpoint and a rate-limited one, each with a backlog, beside the healthy ones. */
const { join } = require('node:path');
const { makeEvents, newId } = require('../lib/payloads');
const { SCENARIOS } = require('./common');

/**
 * 6. Scenario 2 plus one endpoint that hangs until the timeout and one limited to
 * `isolationRateLimit` per second, each with a backlog (10,000 in quick and full runs) that
 * outlasts the rounds: both stay due throughout, and neither may slow the healthy endpoints.
 */
async function startIsolationApp(run) {
  const url = `sqlite:${join(run.tmp, 'sqlite-b.sqlite')}`;
  const app = await run.startApp('app-isolation', url);
  const db = await run.openDb(url);
  const healthyIds = await run.registerEndpoints(app, run.ports.healthy);
  const [hangingId] = await run.registerEndpoints(app, run.ports.hanging);
  const limited = await app.admin('POST', '/api/webhooks/endpoints', {
    url: `http://127.0.0.1:${run.ports.limited[0]}/hook`,
    description: 'bench receiver, rate-limited',
    eventTypes: ['guest.checked_in'],
    rateLimitPerSecond: run.p.isolationRateLimit,
  });
  await db.insertBacklog(makeEvents(run.p.isolationBacklog), [hangingId], newId);
  await db.insertBacklog(makeEvents(run.p.isolationBacklog), [limited.id], newId);
  run.progress.step(
    `isolation app: ${healthyIds.length} healthy endpoints plus 1 that never answers (timeout ${run.p.webhookTimeoutMs} ms) and 1 limited to ${run.p.isolationRateLimit}/s, ${run.p.isolationBacklog} pending each`,
  );
  return { app, db, healthyIds, hangingId, limitedId: limited.id };
}

async function finishIsolation(run, isolation, iso, fanout) {
  const S = SCENARIOS.isolation;
  const stats = await run.receivers.call('stats');
  const [row] = await isolation.db.query(
    "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending'",
    [isolation.hangingId],
  );
  run.notes.push(
    `${S}: the hanging endpoint was sent ${stats.hanging[0].count} request(s) and had ${stats.hanging[0].open} open at the end; ${row.n} of its deliveries still pending; rounds alternated with scenario 2's`,
  );
  if (stats.hanging[0].count === 0) run.checks.push(`${S}: the hanging endpoint never received a request`);
  // The rate-limited endpoint: busy all along, and never over its limit (10 % for the bucket's burst and timing).
  const { count, first, last } = stats.limited[0];
  const rate = count > 1 ? ((count - 1) * 1000) / (last - first) : 0;
  run.notes.push(
    `${S}: the endpoint limited to ${run.p.isolationRateLimit}/s received ${count} requests at ${Math.round(rate * 10) / 10}/s over the rounds`,
  );
  if (count === 0) run.checks.push(`${S}: the rate-limited endpoint never received a request`);
  // Over a short window (a smoke run) the bucket's burst (0.2 s of the rate) is a large share; only a long one says
  // whether the rate held.
  else if (last - first >= 5_000 && rate > run.p.isolationRateLimit * 1.1)
    run.checks.push(
      `${S}: the rate-limited endpoint received ${Math.round(rate)}/s, over its limit of ${run.p.isolationRateLimit}/s`,
    );
  run.addThroughput(S, iso.rates, 'deliveries/s', { baseline: fanout, target: { on: 'ratio', op: '>=', value: 0.8 } });
}

async function stopIsolationApp(run, isolation) {
  await run.receivers.call('releaseHanging');
  await run.closeDb(isolation.db);
  await run.stopApp(isolation.app);
}

module.exports = { startIsolationApp, finishIsolation, stopIsolationApp };
