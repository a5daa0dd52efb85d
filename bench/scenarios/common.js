'use strict';
/** What the scenario files share: the scenarios' names as the report prints them, and a webhook secret. */
const { randomBytes } = require('node:crypto');

const SCENARIOS = {
  raw: '1 raw limit',
  sqlite: '2 fan-out SQLite',
  pg1: '2 fan-out PostgreSQL ×1',
  pg2: '2 fan-out PostgreSQL ×2',
  peer: '3 pg-boss peer',
  latency: '4 end-to-end latency',
  checkin: '5 check-in throughput',
  isolation: '6 isolation',
  broadcast: '7 live fan-out',
  memory: '8 memory',
  pgDelayed: (ms) => `2 fan-out PostgreSQL, ${ms} ms per answer`,
  intake: '9 intake and drain',
  metrics: '10 metrics overhead',
  retention: (kind) => `11 retention stall, ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
  ordering: '12 per-guest ordering',
};

function secret() {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

module.exports = { SCENARIOS, secret };
