'use strict';
/** Scenario 2 fan-out on PostgreSQL, one and two app instances. */
const { createDatabase } = require('../lib/postgres');
const { round, percentile } = require('../lib/util');
const { SCENARIOS } = require('./common');
const { rawBaseline } = require('./raw');

/** 2 on PostgreSQL with one and two instances, and the app's side of 3 (latency on PostgreSQL). */
async function postgresApps(run) {
  if (!run.wants(2) && !run.wants(3)) return;
  run.progress.scenario = SCENARIOS.pg1;
  const url = await createDatabase(run.pg.adminUrl, 'maitred_bench');
  const first = await run.startApp('app-pg-1', url);
  const db = await run.openDb(url);
  let second = null;
  try {
    const endpointIds = await run.registerEndpoints(first, run.ports.healthy);
    run.progress.step(`${run.p.events} events × ${endpointIds.length} endpoints pre-loaded per round`);
    await run.warmUp('PostgreSQL ×1', db, endpointIds);
    const one = { rates: [], raw: [] };
    for (let r = 0; r < run.p.rounds; r++) {
      const round1 = await run.pairedAppRound(`PostgreSQL ×1 round ${r + 1}/${run.p.rounds}`, db, endpointIds, [first]);
      one.rates.push(round1.rate);
      one.raw.push(round1.raw);
    }
    run.baselines.pg1 = run.addThroughput(SCENARIOS.pg1, one.rates, 'deliveries/s', {
      baseline: rawBaseline(run, one.raw),
      target: { on: 'ratio', op: '>=', value: 0.4 },
    });
    if (run.wants(3)) {
      run.progress.scenario = SCENARIOS.peer;
      run.progress.step(
        `Maitred on PostgreSQL: check-ins at ${run.p.pgLatencyRates.join(', ')}/s for ${run.p.pgLatencySeconds} s each`,
      );
      await run.openLoopCheckIns(first, 50, run.p.latencyWarmupSeconds);
      run.maitredPgLatency = {};
      for (const rate of run.p.pgLatencyRates) {
        const result = await run.openLoopCheckIns(first, rate, run.p.pgLatencySeconds);
        run.maitredPgLatency[rate] = { p50: percentile(result.from201, 50), p99: percentile(result.from201, 99) };
        run.notes.push(
          `${SCENARIOS.peer}, Maitred on PostgreSQL @ ${rate}/s: check-ins completed at ${round(result.achievedRate, 0)}/s`,
        );
      }
    }
    if (run.wants(2)) {
      run.progress.scenario = SCENARIOS.pg2;
      second = await run.startApp('app-pg-2', url);
      run.progress.step('a second instance on the same database');
      await run.warmUp('PostgreSQL ×2', db, endpointIds);
      const two = { rates: [], raw: [] };
      for (let r = 0; r < run.p.rounds; r++) {
        const round2 = await run.pairedAppRound(`PostgreSQL ×2 round ${r + 1}/${run.p.rounds}`, db, endpointIds, [first, second]);
        two.rates.push(round2.rate);
        two.raw.push(round2.raw);
      }
      run.addThroughput(SCENARIOS.pg2, two.rates, 'deliveries/s', {
        baseline: rawBaseline(run, two.raw),
        target: { on: 'ratio', op: '>=', value: 0.4 },
      });
    }
  } finally {
    await run.closeDb(db);
    if (second) await run.stopApp(second);
    await run.stopApp(first);
  }
}

module.exports = { postgresApps };
