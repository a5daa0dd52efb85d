'use strict';
/** Scenario 12 per-guest ordering. */
const { join } = require('node:path');
const { clearFinished, waitSettled } = require('../lib/app');
const { makeEvents, newId } = require('../lib/payloads');
const { SCENARIOS } = require('./common');

/**
 * The backlog of one round: `guests` guests with `perGuest` events each, a guest's events next to
 * each other (its second right behind its first: the claim steps over every blocked row it meets,
 * the costliest layout for it).
 */
function guestBacklog(guests, perGuest) {
  const firsts = makeEvents(guests);
  const events = [];
  for (const first of firsts) {
    events.push(first);
    for (let k = 1; k < perGuest; k++) events.push({ ...first, id: newId('evt') });
  }
  return events;
}

/**
 * 12. What `ordering: "per_guest"` costs the drain of a pre-loaded backlog (many guests × a few
 * events each × 4 endpoints): one SQLite app with two sets of endpoints on the same receivers,
 * one `none` and one `per_guest`, their rounds alternating so both meet the same machine. Only
 * the head of each guest's chain may be in flight, so with many guests the 16 slots per endpoint
 * stay full. Target: per_guest at least 80 % of none.
 */
async function scenarioOrdering(run) {
  if (!run.wants(12)) return;
  const S = SCENARIOS.ordering;
  run.progress.scenario = S;
  const url = `sqlite:${join(run.tmp, 'ordering.sqlite')}`;
  const app = await run.startApp('app-ordering', url);
  const db = await run.openDb(url);
  try {
    const register = async (ordering) => {
      const ids = [];
      for (const port of run.ports.healthy) {
        const created = await app.admin('POST', '/api/webhooks/endpoints', {
          url: `http://127.0.0.1:${port}/hook`,
          description: `bench receiver ${port}, ordering ${ordering}`,
          eventTypes: ['guest.checked_in'],
          ordering,
        });
        ids.push(created.id);
      }
      return ids;
    };
    const sets = { none: await register('none'), per_guest: await register('per_guest') };
    const { orderingGuests: guests, orderingEventsPerGuest: perGuest } = run.p;
    const rates = { none: [], per_guest: [] };
    run.progress.step(
      `${guests} guests × ${perGuest} events × ${run.ports.healthy.length} endpoints per round, ${run.p.rounds} rounds each`,
    );
    // A warm-up round each first: connections, the JIT and the endpoint cache.
    for (let r = -1; r < run.p.rounds; r++) {
      const order = r % 2 === 0 ? ['per_guest', 'none'] : ['none', 'per_guest'];
      for (const ordering of order) {
        const ids = sets[ordering];
        const events = guestBacklog(r < 0 ? Math.max(1, Math.floor(guests / 10)) : guests, perGuest);
        const label = `ordering ${ordering}, ${r < 0 ? 'warm-up' : `round ${r + 1}/${run.p.rounds}`}`;
        const { rate } = await run.drainRound(label, events.length * ids.length, () =>
          db.insertKeyedBacklog(events, ids, newId, ordering === 'per_guest'),
        );
        await waitSettled(db, ids, 60_000);
        await clearFinished(db, ids);
        if (r < 0) continue;
        rates[ordering].push(rate);
        run.progress.step(`${label}: ${Math.round(rate)} deliveries/s`);
      }
    }
    const baseline = run.addThroughput(`${S} (ordering none)`, rates.none, 'deliveries/s');
    run.addThroughput(`${S} (ordering per_guest)`, rates.per_guest, 'deliveries/s', {
      baseline,
      target: { on: 'ratio', op: '>=', value: 0.8 },
    });
  } finally {
    await run.closeDb(db);
    await run.stopApp(app);
  }
}

module.exports = { scenarioOrdering };
