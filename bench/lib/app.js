'use strict';
/**
 * The app under test as its own process (`node <dist>/main.js`, exactly what `npm run build`
 * leaves), its HTTP API, its memory as the kernel counts it, and direct access to its database
 * for what the benchmark sets up behind its back (pre-loaded backlogs, clean-up between rounds).
 */
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Agent, request } = require('undici');
const { sleep } = require('./util');

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

/** One client pool for every call the orchestrator makes to any app instance. */
const client = new Agent({ connections: 512, pipelining: 1, keepAliveTimeout: 30_000 });

class AppInstance {
  constructor(name, child, port) {
    this.name = name;
    this.child = child;
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    this.pid = child.pid;
  }

  static async start({ dist, env, name, cpuProfDir }) {
    const execArgv = cpuProfDir
      ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`]
      : [];
    const child = spawn(process.execPath, [...execArgv, join(dist, 'main.js')], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        ADMIN_API_KEY: ADMIN_KEY,
        LOG_LEVEL: 'silent',
        PORT: '0',
        CHECKIN_RATE_LIMIT: '0',
        // For investigating the app under load, e.g. BENCH_NODE_OPTIONS="--require ./my-probe.js".
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
        ...(process.env.BENCH_APP_ENV ? JSON.parse(process.env.BENCH_APP_ENV) : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`${name} did not start within 90 s:\n${output}`)), 90_000);
      const onData = (chunk) => {
        output += chunk;
        const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      const fail = (error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(error);
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', onData);
      child.once('exit', (code, signal) => fail(new Error(`${name} exited (${code ?? signal}) before listening:\n${output}`)));
    });
    // Keep draining the pipes so a chatty child never blocks on a full pipe.
    child.stdout.removeAllListeners('data').resume();
    child.stderr.removeAllListeners('data');
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const instance = new AppInstance(name, child, port);
    instance.stderrTail = () => stderr;
    return instance;
  }

  async api(method, path, body, { token, guestToken } = {}) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (guestToken) headers['x-guest-token'] = guestToken;
    const response = await request(`${this.base}${path}`, {
      method,
      dispatcher: client,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text ? JSON.parse(text) : undefined };
  }

  async admin(method, path, body, expected = [200, 201, 202, 204]) {
    const result = await this.api(method, path, body, { token: ADMIN_KEY });
    if (!expected.includes(result.status))
      throw new Error(`${this.name} ${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  }

  /** Resident memory in MB now (VmRSS) and at its highest so far (VmHWM), as the kernel counts them. */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (field) => Number((new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status) || [])[1] || 0);
      return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
    } catch {
      return { rssMB: 0, hwmMB: 0 };
    }
  }

  /** CPU seconds (user + system) this process has used so far. */
  cpuSeconds() {
    try {
      const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return 0;
    }
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Samples the resident memory of some app instances until stopped; returns the peak of their sum, in MB. */
function sampleMemory(instances, intervalMs = 100) {
  let peak = 0;
  const take = () => {
    const sum = instances.reduce((total, instance) => total + instance.memory().rssMB, 0);
    if (sum > peak) peak = sum;
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

/**
 * Direct access to an app's database (SQLite file or PostgreSQL), for pre-loading a backlog
 * the way the app's own fan-out writes it (an event row, one delivery row per endpoint).
 */
async function openDatabase(databaseUrl) {
  if (databaseUrl.startsWith('sqlite:')) {
    const Database = require('better-sqlite3');
    const db = new Database(databaseUrl.slice('sqlite:'.length));
    db.pragma('busy_timeout = 10000');
    return {
      kind: 'sqlite',
      async query(sql, params = []) {
        const statement = db.prepare(sql);
        return statement.reader ? statement.all(...params) : (statement.run(...params), []);
      },
      async insertBacklog(events, endpointIds, newId) {
        const now = new Date().toISOString();
        const insertEvent = db.prepare('INSERT INTO events (id, type, timestamp, data) VALUES (?, ?, ?, ?)');
        const insertDelivery = db.prepare(
          `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, retry_step,
             next_attempt_at, lease_owner, lease_expires_at, last_status_code, last_error, created_at, delivered_at, payload)
           VALUES (?, ?, ?, ?, 'pending', 0, 0, ?, NULL, NULL, NULL, NULL, ?, NULL, NULL)`,
        );
        // One transaction: the whole backlog becomes visible to the app at once.
        db.transaction(() => {
          for (const event of events) {
            insertEvent.run(event.id, event.type, event.timestamp, event.data);
            for (const endpointId of endpointIds) insertDelivery.run(newId('dlv'), event.id, endpointId, event.type, now, now);
          }
        })();
      },
      /**
       * The same backlog as the fan-out writes it to per_guest endpoints: each delivery keyed by its
       * event's guest, its place in the key's order the event's seq (see src/webhooks/ordering.ts).
       * `ordered` false writes the rows of ordering none (no key), for the same-run comparison.
       */
      async insertKeyedBacklog(events, endpointIds, newId, ordered) {
        const now = new Date().toISOString();
        const insertEvent = db.prepare('INSERT INTO events (id, type, timestamp, data) VALUES (?, ?, ?, ?)');
        const insertDelivery = db.prepare(
          `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, retry_step,
             next_attempt_at, created_at, ordering_key, ordering_seq)
           VALUES (?, ?, ?, ?, 'pending', 0, 0, ?, ?, ?, ?)`,
        );
        db.transaction(() => {
          for (const event of events) {
            const seq = Number(insertEvent.run(event.id, event.type, event.timestamp, event.data).lastInsertRowid);
            for (const endpointId of endpointIds) {
              insertDelivery.run(
                newId('dlv'),
                event.id,
                endpointId,
                event.type,
                now,
                now,
                ordered ? event.guestId : null,
                ordered ? seq : null,
              );
            }
          }
        })();
      },
      async close() {
        db.close();
      },
    };
  }
  const { Client } = require('pg');
  const pg = new Client({ connectionString: databaseUrl, application_name: 'bench-loader' });
  await pg.connect();
  return {
    kind: 'postgres',
    async query(sql, params = []) {
      const converted = sql.replace(
        /\?/g,
        (() => {
          let i = 0;
          return () => `$${++i}`;
        })(),
      );
      return (await pg.query(converted, params)).rows;
    },
    async insertBacklog(events, endpointIds, newId) {
      const now = new Date().toISOString();
      await pg.query('BEGIN');
      try {
        for (let i = 0; i < events.length; i += 2000) {
          const slice = events.slice(i, i + 2000);
          await pg.query(
            'INSERT INTO events (id, type, timestamp, data) SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::text[])',
            [slice.map((e) => e.id), slice.map((e) => e.type), slice.map((e) => e.timestamp), slice.map((e) => e.data)],
          );
          const ids = [];
          const eventIds = [];
          const endpoints = [];
          for (const event of slice) {
            for (const endpointId of endpointIds) {
              ids.push(newId('dlv'));
              eventIds.push(event.id);
              endpoints.push(endpointId);
            }
          }
          await pg.query(
            `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, retry_step, next_attempt_at, created_at)
             SELECT d.id, d.event_id, d.endpoint_id, 'guest.checked_in', 'pending', 0, 0, $4, $4
             FROM unnest($1::varchar[], $2::varchar[], $3::varchar[]) AS d(id, event_id, endpoint_id)`,
            [ids, eventIds, endpoints, now],
          );
        }
        // Wakes every instance at commit: the topic on the app's one channel, and the channel of
        // builds before it (so one run can compare them).
        await pg.query("SELECT pg_notify('maitred', 'maitred_deliveries'), pg_notify('maitred_deliveries', '')");
        await pg.query('COMMIT');
      } catch (error) {
        await pg.query('ROLLBACK');
        throw error;
      }
    },
    async close() {
      await pg.end();
    },
  };
}

/** Waits until no delivery of these endpoints is pending or leased (every attempt recorded). */
async function waitSettled(db, endpointIds, timeoutMs) {
  const marks = endpointIds.map(() => '?').join(',');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.query(
      `SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id IN (${marks}) AND (status = 'pending' OR lease_owner IS NOT NULL)`,
      endpointIds,
    );
    if (Number(row.n) === 0) return;
    if (Date.now() > deadline) throw new Error(`${row.n} deliveries still pending after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Removes finished deliveries, their attempts and events, so every round starts from the same tables. */
async function clearFinished(db, endpointIds) {
  const marks = endpointIds.map(() => '?').join(',');
  await db.query(`DELETE FROM webhook_attempts WHERE endpoint_id IN (${marks})`, endpointIds);
  await db.query(`DELETE FROM webhook_deliveries WHERE endpoint_id IN (${marks}) AND status <> 'pending'`, endpointIds);
  await db.query('DELETE FROM events WHERE id NOT IN (SELECT event_id FROM webhook_deliveries)');
  if (db.kind === 'postgres') await db.query('VACUUM ANALYZE');
}

module.exports = { ADMIN_KEY, AppInstance, sampleMemory, openDatabase, waitSettled, clearFinished, client };
