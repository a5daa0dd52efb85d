'use strict';
/** Scenario 5 check-in throughput. */
const autocannon = require('autocannon');
const { ADMIN_KEY } = require('../lib/app');
const { round } = require('../lib/util');
const { SCENARIOS } = require('./common');

/** 5. autocannon: check-ins with webhooks, live sockets and fan-out on, against GET /health of the same server. */
async function scenarioCheckInThroughput(run, app) {
  const S = SCENARIOS.checkin;
  run.progress.scenario = S;
  const sockets = run.helper('sockets-process.js', 'socket clients');
  try {
    run.progress.status('connecting live clients');
    if (run.p.liveFloorClients > 0)
      await sockets.call('connect', { url: app.base, namespace: '/floor', count: run.p.liveFloorClients });
    if (run.p.liveStaffClients > 0) {
      await sockets.call('connect', {
        url: app.base,
        namespace: '/staff',
        count: run.p.liveStaffClients,
        auth: { token: ADMIN_KEY },
      });
    }
    run.progress.step(
      `autocannon ${run.p.autocannonConnections} connections × ${run.p.autocannonSeconds} s × ${run.p.autocannonRounds} rounds; ${run.p.liveFloorClients} /floor + ${run.p.liveStaffClients} /staff clients, ${run.p.endpoints} endpoints, line kept at ${run.p.line}`,
    );
    const health = [];
    const checkIns = [];
    for (let r = 0; r < run.p.autocannonRounds; r++) {
      const h = await cannon(run, app, { method: 'GET', path: '/health' }, `GET /health round ${r + 1}`);
      health.push(h.rate);
      const c = await cannonCheckIns(run, app, `check-ins round ${r + 1}`);
      checkIns.push(c.rate);
      run.progress.step(`round ${r + 1}: /health ${Math.round(h.rate)}/s, check-ins ${Math.round(c.rate)}/s`);
    }
    const counts = await sockets.call('counts');
    run.notes.push(
      `${S}: live clients received ${counts.floor} availability, ${counts.staffEvents} event, ${counts.staffDeliveries} delivery and ${counts.staffWaitlists} waitlist pushes`,
    );
    const healthStats = run.addThroughput(`${S} (GET /health)`, health, 'requests/s');
    run.addThroughput(S, checkIns, 'check-ins/s', { baseline: healthStats, target: { on: 'ratio', op: '>=', value: 0.4 } });
    // Every check-in was delivered: the fan-out was really on.
    await run
      .waitArrivals(run.checkInsSent * run.p.endpoints, 'check-in webhooks', 120_000)
      .catch((error) => run.checks.push(`${S}: ${error.message}`));
  } finally {
    await run.closeHelper(sockets);
  }
}

async function cannon(run, app, request, label) {
  run.progress.status(label);
  const cpuBefore = app.cpuSeconds();
  const result = await new Promise((resolvePromise, reject) => {
    autocannon(
      {
        url: app.base,
        connections: run.p.autocannonConnections,
        duration: run.p.autocannonSeconds,
        requests: [request],
      },
      (error, res) => (error ? reject(error) : resolvePromise(res)),
    );
  });
  if (result.non2xx > 0 || result.errors > 0) run.checks.push(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const cpu = app.cpuSeconds() - cpuBefore;
  run.notes.push(
    `${label}: ${Math.round(result['2xx'] / result.duration)}/s, app CPU ${round(cpu / result.duration, 2)} cores, ${round((cpu * 1e6) / Math.max(1, result['2xx']), 0)} µs per request`,
  );
  return { rate: result['2xx'] / result.duration, result };
}

async function cannonCheckIns(run, app, label) {
  if (!run.checkInsSent) {
    await run.receivers.call('reset');
    run.checkInsSent = 0;
  }
  const line = [];
  const leaves = [];
  let failedLeaves = 0;
  const leave = (guest) =>
    leaves.push(
      app.api('POST', `/api/guests/${guest.id}/leave`, {}, { guestToken: guest.token }).then((r) => {
        if (r.status >= 300) failedLeaves++;
      }),
    );
  const { rate, result } = await cannon(
    run,
    app,
    {
      method: 'POST',
      path: '/api/guests',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Load test guest', partySize: 2 }),
      onResponse: (status, body) => {
        if (status !== 201) return;
        const guest = JSON.parse(body);
        line.push({ id: guest.id, token: guest.token });
        if (line.length > run.p.line) leave(line.shift());
      },
    },
    label,
  );
  run.checkInsSent += result['2xx'];
  line.splice(0).forEach(leave);
  await Promise.all(leaves);
  if (failedLeaves > 0) run.checks.push(`${label}: ${failedLeaves} leave request(s) failed`);
  return { rate };
}

module.exports = { scenarioCheckInThroughput, cannon, cannonCheckIns };
