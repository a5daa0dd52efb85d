'use strict';
/** Scenario 7 live fan-out to Socket.IO clients. */
const { nowMs, sleep, percentile } = require('../lib/util');
const { SCENARIOS } = require('./common');

/** 7. One table change, pushed to every /floor client: until the last one has it. */
async function scenarioBroadcast(run, app) {
  const S = SCENARIOS.broadcast;
  run.progress.scenario = S;
  const sockets = run.helper('sockets-process.js', 'socket clients');
  try {
    const tables = await app.admin('GET', '/api/tables');
    const table = tables.find((t) => t.status === 'free');
    if (!table) throw new Error('no free table to toggle');
    let reserved = false;
    const changes = async (count) => {
      const toLast = [];
      for (let i = 0; i < count; i++) {
        await sockets.call('expectNext', { timeoutMs: 15_000 });
        const t0 = nowMs();
        reserved = !reserved;
        await app.admin('PATCH', `/api/tables/${table.id}`, { status: reserved ? 'reserved' : 'free' });
        const { last } = await sockets.call('await');
        toLast.push(last - t0);
        run.progress.status(`change ${i + 1}/${count}`);
        await sleep(20);
      }
      return toLast;
    };
    await sockets.call('connect', { url: app.base, namespace: '/floor', count: 1 });
    await changes(3);
    const single = await changes(run.p.broadcastChanges);
    run.progress.status(`connecting ${run.p.broadcastClients} /floor clients`);
    await sockets.call('connect', { url: app.base, namespace: '/floor', count: run.p.broadcastClients - 1 });
    run.progress.step(
      `${run.p.broadcastClients} /floor clients, ${run.p.broadcastChanges} table changes (baseline: the same with 1 client)`,
    );
    await changes(3);
    const many = await changes(run.p.broadcastChanges);
    const n = run.p.broadcastClients;
    run.add(S, `to the last of ${n} clients p50`, percentile(many, 50), 'ms', { baseline: percentile(single, 50), digits: 1 });
    run.add(S, `to the last of ${n} clients p99`, percentile(many, 99), 'ms', {
      baseline: percentile(single, 99),
      target: { on: 'value', op: '<=', value: 100 },
      digits: 1,
    });
  } finally {
    await run.closeHelper(sockets);
  }
}

module.exports = { scenarioBroadcast };
