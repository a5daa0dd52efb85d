import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Http } from './http';

/** The built app, as `node dist/main` runs it (npm test builds first); MAITRED_DIST points elsewhere. */
export const DIST_DIR = process.env.MAITRED_DIST ?? join(__dirname, '..', '..', 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createApp } = require(join(DIST_DIR, 'app.factory')) as typeof import('../../src/app.factory');

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestApp {
  /** The Nest application itself, e.g. to move its Clock forward (`clockOf`). */
  nest: import('@nestjs/platform-express').NestExpressApplication;
  baseUrl: string;
  http: Http;
  adminKey: string;
  databaseUrl: string;
  dir: string;
  close(): Promise<void>;
  /** Stops this app and starts another on the same database (a restart). */
  restart(extraEnv?: Record<string, string>): Promise<TestApp>;
}

export function tempDir(prefix = 'maitred-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** True when this Jest project runs the suites against PostgreSQL (see jest.config.js). */
export const ON_POSTGRES = process.env.MAITRED_TEST_DB === 'postgres';

const databasesByDir = new Map<string, string>();

/**
 * The database for a test directory: a SQLite file inside it, or (in the PostgreSQL project)
 * a fresh database on the run's one PostgreSQL server. The same dir always gets the same one.
 */
export async function testDatabaseUrl(dir: string): Promise<string> {
  if (!ON_POSTGRES) return `sqlite:${join(dir, 'maitred.sqlite')}`;
  const existing = databasesByDir.get(dir);
  if (existing) return existing;
  const adminUrl = process.env.MAITRED_TEST_PG_ADMIN_URL;
  if (!adminUrl) throw new Error('MAITRED_TEST_PG_ADMIN_URL is not set: the PostgreSQL global setup did not run');
  const name = `maitred_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  databasesByDir.set(dir, url.toString());
  return url.toString();
}

/** Starts the real application on 127.0.0.1 with its own temporary database. */
export async function startApp(env: Record<string, string> = {}, dir = tempDir()): Promise<TestApp> {
  const fullEnv: Record<string, string> = {
    DATABASE_URL: await testDatabaseUrl(dir),
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'silent',
    CHECKIN_RATE_LIMIT: '0',
    PORT: '0',
    ...env,
  };
  const { app } = await createApp(fullEnv);
  // PORT (default 0, any free port) fixed lets a restart come back on the same address.
  await app.listen(Number(fullEnv.PORT), '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return {
    nest: app,
    baseUrl,
    http: new Http(baseUrl),
    adminKey: fullEnv.ADMIN_API_KEY,
    databaseUrl: fullEnv.DATABASE_URL,
    dir,
    close,
    async restart(extraEnv = {}) {
      await close();
      return startApp({ ...env, ...extraEnv }, dir);
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Creates an API key with the given scopes and returns the key. */
export async function createKey(app: TestApp, scopes: string[], name = scopes.join('+')): Promise<string> {
  const result = await app.http.post<{ key: string }>('/api/keys', { name, scopes }, { token: app.adminKey });
  if (result.status !== 201) throw new Error(`could not create key: ${result.status} ${result.text}`);
  return result.body.key;
}

export interface CheckedIn {
  id: string;
  token: string;
  status: string;
  position: number | null;
  [field: string]: unknown;
}

export async function checkIn(app: TestApp, body: Record<string, unknown> = {}): Promise<CheckedIn> {
  const result = await app.http.post<CheckedIn>('/api/guests', { name: 'Anna', partySize: 2, ...body });
  if (result.status !== 201) throw new Error(`check-in failed: ${result.status} ${result.text}`);
  return result.body;
}

export interface TableRow {
  id: string;
  label: string;
  capacity: number;
  status: string;
  guestId?: string | null;
}

export async function tables(app: TestApp): Promise<TableRow[]> {
  return (await app.http.get<TableRow[]>('/api/tables', { token: app.adminKey })).body;
}

export async function freeTable(app: TestApp, minCapacity: number): Promise<TableRow> {
  const table = (await tables(app)).find((t) => t.status === 'free' && t.capacity >= minCapacity);
  if (!table) throw new Error(`no free table for ${minCapacity}`);
  return table;
}

/** The app's Clock: `clockOf(app).advance(ms)` moves schedules (retries, leases, grace) forward without sleeping. */
export function clockOf(app: TestApp): import('../../src/common/clock').Clock {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Clock } = require(join(DIST_DIR, 'common', 'clock')) as typeof import('../../src/common/clock');
  return app.nest.get(Clock);
}
