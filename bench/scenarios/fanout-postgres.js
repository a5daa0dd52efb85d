'use strict';
/** Scenario 2 fan-out on PostgreSQL, one and two app instances. */
const { createDatabase } = require('../lib/postgres');
const { round, percentile } = require('../lib/util');
const { SCENARIOS } = require('./common');
const { rawBaseline } = require('./raw');
const { makeEvents, newId } = require('../lib/payloads');
const { waitSettled, clearFinished } = require('../lib/app');

/** 2 on PostgreSQL with one and two instances, and the app's side of 3 (latency on PostgreSQL). */
async function postgresApps(run) {
  if (!run.wants(2) && !run.wants(3)) return;
  run.progress.scenario = SCENARIOS.pg1;
  const url = await createDatabase(run.pg.adminUrl, 'maitred_bench');
  let first = await run.startApp('app-pg-1', url);
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
      const pg2 = run.addThroughput(SCENARIOS.pg2, two.rates, 'deliveries/s', {
        baseline: rawBaseline(run, two.raw),
        target: { on: 'ratio', op: '>=', value: 0.4 },
      });
      // Issue 13: what a second instance adds. On 2 cores both instances and PostgreSQL share the
      // same CPUs, so this one is expected to miss; the delayed-database rounds below are the test.
      run.add(SCENARIOS.pg2, '×2 / ×1, median', pg2.median, 'deliveries/s', {
        baseline: run.baselines.pg1.median,
        target: { on: 'ratio', op: '>=', value: 1.6 },
        digits: 0,
      });
      await run.stopApp(second);
      second = null;
      await run.stopApp(first);
      first = null;
      await delayedDatabase(run, url, db, endpointIds);
    }
  } finally {
    await run.closeDb(db);
    if (second) await run.stopApp(second);
    if (first) await run.stopApp(first);
  }
}

/**
 * ×1 and ×2 again, each instance reaching PostgreSQL through a proxy that holds every answer for
 * `pgDelayMs` (a database one network hop away). Each instance then spends most of a delivery
 * waiting on round trips, not on CPU, so a second instance should nearly double the rate unless
 * the two are serialized in the database. Rounds without a raw round before each: the ratio
 * compares the app with itself.
 */
async function delayedDatabase(run, url, db, endpointIds) {
  const S = SCENARIOS.pgDelayed(run.p.pgDelayMs);
  run.progress.scenario = S;
  const proxy = run.helper('delay-proxy-process.js', 'delaying proxy');
  const apps = [];
  try {
    const target = new URL(url);
    const { port } = await proxy.call('start', {
      targetHost: target.hostname,
      targetPort: Number(target.port),
      delayMs: run.p.pgDelayMs,
    });
    const proxied = new URL(url);
    proxied.port = String(port);
    const expected = run.p.delayedEvents * endpointIds.length;
    const rounds = async (label) => {
      const rates = [];
      await run.drainRound(`${label} warm-up`, run.p.warmupEvents * endpointIds.length, () =>
        db.insertBacklog(makeEvents(run.p.warmupEvents), endpointIds, newId),
      );
      await waitSettled(db, endpointIds, 60_000);
      await clearFinished(db, endpointIds);
      for (let r = 0; r < run.p.delayedRounds; r++) {
        const { rate } = await run.drainRound(`${label} round ${r + 1}/${run.p.delayedRounds}`, expected, () =>
          db.insertBacklog(makeEvents(run.p.delayedEvents), endpointIds, newId),
        );
        rates.push(rate);
        run.progress.step(`${label} round ${r + 1}/${run.p.delayedRounds}: ${Math.round(rate)} deliveries/s`);
        await waitSettled(db, endpointIds, 60_000);
        await clearFinished(db, endpointIds);
      }
      return rates;
    };
    run.progress.step(`every PostgreSQL answer held ${run.p.pgDelayMs} ms; ${expected} deliveries per round`);
    apps.push(await run.startApp('app-pg-delayed-1', proxied.toString()));
    const one = run.addThroughput(`${S} ×1`, await rounds('delayed ×1'), 'deliveries/s');
    apps.push(await run.startApp('app-pg-delayed-2', proxied.toString()));
    const two = run.addThroughput(`${S} ×2`, await rounds('delayed ×2'), 'deliveries/s');
    run.add(S, '×2 / ×1, median', two.median, 'deliveries/s', {
      baseline: one.median,
      target: { on: 'ratio', op: '>=', value: 1.6 },
      digits: 0,
    });
  } finally {
    for (const app of apps) await run.stopApp(app);
    await run.closeHelper(proxy);
  }
}

module.exports = { postgresApps };
