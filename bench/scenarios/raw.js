'use strict';
/** Scenario 1 raw limit: a bare undici loop against the same receivers, the ceiling any sender can reach. */
const { makeEvents, bodyOf } = require('../lib/payloads');
const { percentile, median } = require('../lib/util');
const { SCENARIOS } = require('./common');

/**
 * 1. The ceiling: bare undici POSTs from one process to the same receivers with the same
 * concurrency. A raw round runs right before every measured throughput round, so each
 * scenario is set against the ceiling as it was at that moment (the machine may be shared).
 */
async function setupRaw(run) {
  const S = SCENARIOS.raw;
  run.progress.scenario = S;
  const { endpoints: K, concurrencyPerEndpoint: C } = run.p;
  const sample = makeEvents(200);
  run.rawSetup = {
    urls: run.ports.healthy.map((port) => `http://127.0.0.1:${port}/hook`),
    bodies: sample.map(bodyOf),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'maitred-bench-raw',
      'webhook-id': sample[0].id,
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': `v1,${Buffer.alloc(32, 7).toString('base64')}`,
    },
    // The raw loop is several times faster than any real sender: longer rounds keep its timing stable.
    perUrl: run.p.events * run.p.rawRoundFactor,
  };
  run.rawRates = [];
  run.raw = run.helper('raw-sender-process.js', 'raw sender');
  const { urls, bodies, headers, perUrl } = run.rawSetup;
  run.progress.step(`${K} receivers × ${C} connections, ${perUrl * K} requests per raw round`);
  // Warm-up: connections and the JIT on both sides.
  await run.drainRound('raw warm-up', run.p.warmupEvents * K, () =>
    run.raw.call('run', { urls, perUrl: run.p.warmupEvents, concurrency: C, bodies, headers }),
  );

  // One hop's latency at the delivery rates of scenario 4: the floor under any sender's latency.
  run.baselines.hop = {};
  for (const rate of run.p.latencyRates) {
    await run.receivers.call('reset');
    await run.receivers.call('record', { on: true });
    const { sent } = await run.raw.call('paced', {
      urls,
      rate: rate * K,
      seconds: run.p.latencySeconds,
      concurrency: C,
      headers,
    });
    await run.waitArrivals(sent.length, `raw paced ${rate * K}/s`, 60_000);
    const arrivals = (await run.receivers.call('arrivals')).map((pairs) => new Map(pairs));
    await run.receivers.call('record', { on: false });
    const hops = [];
    for (const [guestId, at] of sent) {
      for (const map of arrivals) if (map.has(guestId)) hops.push(map.get(guestId) - at);
    }
    run.baselines.hop[rate] = { p50: percentile(hops, 50), p99: percentile(hops, 99) };
    run.add(S, `one hop p50 @ ${rate * K} requests/s`, run.baselines.hop[rate].p50, 'ms', { digits: 3 });
    run.add(S, `one hop p99 @ ${rate * K} requests/s`, run.baselines.hop[rate].p99, 'ms', { digits: 3 });
  }
}

async function rawRound(run) {
  const { urls, bodies, headers, perUrl } = run.rawSetup;
  const { rate } = await run.drainRound('raw round', perUrl * urls.length, () =>
    run.raw.call('run', { urls, perUrl, concurrency: run.p.concurrencyPerEndpoint, bodies, headers }),
  );
  run.rawRates.push(rate);
  return rate;
}

/** Median and slow tail of the raw rounds paired with a scenario's rounds. */
function rawBaseline(run, rates) {
  return { median: median(rates), slow: percentile(rates, 1) };
}

function reportRaw(run) {
  if (run.rawRates.length === 0) return;
  run.addThroughput(SCENARIOS.raw, run.rawRates, 'requests/s');
  run.notes.push(
    `${SCENARIOS.raw}: ${run.rawRates.length} rounds, one before each measured throughput round: ${run.rawRates.map((r) => Math.round(r)).join(', ')} requests/s`,
  );
}

module.exports = { setupRaw, rawRound, rawBaseline, reportRaw };
