'use strict';
/** Scenario 9 metrics overhead. */
const { join } = require('node:path');
const { ADMIN_KEY } = require('../lib/app');
const { SCENARIOS } = require('./common');
const { cannonCheckIns } = require('./checkin');

/**
 * 9. What the Prometheus metrics cost a check-in: two SQLite apps, the same in all but `METRICS`
 * (on, the default, and off), with the same endpoints, their check-in rounds alternating so both
 * meet the same machine. Target: with metrics at least 97 % of the rate without.
 */
async function scenarioMetrics(run) {
  if (!run.wants(10)) return;
  const S = SCENARIOS.metrics;
  run.progress.scenario = S;
  const on = await run.startApp('app-metrics-on', `sqlite:${join(run.tmp, 'metrics-on.sqlite')}`, { METRICS: 'on' });
  const off = await run.startApp('app-metrics-off', `sqlite:${join(run.tmp, 'metrics-off.sqlite')}`, { METRICS: 'off' });
  try {
    await run.registerEndpoints(on, run.ports.healthy);
    await run.registerEndpoints(off, run.ports.healthy);
    const rates = { on: [], off: [] };
    for (let r = 0; r < run.p.metricsRounds; r++) {
      // Alternating which goes first, so neither always meets the other's leftover deliveries.
      const order = r % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const which of order) {
        const { rate } = await cannonCheckIns(run, which === 'on' ? on : off, `check-ins, metrics ${which}, round ${r + 1}`);
        rates[which].push(rate);
      }
      run.progress.step(`round ${r + 1}: metrics on ${Math.round(rates.on.at(-1))}/s, off ${Math.round(rates.off.at(-1))}/s`);
    }
    // The metrics were really on (and scraping works under the load's aftermath): text, not JSON.
    const scrape = await fetch(`${on.base}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const text = await scrape.text();
    if (scrape.status !== 200 || !/^maitred_checkins_total [1-9]/m.test(text))
      run.checks.push(`${S}: GET /metrics of the metrics-on app answered ${scrape.status} without counted check-ins`);
    const baseline = run.addThroughput(`${S} (METRICS=off)`, rates.off, 'check-ins/s');
    run.addThroughput(`${S} (METRICS=on)`, rates.on, 'check-ins/s', { baseline, target: { on: 'ratio', op: '>=', value: 0.97 } });
  } finally {
    await run.stopApp(on);
    await run.stopApp(off);
  }
}

module.exports = { scenarioMetrics };
