// Typed matchers: the global `expect.any()` is typed `any`, this one an AsymmetricMatcher.
import { expect } from '@jest/globals';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { io, Socket } from 'socket.io-client';
import { ADMIN_KEY, ON_POSTGRES } from './support/app';
import { Instance, killAllInstances, launchInstance } from './support/instances';
import { eventually, Receiver } from './support/receiver';
import { Recorder } from './support/sockets';

/**
 * PostgreSQL goes away under a running instance and comes back: while it is down, requests
 * answer 503 in the contract's error shape (never 500) and /health says 503; once it is back
 * the same process recovers by itself (pool, LISTEN connection, Socket.IO adapter), nothing
 * committed is lost, and a webhook whose outcome could not be recorded during the outage is
 * sent again after its lease. Runs its own PostgreSQL server (stopping the run's shared one
 * would break every other suite), so only the e2e-postgres project runs it.
 */

const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

jest.setTimeout(90_000);

/** The guest events' webhook data, as far as this test reads it. */
interface GuestData {
  guest: { id: string };
}

interface Readiness {
  status: string;
  checks: Record<'database' | 'migrations' | 'dispatcher', string>;
  failed: string[];
}

interface GuestView {
  id: string;
  token: string;
  status: string;
}

/** A PostgreSQL server of this test's own (test/support/postgres-control.mjs) whose data outlives a stop. */
class OwnPostgres {
  private out = '';
  private readonly child: ChildProcess;
  url = '';

  constructor() {
    this.child = spawn(process.execPath, [join(__dirname, 'support', 'postgres-control.mjs')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.out += chunk));
  }

  async ready(): Promise<void> {
    this.url = (await this.line(/^ready (\S+)$/m, 60_000))[1];
  }

  async stop(): Promise<void> {
    const from = this.out.length;
    this.child.stdin!.write('stop\n');
    await this.line(/^stopped$/m, 30_000, from);
  }

  async start(): Promise<void> {
    const from = this.out.length;
    this.child.stdin!.write('start\n');
    await this.line(/^started$/m, 30_000, from);
  }

  /** Stops the server and removes its data. */
  async quit(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end('quit\n');
    await exited;
  }

