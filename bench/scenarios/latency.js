'use strict';
/** Scenario 4 end-to-end latency. */
const { round, percentile } = require('../lib/util');
const { SCENARIOS } = require('./common');

/** 4. Open-loop check-ins at fixed rates: from the 201 to each receiver having the webhook. */
async function scenarioLatency(run, app) {
  const S = SCENARIOS.latency;
  run.progress.scenario = S;
  run.progress.step(
    `rates ${run.p.latencyRates.join(', ')}/s × ${run.p.latencySeconds} s × ${run.p.latencyRounds} round(s), ${run.p.endpoints} endpoints, line kept at ${run.p.line}`,
  );
  // A short run first, so the first measured rate does not pay for a cold server.
  await run.openLoopCheckIns(app, 50, run.p.latencyWarmupSeconds);
  for (const rate of run.p.latencyRates) {
    const from201 = [];
    const checkIn = [];
    let before = 0;
    let errors = 0;
    let achieved = [];
    for (let r = 0; r < run.p.latencyRounds; r++) {
      const result = await run.openLoopCheckIns(app, rate, run.p.latencySeconds);
      from201.push(...result.from201);
      checkIn.push(...result.checkIn);
      before += result.beforeThe201;
      errors += result.errors;
      achieved.push(result.achievedRate);
    }
    if (errors > 0) run.checks.push(`${S} @ ${rate}/s: ${errors} request(s) failed`);
    const hop = run.baselines.hop?.[rate] ?? {};
    const at200 = rate === 200;
    run.add(S, `webhook p50 after the 201 @ ${rate}/s`, percentile(from201, 50), 'ms', {
      baseline: hop.p50 ?? null,
      target: at200 ? { on: 'value', op: '<=', value: 3 } : null,
      digits: 3,
    });
    run.add(S, `webhook p99 after the 201 @ ${rate}/s`, percentile(from201, 99), 'ms', {
      baseline: hop.p99 ?? null,
      target: at200 ? { on: 'value', op: '<=', value: 10 } : null,
      digits: 3,
    });
    run.add(S, `check-in API p50 @ ${rate}/s`, percentile(checkIn, 50), 'ms', { digits: 3 });
    run.add(S, `check-in API p99 @ ${rate}/s`, percentile(checkIn, 99), 'ms', {
      target: at200 ? { on: 'value', op: '<=', value: 20 } : null,
      digits: 3,
    });
    run.notes.push(
      `${S} @ ${rate}/s: ${from201.length} webhooks, ${before} of them arrived before the client had read its 201 (counted as 0 ms); check-ins completed at ${achieved.map((a) => round(a, 0)).join(', ')}/s`,
    );
  }
}

module.exports = { scenarioLatency };
