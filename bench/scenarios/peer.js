'use strict';
/** Scenario 3 the pg-boss peer on the same PostgreSQL server. */
const { candidates: pgbossCandidates, describe: describePgboss } = require('../lib/pgboss-configs');
const { createDatabase } = require('../lib/postgres');
const { percentile } = require('../lib/util');
const { SCENARIOS, secret } = require('./common');
const { rawRound, rawBaseline } = require('./raw');

/** 3. pg-boss: the same deliveries as jobs on the same PostgreSQL, at its best configuration. */
async function scenarioPeer(run) {
  if (!run.wants(3)) return;
  const S = SCENARIOS.peer;
  run.progress.scenario = S;
  const { endpoints: K, concurrencyPerEndpoint: C, events } = run.p;
  const url = await createDatabase(run.pg.adminUrl, 'pgboss_bench');
  const endpoints = run.ports.healthy.map((port) => ({ url: `http://127.0.0.1:${port}/hook`, secret: secret() }));
  const configs = pgbossCandidates(K * C, K);
  const poolMax = Math.max(...configs.map((c) => c.poolMax));
  const workers = run.helper('pgboss-process.js', 'pg-boss workers');
  let producer = null;
  try {
    await workers.call('setup', {
      databaseUrl: url,
      dist: run.dist,
      endpoints,
      concurrencyPerEndpoint: C,
      poolMax,
      useListenNotify: true,
    });
    const drain = async (config, n, label) => {
      await workers.call('prepare', { config });
      await workers.call('clear', { config });
      run.progress.status(`${label}: loading ${n * K} jobs`);
      await workers.call('load', { events: n, config });
      const round = await run.drainRound(label, n * K, () => workers.call('work', { config }));
      await workers.call('offWork', { config });
      return round.rate;
    };
    let best = configs[0];
    if (run.p.pgbossCalibrate && run.p.calibrationEvents > 0) {
      let bestRate = -1;
      for (const config of configs) {
        const rate = await drain(config, run.p.calibrationEvents, 'pg-boss calibration');
        run.progress.step(`calibration: ${Math.round(rate)} deliveries/s with ${describePgboss(config)}`);
        run.notes.push(
          `${S} calibration (${run.p.calibrationEvents * K} jobs): ${Math.round(rate)} deliveries/s with ${describePgboss(config)}`,
        );
        if (rate > bestRate) {
          bestRate = rate;
          best = config;
        }
      }
    }
    run.pgbossConfig = describePgboss(best);
    run.progress.step(`pg-boss ${require('pg-boss/package.json').version}: ${run.pgbossConfig}`);
    await drain(best, run.p.warmupEvents, 'pg-boss warm-up');
    const rates = [];
    const raws = [];
    for (let r = 0; r < run.p.rounds; r++) {
      const raw = await rawRound(run);
      const rate = await drain(best, events, `pg-boss round ${r + 1}/${run.p.rounds}`);
      rates.push(rate);
      raws.push(raw);
      run.progress.step(`pg-boss round ${r + 1}/${run.p.rounds}: ${Math.round(rate)} deliveries/s (raw ${Math.round(raw)}/s)`);
    }
    const peer = run.addThroughput(`${S} (pg-boss)`, rates, 'deliveries/s', { baseline: rawBaseline(run, raws) });
    if (run.baselines.pg1) {
      run.add(S, 'Maitred PostgreSQL ×1 / pg-boss, median', run.baselines.pg1.median, 'deliveries/s', {
        baseline: peer.median,
        target: { on: 'ratio', op: '>=', value: 2 },
        digits: 0,
      });
      run.add(S, 'Maitred PostgreSQL ×1 / pg-boss, p99 (slow tail)', run.baselines.pg1.slow, 'deliveries/s', {
        baseline: peer.slow,
        digits: 0,
      });
    }

    // Latency: jobs inserted by a producer process at the same rate, workers woken by NOTIFY.
    await workers.call('clear', { config: best });
    await workers.call('work', { config: best });
    producer = run.helper('pgboss-process.js', 'pg-boss producer');
    await producer.call('setup', {
      databaseUrl: url,
      dist: run.dist,
      endpoints,
      concurrencyPerEndpoint: C,
      poolMax: 10,
      useListenNotify: false,
    });
    await producer.call('prepare', { config: best });
    const latency = async (rate, seconds) => {
      await run.receivers.call('reset');
      await run.receivers.call('record', { on: true });
      const { sent } = await producer.call('produce', { rate, seconds, config: best });
      await run.waitArrivals(sent.length * K, `pg-boss ${rate}/s`, 60_000);
      const arrivals = (await run.receivers.call('arrivals')).map((pairs) => new Map(pairs));
      await run.receivers.call('record', { on: false });
      const samples = [];
      for (const [guestId, at] of sent)
        for (const map of arrivals) if (map.has(guestId)) samples.push(Math.max(0, map.get(guestId) - at));
      return samples;
    };
    run.progress.step(`pg-boss: jobs for ${run.p.pgLatencyRates.join(', ')} events/s for ${run.p.pgLatencySeconds} s each`);
    await latency(50, run.p.latencyWarmupSeconds);
    for (const rate of run.p.pgLatencyRates) {
      const samples = await latency(rate, run.p.pgLatencySeconds);
      const peerLatency = { p50: percentile(samples, 50), p99: percentile(samples, 99) };
      run.add(`${S} (pg-boss)`, `send → arrival p50 @ ${rate}/s`, peerLatency.p50, 'ms', { digits: 3 });
      run.add(`${S} (pg-boss)`, `send → arrival p99 @ ${rate}/s`, peerLatency.p99, 'ms', { digits: 3 });
      const mine = run.maitredPgLatency?.[rate];
      if (mine) {
        // Issue 13's PostgreSQL latency targets, one instance at 200 check-ins/s.
        const at200 = rate === 200;
        run.add(S, `Maitred PostgreSQL 201 → arrival p50 @ ${rate}/s`, mine.p50, 'ms', {
          baseline: peerLatency.p50,
          target: at200 ? { on: 'value', op: '<=', value: 5 } : null,
          digits: 3,
        });
        run.add(S, `Maitred PostgreSQL 201 → arrival p99 @ ${rate}/s`, mine.p99, 'ms', {
          baseline: peerLatency.p99,
          target: at200 ? { on: 'value', op: '<=', value: 20 } : null,
          digits: 3,
        });
      }
    }
    await workers.call('offWork', { config: best });
    const problems = await workers.call('problems');
    if (problems.errors.length > 0) run.checks.push(`${S}: pg-boss errors: ${problems.errors.slice(0, 3).join('; ')}`);
    if (problems.warnings.length > 0)
      run.notes.push(`${S}: pg-boss warnings: ${[...new Set(problems.warnings)].slice(0, 3).join('; ')}`);
  } finally {
    if (producer) await run.closeHelper(producer);
    await run.closeHelper(workers);
  }
}

module.exports = { scenarioPeer };