  private async line(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.out.slice(from));
      if (match) return match;
      const failed = /^error (.*)$/m.exec(this.out.slice(from));
      if (failed) throw new Error(`postgres-control: ${failed[1]}`);
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`postgres-control: no ${pattern}:\n${this.out}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOnPostgres('a PostgreSQL restart under a running instance', () => {
  const receiver = new Receiver();
  let pg: OwnPostgres;
  let appDir: string;
  let app: Instance;
  let floor: Socket | undefined;

  // Created here, not in the describe body: that body runs even when the suite is skipped.
  beforeAll(async () => {
    appDir = mkdtempSync(join(tmpdir(), 'maitred-restart-app-'));
    await receiver.start();
    pg = new OwnPostgres();
    await pg.ready();
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    // A crashed instance explains itself.
    if (app && !app.running()) console.log(`the instance exited:\n${app.output().slice(-4000)}`);
    floor?.close();
    await killAllInstances();
    await receiver.stop();
    await pg?.quit();
    if (appDir) rmSync(appDir, { recursive: true, force: true });
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  it('answers 503 while the database is down, then recovers by itself with nothing lost', async () => {
    app = await launchInstance('app', appDir, {
      DATABASE_URL: pg.url,
      ADMIN_API_KEY: ADMIN_KEY,
      WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
      WEBHOOK_LEASE: '3s',
      WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s,1s,1s',
    });
    const staffKey = (
      await app.http.post<{ key: string }>('/api/keys', { name: 'staff', scopes: ['staff'] }, { token: ADMIN_KEY })
    ).body.key;
    const endpointsKey = (
      await app.http.post<{ key: string }>('/api/keys', { name: 'hooks', scopes: ['endpoints'] }, { token: ADMIN_KEY })
    ).body.key;
    const endpoint = await app.http.post<{ id: string; secret: string }>(
      '/api/webhooks/endpoints',
      { url: receiver.url, eventTypes: ['guest.checked_in'] },
      { token: endpointsKey },
    );
    expect(endpoint.status).toBe(201);
    receiver.secrets = [endpoint.body.secret];

    floor = io(`${app.baseUrl}/floor`, { transports: ['websocket'], forceNew: true, reconnection: false });
    const availability = new Recorder(floor, ['availability']);
    await availability.waitFor('availability');

    const readyBefore = await app.http.get<Readiness>('/health/ready');
    expect(readyBefore.status).toBe(200);
    expect(readyBefore.body).toEqual({
      status: 'ok',
      checks: { database: 'ok', migrations: 'ok', dispatcher: 'ok' },
      failed: [],
    });

    const before = (await app.http.post<GuestView>('/api/guests', { name: 'Before', partySize: 2 })).body;
    await receiver.waitFor((r) => (r.payload.data as GuestData).guest.id === before.id);

    // A delivery in flight across the outage: the receiver answers only once the database is down.
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    receiver.respond = async (_request, res) => {
      await held;
      res.writeHead(204).end();
    };
    const inFlight = (await app.http.post<GuestView>('/api/guests', { name: 'In flight', partySize: 4 })).body;
    const firstCopy = await receiver.waitFor((r) => (r.payload.data as GuestData).guest.id === inFlight.id);

    await pg.stop();
    const downAt = Date.now();
    receiver.respond = (_request, res) => {
      res.writeHead(204).end();
    };
    answer();

    // Down: every request is a prompt 503 in the error shape, whether it reads, writes or authenticates.
    const health = await app.http.get<{ status: string }>('/health');
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('unavailable');
    // Not ready (the database is named), yet alive: an orchestrator must not restart the process for this.
    const readyDown = await app.http.get<Readiness>('/health/ready');
    expect(readyDown.status).toBe(503);
    expect(readyDown.body.status).toBe('unavailable');
    expect(readyDown.body.failed).toContain('database');
    expect(readyDown.body.checks.database).toBe('unreachable');
    expect((await app.http.get('/health/live')).status).toBe(200);
    const attempts = [
      () => app.http.post('/api/guests', { name: 'During the outage', partySize: 2 }),
      () => app.http.get('/api/tables'),
      () => app.http.get('/api/availability'),
      () => app.http.get('/api/guests?status=waiting', { token: staffKey }),
      () => app.http.get(`/api/guests/${before.id}`, { guestToken: before.token }),
      () => app.http.get('/api/events', { token: ADMIN_KEY }),
    ];
    for (const attempt of attempts) {
      const started = Date.now();
      const result = await attempt();
      expect(result.status).toBe(503);
      expect(result.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.any(String),
        details: [],
        requestId: expect.any(String),
      });
      expect(result.headers.get('x-request-id')).toBe((result.body as { requestId: string }).requestId);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
    // Stays down a little while the dispatcher's poll and the listener's reconnects keep failing.
    await sleep(1_500);
    expect(app.running()).toBe(true);

    await pg.start();
    const upAt = Date.now();
    // Up again: the same process serves again by itself.
    await eventually(async () => (await app.http.get('/health')).status === 200, 20_000, '/health 200 after the restart');
    const recoveredMs = Date.now() - upAt;
    await eventually(
      async () => (await app.http.get('/health/ready')).status === 200,
      20_000,
      '/health/ready 200 after the restart',
    );
    const after = await eventually(
      async () => {
        const result = await app.http.post<GuestView>('/api/guests', { name: 'After', partySize: 2 });
        return result.status === 201 ? result.body : undefined;
      },
      10_000,
      'a check-in after the restart',
    );
    await receiver.waitFor((r) => (r.payload.data as GuestData).guest.id === after.id, 10_000);
    // Live pushes still flow to the socket that stayed connected.
    await availability.waitFor<{ waiting: number }>('availability', (a) => a.waiting === 3);

    // The in-flight attempt's outcome was lost with the connection: it is sent again after its lease and recorded once.
    const resent = await receiver.waitFor((r) => r.id === firstCopy.id && r !== firstCopy, 20_000);
    expect(resent.receivedAt).toBeGreaterThan(downAt);
    await eventually(
      async () => {
        const list = await app.http.get<{ eventId: string; status: string }[]>(
          `/api/webhooks/endpoints/${endpoint.body.id}/deliveries`,
          { token: endpointsKey },
        );
        return list.body.length === 3 && list.body.every((d) => d.status === 'succeeded');
      },
      15_000,
      'all three deliveries recorded as succeeded',
    );

    // Both LISTEN connections are back: the dispatcher's wake-ups and the Socket.IO adapter's broadcasts.
    const db = new Client({ connectionString: pg.url });
    await db.connect();
    try {
      for (const applicationName of ['maitred-listener', 'maitred-socket.io']) {
        await eventually(
          async () => {
            const rows = await db.query(
              "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND query ILIKE 'LISTEN%'",
              [applicationName],
            );
            return rows.rows.length > 0;
          },
          10_000,
          `the ${applicationName} LISTEN connection to come back`,
        );
      }
    } finally {
      await db.end();
    }

    // Nothing committed was lost, and nothing half-done appeared: exactly the three check-ins that answered 201.
    const guests = await app.http.get<GuestView[]>('/api/guests', { token: staffKey });
    expect(guests.body.map((g) => g.id)).toEqual([before.id, inFlight.id, after.id]);
    const feed = await app.http.get<{ data: { type: string; data: { guest: { id: string } } }[] }>(
      '/api/events?types=guest.checked_in',
      { token: ADMIN_KEY },
    );
    expect(feed.body.data.map((e) => e.data.guest.id)).toEqual([before.id, inFlight.id, after.id]);
    expect(app.running()).toBe(true);
    console.log(`postgres restart: down ${upAt - downAt} ms; /health back ${recoveredMs} ms after the server was ready`);
  });
});
