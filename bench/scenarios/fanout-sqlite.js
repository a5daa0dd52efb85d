'use strict';
/** Scenario 2 fan-out on SQLite (app A), with 6 on app B in alternating rounds, then 4, 5, 7 and 9 on app A. */
const { join } = require('node:path');
const { sampleMemory } = require('../lib/app');
const { round } = require('../lib/util');
const { SCENARIOS } = require('./common');
const { rawBaseline } = require('./raw');
const { scenarioLatency } = require('./latency');
const { scenarioCheckInThroughput } = require('./checkin');
const { startIsolationApp, finishIsolation, stopIsolationApp } = require('./isolation');
const { scenarioBroadcast } = require('./broadcast');
const { scenarioIntake } = require('./intake');

/**
 * SQLite. Scenario 2 on app A and scenario 6 on app B (the same plus a hanging endpoint with
 * a backlog), their rounds alternating (raw, A, B, raw, A, B, ...) so that both meet the same
 * machine; A's memory is sampled meanwhile (8). Then 4, 5, 7 and 9 on app A.
 */
async function sqliteApps(run) {
  if (![2, 4, 5, 6, 7, 8, 9].some((n) => run.wants(n))) return;
  run.progress.scenario = SCENARIOS.sqlite;
  const urlA = `sqlite:${join(run.tmp, 'sqlite-a.sqlite')}`;
  const app = await run.startApp('app-sqlite', urlA);
  const db = await run.openDb(urlA);
  let isolation = null;
  try {
    const endpointIds = await run.registerEndpoints(app, run.ports.healthy);
    run.facts.sqliteIdleRssMB = round(app.memory().rssMB, 1);
    if (run.wants(6)) isolation = await startIsolationApp(run);
    if (run.wants(2) || run.wants(6) || run.wants(8)) {
      run.progress.step(`${run.p.events} events × ${endpointIds.length} endpoints pre-loaded per round, ${run.p.rounds} rounds`);
      await run.warmUp('SQLite', db, endpointIds);
      if (isolation) await run.warmUp('isolation', isolation.db, isolation.healthyIds);
      const sqlite = { rates: [], raw: [] };
      const iso = { rates: [], raw: [] };
      let peak = 0;
      for (let r = 0; r < run.p.rounds; r++) {
        const memory = sampleMemory([app]);
        const a = await run.pairedAppRound(`SQLite round ${r + 1}/${run.p.rounds}`, db, endpointIds, [app]);
        peak = Math.max(peak, memory.stop());
        sqlite.rates.push(a.rate);
        sqlite.raw.push(a.raw);
        if (isolation) {
          run.progress.scenario = SCENARIOS.isolation;
          const b = await run.pairedAppRound(`isolation round ${r + 1}/${run.p.rounds}`, isolation.db, isolation.healthyIds, [
            isolation.app,
          ]);
          iso.rates.push(b.rate);
          iso.raw.push(b.raw);
          run.progress.scenario = SCENARIOS.sqlite;
        }
      }
      run.rssDuringFanout = peak;
      run.baselines.sqlite = run.addThroughput(SCENARIOS.sqlite, sqlite.rates, 'deliveries/s', {
        baseline: rawBaseline(run, sqlite.raw),
        target: { on: 'ratio', op: '>=', value: 0.5 },
      });
      if (isolation) await finishIsolation(run, isolation, iso, run.baselines.sqlite);
    }
    if (isolation) {
      await stopIsolationApp(run, isolation);
      isolation = null;
    }
    if (run.wants(4)) await scenarioLatency(run, app);
    if (run.wants(5)) await scenarioCheckInThroughput(run, app);
    if (run.wants(7)) await scenarioBroadcast(run, app);
    if (run.wants(9)) await scenarioIntake(run, app);
  } finally {
    if (isolation) await stopIsolationApp(run, isolation);
    await run.closeDb(db);
    await run.stopApp(app);
  }
}

module.exports = { sqliteApps };
