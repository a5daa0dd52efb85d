'use strict';
/** Scenario 6 isolation: a hanging endpoint with a backlog beside the healthy ones. */
const { join } = require('node:path');
const { makeEvents, newId } = require('../lib/payloads');
const { SCENARIOS } = require('./common');

/** 6. Scenario 2 plus one endpoint that hangs until the timeout, with a 10,000-delivery backlog. */
async function startIsolationApp(run) {
  const url = `sqlite:${join(run.tmp, 'sqlite-b.sqlite')}`;
  const app = await run.startApp('app-isolation', url);
  const db = await run.openDb(url);
  const healthyIds = await run.registerEndpoints(app, run.ports.healthy);
  const [hangingId] = await run.registerEndpoints(app, run.ports.hanging);
  await db.insertBacklog(makeEvents(run.p.isolationBacklog), [hangingId], newId);
  run.progress.step(
    `isolation app: ${healthyIds.length} healthy endpoints plus 1 that never answers (timeout ${run.p.webhookTimeoutMs} ms) with ${run.p.isolationBacklog} pending`,
  );
  return { app, db, healthyIds, hangingId };
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
  run.addThroughput(S, iso.rates, 'deliveries/s', { baseline: fanout, target: { on: 'ratio', op: '>=', value: 0.8 } });
}

async function stopIsolationApp(run, isolation) {
  await run.receivers.call('releaseHanging');
  await run.closeDb(isolation.db);
  await run.stopApp(isolation.app);
}

module.exports = { startIsolationApp, finishIsolation, stopIsolationApp };
