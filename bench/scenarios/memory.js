'use strict';
/** Scenario 8 memory. */
const { join } = require('node:path');
const { sampleMemory } = require('../lib/app');
const { makeEvents, newId } = require('../lib/payloads');
const { sleep } = require('../lib/util');
const { SCENARIOS } = require('./common');

/** 8. Resident memory: during scenario 2, and with 100,000 pending deliveries. */
async function scenarioMemory(run) {
  if (!run.wants(8)) return;
  const S = SCENARIOS.memory;
  run.progress.scenario = S;
  if (run.rssDuringFanout) {
    run.add(S, 'peak RSS during scenario 2 (SQLite)', run.rssDuringFanout, 'MB', {
      baseline: run.facts.sqliteIdleRssMB,
      digits: 1,
    });
  }
  const pending = await pendingBacklogRss(run, 'app-memory', {});
  run.add(S, `peak RSS with ${pending.count} pending`, pending.peak, 'MB', {
    baseline: pending.idle,
    target: { on: 'value', op: '<=', value: 250 },
    digits: 1,
  });
  // V8 grows its heap rather than collect while allocation is brisk; with a cap it must collect.
  // If RSS stays flat under the cap, nothing is kept per delivery: the growth above is GC slack.
  if (run.p.cappedHeapMB) {
    const capped = await pendingBacklogRss(run, 'app-memory-capped', {
      NODE_OPTIONS: `--max-old-space-size=${run.p.cappedHeapMB}`,
    });
    run.add(S, `peak RSS with ${capped.count} pending, heap capped at ${run.p.cappedHeapMB} MB`, capped.peak, 'MB', {
      baseline: capped.idle,
      digits: 1,
    });
  }
}

/** A fresh app with a backlog of pendingBacklog deliveries: its RSS idle, and at its peak while draining. */
async function pendingBacklogRss(run, name, env) {
  const url = `sqlite:${join(run.tmp, `${name}.sqlite`)}`;
  const app = await run.startApp(name, url, env);
  const db = await run.openDb(url);
  try {
    const endpointIds = await run.registerEndpoints(app, run.ports.healthy);
    await sleep(500);
    const idle = app.memory().rssMB;
    const events = Math.ceil(run.p.pendingBacklog / endpointIds.length);
    run.progress.step(
      `${name}: ${events * endpointIds.length} pending deliveries, RSS sampled for ${run.p.pendingSampleSeconds} s while they drain`,
    );
    await run.receivers.call('reset');
    const memory = sampleMemory([app]);
    await db.insertBacklog(makeEvents(events), endpointIds, newId);
    const until = Date.now() + run.p.pendingSampleSeconds * 1000;
    while (Date.now() < until) {
      const stats = await run.receivers.call('stats');
      run.progress.status(`${stats.total} delivered, ${Math.round(app.memory().rssMB)} MB`);
      await sleep(250);
    }
    const peak = memory.stop();
    const [row] = await db.query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'");
    const delivered = (await run.receivers.call('stats')).total;
    run.notes.push(
      `${SCENARIOS.memory} (${name}): ${delivered} delivered while sampling, ${row.n} still pending when it stopped`,
    );
    return { peak, idle, count: events * endpointIds.length };
  } finally {
    await run.closeDb(db);
    await run.stopApp(app);
  }
}

module.exports = { scenarioMemory, pendingBacklogRss };
