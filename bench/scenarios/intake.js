'use strict';
/** Scenario 9 intake and drain. */
const autocannon = require('autocannon');
const { nowMs, round } = require('../lib/util');
const { SCENARIOS } = require('./common');
const { rawRound, rawBaseline } = require('./raw');

/**
 * 9. The check-ins come through the API instead of being pre-loaded: `intakeCheckIns` guests
 * checked in by `intakeConnections` clients at once, every endpoint subscribed, timed from the
 * first check-in sent to the last webhook received. What an integrator sees when a rush arrives:
 * intake and delivery share the app, so neither scenario 2 (delivery alone) nor 5 (intake alone)
 * tells it. Nobody leaves during a round, so the line grows to the whole round, as at a door
 * that opens on a queue; everyone leaves between rounds.
 */
async function scenarioIntake(run, app) {
  const S = SCENARIOS.intake;
  run.progress.scenario = S;
  const K = run.p.endpoints;
  const N = run.p.intakeCheckIns;
  run.progress.step(
    `${N} check-ins × ${K} endpoints per round, ${run.p.intakeConnections} clients at once, ${run.p.intakeRounds} rounds`,
  );
  const rates = [];
  const raws = [];
  for (let r = 0; r < run.p.intakeRounds; r++) {
    const label = `intake round ${r + 1}/${run.p.intakeRounds}`;
    raws.push(await rawRound(run));
    await run.receivers.call('reset');
    const guests = [];
    const cpuBefore = app.cpuSeconds();
    const start = nowMs();
    run.progress.status(`${label}: checking in`);
    const result = await new Promise((resolvePromise, reject) => {
      autocannon(
        {
          url: app.base,
          connections: run.p.intakeConnections,
          amount: N,
          requests: [
            {
              method: 'POST',
              path: '/api/guests',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ name: 'Rush guest', partySize: 2 }),
              onResponse: (status, body) => {
                if (status === 201) guests.push(JSON.parse(body));
              },
            },
          ],
        },
        (error, res) => (error ? reject(error) : resolvePromise(res)),
      );
    });
    const intakeSeconds = (nowMs() - start) / 1000;
    if (result.non2xx > 0 || result.errors > 0) run.checks.push(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const stats = await run.waitArrivals(guests.length * K, `${label} webhooks`, 120_000);
    const last = Math.max(...stats.healthy.map((h) => h.last));
    const rate = stats.total / ((last - start) / 1000);
    const cpu = app.cpuSeconds() - cpuBefore;
    rates.push(rate);
    run.notes.push(
      `${label}: ${guests.length} check-ins in ${round(intakeSeconds, 2)} s (${round(guests.length / intakeSeconds, 0)}/s), last webhook ${round((last - start) / 1000, 2)} s after the first check-in; ${round(rate, 0)} deliveries/s, app CPU ${round((cpu * 1e6) / Math.max(1, guests.length), 0)} µs per check-in with its ${K} deliveries`,
    );
    run.progress.step(`${label}: ${Math.round(rate)} deliveries/s (raw ${Math.round(raws.at(-1))}/s)`);
    await leaveAll(run, app, guests, label);
  }
  run.addThroughput(S, rates, 'deliveries/s', { baseline: rawBaseline(run, raws) });
}

/** Everyone leaves (untimed), a few at a time, so the next round starts from an empty line. */
async function leaveAll(run, app, guests, label) {
  run.progress.status(`${label}: ${guests.length} guests leaving`);
  let failed = 0;
  const queue = guests.slice();
  const worker = async () => {
    for (let guest = queue.shift(); guest; guest = queue.shift()) {
      const res = await app.api('POST', `/api/guests/${guest.id}/leave`, {}, { guestToken: guest.token });
      if (res.status >= 300) failed++;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  if (failed > 0) run.checks.push(`${label}: ${failed} leave request(s) failed`);
}

module.exports = { scenarioIntake };
