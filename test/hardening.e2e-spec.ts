import { expect } from '@jest/globals';
import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Socket } from 'socket.io-client';
import {
  ADMIN_KEY,
  ON_POSTGRES,
  checkIn,
  createKey,
  removeDir,
  startApp,
  tempDir,
  testDatabaseUrl,
  TestApp,
} from './support/app';
import type { CheckedInGuest, CreatedEndpoint, Delivery, ErrorBody } from './support/api-types';
import { Http, type HttpResult } from './support/http';
import { killAllInstances, launchInstance } from './support/instances';
import { eventually, Receiver } from './support/receiver';
import { connect } from './support/sockets';

/**
 * Hostile input and revoked keys (issue 11, findings 3–6): U+0000 anywhere is 400 naming the
 * field, over-long caller ids are 400, a revoked key loses its endpoints and its live sockets,
 * logs hold no secrets or contact details, and the small hardening items each hold.
 */

jest.setTimeout(120_000);

const PAYMENT_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** Runs SQL on the app's database directly (SQLite file or PostgreSQL), as an operator would. */
async function sql<T = Record<string, unknown>>(databaseUrl: string, text: string): Promise<T[]> {
  if (databaseUrl.startsWith('sqlite:')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when the app runs on SQLite.
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(databaseUrl.slice('sqlite:'.length));
    try {
      const statement = db.prepare(text);
      return statement.reader ? (statement.all() as T[]) : (statement.run(), []);
    } finally {
      db.close();
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when the app runs on PostgreSQL.
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Sends raw bytes as one HTTP/1.1 request and returns the status line's code. */
function rawStatus(baseUrl: string, request: string): Promise<number> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(port), '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
  });
}

interface OpenApiParameter {
  in: 'path' | 'query' | 'header';
  name: string;
}
interface OpenApiSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  allOf?: OpenApiSchema[];
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

/** One request with U+0000 placed in one field, and the field the 400 must name. */
interface NulCase {
  method: string;
  path: string;
  field: string;
  place: 'path' | 'query' | 'body';
  /** Puts `value` (containing U+0000) where this case's field is. */
  build(value: string): { path: string; body?: unknown };
  signed?: boolean;
}

function resolve(document: OpenApiDocument, schema: OpenApiSchema | undefined): OpenApiSchema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(document, document.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf) return resolve(document, schema.allOf[0]);
  return schema;
}

/** Every string-bearing body field, down nested objects and arrays: `[path segments, field name]`. */
function stringFields(document: OpenApiDocument, schema: OpenApiSchema | undefined, prefix: string[] = []): string[][] {
  const resolved = resolve(document, schema);
  if (!resolved) return [];
  if (resolved.type === 'string') return [prefix];
  if (resolved.type === 'array') return stringFields(document, resolved.items, [...prefix, '0']);
  return Object.entries(resolved.properties ?? {}).flatMap(([name, child]) => stringFields(document, child, [...prefix, name]));
}

function bodyWith(segments: string[], value: string): unknown {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments;
  if (head === '0') return [bodyWith(rest, value)];
  return { [head]: bodyWith(rest, value) };
}

function nulCases(document: OpenApiDocument): NulCase[] {
  const cases: NulCase[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const params = operation.parameters ?? [];
      const fill = (path: string, except?: string, value?: string) =>
        path.replace(/\{(\w+)\}/g, (_, name: string) => (name === except ? encodeURIComponent(value!) : 'gst_nothing'));
      for (const param of params.filter((p) => p.in === 'path')) {
        cases.push({
          method: method.toUpperCase(),
          path: template,
          field: param.name,
          place: 'path',
          build: (value) => ({ path: fill(template, param.name, value) }),
        });
      }
      for (const param of params.filter((p) => p.in === 'query')) {
        cases.push({
          method: method.toUpperCase(),
          path: template,
          field: param.name,
          place: 'query',
          build: (value) => ({ path: `${fill(template)}?${param.name}=${encodeURIComponent(value)}` }),
        });
      }
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      for (const segments of stringFields(document, schema)) {
        cases.push({
          method: method.toUpperCase(),
          path: template,
          field: segments.join('.'),
          place: 'body',
          build: (value) => ({ path: fill(template), body: bodyWith(segments, value) }),
          signed: template === '/api/inbound/payments',
        });
      }
    }
  }
  return cases;
}

async function send(app: TestApp, nulCase: NulCase, value: string): Promise<HttpResult<Partial<ErrorBody> | undefined>> {
  const { path, body } = nulCase.build(value);
  if (nulCase.signed) {
    const raw = JSON.stringify(body);
    const id = `msg_${randomBytes(8).toString('hex')}`;
    const now = new Date();
    const signature = new Webhook(PAYMENT_SECRET).sign(id, now, raw);
    return app.http.request<Partial<ErrorBody> | undefined>(nulCase.method, path, {
      raw,
      headers: {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
    });
  }
  return app.http.request<Partial<ErrorBody> | undefined>(nulCase.method, path, { body, token: ADMIN_KEY });
}

describe('U+0000 and over-long input', () => {
  let app: TestApp;
  let cases: NulCase[];

  beforeAll(async () => {
    app = await startApp({ TRUST_PROXY: 'loopback', PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET });
    const docs = await app.http.get<OpenApiDocument>('/api/docs-json');
    cases = nulCases(docs.body);
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    await app?.close();
    if (app) removeDir(app.dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  it('covers every path param, query value and string body field the OpenAPI document lists', () => {
    const fields = new Set(cases.map((c) => `${c.method} ${c.path} ${c.place}:${c.field}`));
    for (const expected of [
      'POST /api/guests body:name',
      'POST /api/guests body:notes',
      'GET /api/guests/{id} path:id',
      'GET /api/events query:after',
      'POST /api/guests/{id}/offers body:title',
      'POST /api/webhooks/endpoints body:eventTypes.0',
      'POST /api/inbound/payments body:data.guestId',
    ]) {
      expect(fields).toContain(expected);
    }
    expect(cases.length).toBeGreaterThan(50);
  });

  it('answers U+0000 in each of them with 400 naming the field, authenticated or not', async () => {
    const failures: string[] = [];
    for (const nulCase of cases) {
      const result = await send(app, nulCase, 'a\u0000b');
      const named = Array.isArray(result.body?.details) && result.body.details.some((d) => d.field === nulCase.field);
      if (result.status !== 400 || !named) {
        failures.push(
          `${nulCase.method} ${nulCase.path} ${nulCase.place}:${nulCase.field} → ${result.status} ${result.text.slice(0, 160)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    // Before any credentials are looked at: a guest token on a NUL path is refused for the path, not a 500.
    const guestPath = await app.http.get<ErrorBody>('/api/guests/%00', { guestToken: 'gtk_anything' });
    expect(guestPath.status).toBe(400);
    expect(guestPath.body.details).toEqual([{ field: 'id', message: 'must not contain U+0000' }]);
    expect((await app.http.get('/health')).status).toBe(200);
  });

  it('holds wherever in the value U+0000 sits and whatever surrounds it (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cases),
        fc.string({ maxLength: 20 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        async (nulCase, before, after) => {
          const result = await send(app, nulCase, `${before}\u0000${after}`);
          expect(result.status).toBe(400);
          expect((result.body?.details ?? []).map((d) => d.field)).toContain(nulCase.field);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('refuses U+0000 in a header the API reads (Node stops it before the app)', async () => {
    for (const header of [
      'Authorization: Bearer a\u0000b',
      'X-Guest-Token: a\u0000b',
      'Idempotency-Key: a\u0000b',
      'X-Forwarded-For: 1.2.3.4\u0000',
    ]) {
      const request = `POST /api/guests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 28\r\n${header}\r\nConnection: close\r\n\r\n{"name":"Ann","partySize":2}`;
      expect(await rawStatus(app.baseUrl, request)).toBe(400);
    }
  });

  it('answers a caller address behind TRUST_PROXY that is not an IP address with 400 naming X-Forwarded-For', async () => {
    for (const forwarded of ['a'.repeat(200), 'unknown', '1'.repeat(90)]) {
      const result = await app.http.post<ErrorBody>(
        '/api/guests',
        { name: 'Proxy', partySize: 2 },
        {
          headers: { 'x-forwarded-for': forwarded, 'idempotency-key': 'proxy-1' },
        },
      );
      expect(result.status).toBe(400);
      expect(result.body.details).toEqual([{ field: 'X-Forwarded-For', message: expect.any(String) }]);
    }
    const longKey = await app.http.post<ErrorBody>(
      '/api/guests',
      { name: 'Key', partySize: 2 },
      { headers: { 'idempotency-key': 'k'.repeat(256) } },
    );
    expect(longKey.status).toBe(400);
    expect(longKey.body.details[0].field).toBe('Idempotency-Key');
    // A real client address behind the proxy still checks in, and its Idempotency-Key replays.
    const first = await app.http.post<CheckedInGuest>(
      '/api/guests',
      { name: 'Proxied', partySize: 2 },
      {
        headers: { 'x-forwarded-for': '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'idempotency-key': 'proxy-2' },
      },
    );
    expect(first.status).toBe(201);
    const again = await app.http.post<CheckedInGuest>(
      '/api/guests',
      { name: 'Proxied', partySize: 2 },
      {
        headers: { 'x-forwarded-for': '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'idempotency-key': 'proxy-2' },
      },
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it('stores Idempotency-Key lookups as an HMAC under the server secret, not a plain hash of the key', async () => {
    const caller = 'ip:2001:db8:ffff:ffff:ffff:ffff:ffff:ffff';
    const plain = createHash('sha256').update(`${caller}\0POST /api/guests\0proxy-2`).digest('hex');
    const rows = await sql<{ key_hash: string; caller: string }>(
      app.databaseUrl,
      'SELECT key_hash, caller FROM idempotency_records',
    );
    const mine = rows.filter((row) => row.caller === caller);
    expect(mine).toHaveLength(1);
    expect(mine[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(mine[0].key_hash).not.toBe(plain);
    const secrets = await sql<{ name: string; value: string }>(app.databaseUrl, 'SELECT name, value FROM server_secrets');
    expect(secrets).toEqual([{ name: 'idempotency', value: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) }]);
  });
});

describe('revoking a key', () => {
  let app: TestApp;
  const receiver = new Receiver();
  const sockets: Socket[] = [];

  beforeAll(async () => {
    await receiver.start();
    // Every attempt fails and the next is an hour away: the delivery sits pending until something ends it.
    receiver.respond = (_request, res) => void res.writeHead(500).end();
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: receiver.hostPort, WEBHOOK_RETRY_SCHEDULE: '1h', SEED_DEMO: 'false' });
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await app?.close();
    await receiver.stop();
    if (app) removeDir(app.dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  it('disables its endpoints (key_revoked), fails their pending deliveries and disconnects its sockets within 2 s', async () => {
    const created = await app.http.post<{ id: string; key: string }>(
      '/api/keys',
      { name: 'desk and integration', scopes: ['staff', 'endpoints'] },
      { token: ADMIN_KEY },
    );
    const key = created.body.key;
    const endpoint = await app.http.post<CreatedEndpoint>(
      '/api/webhooks/endpoints',
      { url: receiver.url, eventTypes: ['guest.checked_in'] },
      { token: key },
    );
    expect(endpoint.status).toBe(201);
    receiver.secrets = [endpoint.body.secret!];
    const otherKey = await createKey(app, ['staff', 'endpoints'], 'other desk');
    const otherEndpoint = await app.http.post<CreatedEndpoint>(
      '/api/webhooks/endpoints',
      { url: receiver.url, eventTypes: ['guest.checked_in'] },
      { token: otherKey },
    );

    await checkIn(app, { name: 'Pending', partySize: 2 });
    const attempted = await eventually(async () => {
      const list = await app.http.get<Delivery[]>(`/api/webhooks/endpoints/${endpoint.body.id}/deliveries`, { token: ADMIN_KEY });
      return list.body.length === 1 && list.body[0].attempts.length === 1 && list.body[0].status === 'pending'
        ? list.body
        : undefined;
    });
    expect(attempted[0].nextAttemptAt).not.toBeNull();

    const revoked = await connect(app.baseUrl, '/staff', { token: key });
    const kept = await connect(app.baseUrl, '/staff', { token: otherKey });
    sockets.push(revoked, kept);
    const disconnected = new Promise<number>((resolveAt) => revoked.once('disconnect', () => resolveAt(Date.now())));

    const startedAt = Date.now();
    expect((await app.http.delete(`/api/keys/${created.body.id}`, { token: ADMIN_KEY })).status).toBe(200);
    const at = await Promise.race([disconnected, new Promise<number>((r) => setTimeout(() => r(-1), 2_000))]);
    expect(at).toBeGreaterThan(0);
    expect(at - startedAt).toBeLessThanOrEqual(2_000);

    const after = await app.http.get(`/api/webhooks/endpoints/${endpoint.body.id}`, { token: ADMIN_KEY });
    expect(after.body).toMatchObject({ enabled: false, disabledReason: 'key_revoked' });
    const deliveries = await app.http.get<Delivery[]>(`/api/webhooks/endpoints/${endpoint.body.id}/deliveries`, {
      token: ADMIN_KEY,
    });
    expect(deliveries.body.map((d: { status: string }) => d.status)).toEqual(['failed']);

    // Another key's socket and endpoint are untouched; the revoked key cannot reconnect.
    expect(kept.connected).toBe(true);
    expect((await app.http.get(`/api/webhooks/endpoints/${otherEndpoint.body.id}`, { token: ADMIN_KEY })).body).toMatchObject({
      enabled: true,
    });
    await expect(connect(app.baseUrl, '/staff', { token: key })).rejects.toThrow('unauthorized');
  });
});

const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('revoking a key with two instances', () => {
  const dir = tempDir();
  const sockets: Socket[] = [];

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await killAllInstances();
    removeDir(dir);
  });

  it('disconnects its socket on the other instance within 2 s', async () => {
    const env = { DATABASE_URL: await testDatabaseUrl(dir), ADMIN_API_KEY: ADMIN_KEY, SEED_DEMO: 'false', LOG_LEVEL: 'info' };
    const a = await launchInstance('a', dir, env);
    const b = await launchInstance('b', dir, env);
    const created = await a.http.post<{ id: string; key: string }>(
      '/api/keys',
      { name: 'desk', scopes: ['staff'] },
      { token: ADMIN_KEY },
    );
    const otherKey = (await a.http.post<{ key: string }>('/api/keys', { name: 'other', scopes: ['staff'] }, { token: ADMIN_KEY }))
      .body.key;
    const onB = await connect(b.baseUrl, '/staff', { token: created.body.key });
    const keptOnB = await connect(b.baseUrl, '/staff', { token: otherKey });
    sockets.push(onB, keptOnB);
    const disconnected = new Promise<number>((resolveAt) => onB.once('disconnect', () => resolveAt(Date.now())));

    const startedAt = Date.now();
    expect((await a.http.delete(`/api/keys/${created.body.id}`, { token: ADMIN_KEY })).status).toBe(200);
    const at = await Promise.race([disconnected, new Promise<number>((r) => setTimeout(() => r(-1), 2_000))]);
    expect(at).toBeGreaterThan(0);
    process.stdout.write(`revoked key's socket on the other instance closed after ${at - startedAt} ms\n`);
    expect(keptOnB.connected).toBe(true);
    // What both instances logged meanwhile names no key.
    expect(a.output()).toMatch(/"msg":"request completed"/);
    for (const output of [a.output(), b.output()]) {
      for (const secret of [ADMIN_KEY, created.body.key, otherKey]) expect(output.includes(secret)).toBe(false);
    }
  });
});

describe('logs', () => {
  const dir = tempDir();

  afterAll(async () => {
    await killAllInstances();
    removeDir(dir);
  });

  it('hold no API key, guest token, Idempotency-Key, secret, SQL parameters or email, even when a query fails', async () => {
    const databaseUrl = await testDatabaseUrl(dir);
    const idempotencySecret = `idem-${randomBytes(24).toString('hex')}`;
    const instance = await launchInstance('logs', dir, {
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'info',
      SEED_DEMO: 'false',
      IDEMPOTENCY_SECRET: idempotencySecret,
      PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET,
    });
    const http = new Http(instance.baseUrl);
    const staff = (await http.post<{ key: string }>('/api/keys', { name: 'desk', scopes: ['staff'] }, { token: ADMIN_KEY })).body
      .key;
    const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
    const phone = '+4915112345678';
    const idempotencyKey = `idem-key-${randomBytes(8).toString('hex')}`;

    // A failing insert: the guest row (name, email, phone, token hash) is what TypeORM would log.
    if (ON_POSTGRES) {
      await sql(
        databaseUrl,
        "CREATE FUNCTION refuse_guest() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql",
      );
      await sql(databaseUrl, 'CREATE TRIGGER refuse_guest BEFORE INSERT ON guests FOR EACH ROW EXECUTE FUNCTION refuse_guest()');
    } else {
      await sql(
        databaseUrl,
        "CREATE TRIGGER refuse_guest BEFORE INSERT ON guests BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
      );
    }
    const failed = await http.post(
      '/api/guests',
      { name: 'Ada', partySize: 2, email, phone },
      { headers: { 'idempotency-key': idempotencyKey } },
    );
    expect(failed.status).toBe(500);
    await sql(databaseUrl, 'DROP TRIGGER refuse_guest' + (ON_POSTGRES ? ' ON guests' : ''));

    const guest = await http.post<CheckedInGuest>(
      '/api/guests',
      { name: 'Ada', partySize: 2, email, phone },
      { headers: { 'idempotency-key': idempotencyKey } },
    );
    expect(guest.status).toBe(201);
    expect((await http.get(`/api/guests/${guest.body.id}`, { guestToken: guest.body.token })).status).toBe(200);
    expect((await http.get('/api/guests', { token: staff })).status).toBe(200);
    expect((await http.patch(`/api/guests/${guest.body.id}`, { email }, { token: staff })).status).toBe(200);
    await instance.stop();

    const output = instance.output();
    // The logs are there (so their absence below means something): the request lines and the failure.
    expect(output).toMatch(/"msg":"request completed"/);
    expect(output).toMatch(/"msg":"request failed"/);
    expect(output).toMatch(/refused by the test/);
    const tokenHash = createHash('sha256').update(guest.body.token).digest('hex');
    for (const secret of [
      ADMIN_KEY,
      staff,
      guest.body.token,
      tokenHash,
      idempotencyKey,
      idempotencySecret,
      PAYMENT_SECRET,
      email,
      phone,
    ]) {
      if (output.includes(secret)) throw new Error(`the logs contain ${secret}`);
    }
    expect(output).not.toMatch(/INSERT INTO/i);
  });
});

describe('small hardening items', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({
      TRUST_PROXY: 'loopback',
      CHECKIN_RATE_LIMIT: '2',
      WEBHOOK_ALLOWED_HOSTS: '[::1]:8080',
      SEED_DEMO: 'false',
    });
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    await app?.close();
    if (app) removeDir(app.dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  it('recover takes an RFC 3339 `since` only', async () => {
    const key = await createKey(app, ['endpoints']);
    const endpoint = await app.http.post<CreatedEndpoint>(
      '/api/webhooks/endpoints',
      { url: 'http://[::1]:8080/hook', eventTypes: ['guest.left'] },
      { token: key },
    );
    expect(endpoint.status).toBe(201);
    for (const since of ['20200101', '2020-01-01', '2020-02-30T00:00:00Z', '2020-01-01T00:00:00', 'yesterday']) {
      const result = await app.http.post<ErrorBody>(
        `/api/webhooks/endpoints/${endpoint.body.id}/recover`,
        { since },
        { token: key },
      );
      expect(result.status).toBe(400);
      expect(result.body.details[0].field).toBe('since');
    }
    const ok = await app.http.post(
      `/api/webhooks/endpoints/${endpoint.body.id}/recover`,
      { since: '2020-01-01T00:00:00+01:00' },
      { token: key },
    );
    expect(ok.status).toBe(202);
  });

  it('counts check-ins per IPv6 /64 and per exact IPv4 address', async () => {
    const from = (address: string) =>
      app.http.post('/api/guests', { name: 'Limit', partySize: 2 }, { headers: { 'x-forwarded-for': address } });
    expect((await from('2001:db8:0:1::1')).status).toBe(201);
    expect((await from('2001:db8:0:1::2')).status).toBe(201);
    // A third address of the same /64 shares its budget …
    expect((await from('2001:db8:0:1:ffff::3')).status).toBe(429);
    // … the next /64 has its own, and so does each IPv4 address.
    expect((await from('2001:db8:0:2::1')).status).toBe(201);
    expect((await from('192.0.2.1')).status).toBe(201);
    expect((await from('192.0.2.1')).status).toBe(201);
    expect((await from('192.0.2.1')).status).toBe(429);
    expect((await from('192.0.2.2')).status).toBe(201);
  });

  it('serves pages with a Content-Security-Policy that allows only its own scripts', async () => {
    const page = await app.http.get('/');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
  });

  it('declares access on every registered route (the guard refuses routes without)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app's own @nestjs/core instance, at the moment the test needs it.
    const { ModulesContainer } = require('@nestjs/core') as typeof import('@nestjs/core');
    const container = app.nest.get(ModulesContainer);
    const routes: string[] = [];
    const undeclared: string[] = [];
    for (const module of container.values()) {
      for (const wrapper of module.controllers.values()) {
        const type = wrapper.metatype as (new (...args: never[]) => object) | null;
        if (!type) continue;
        for (const name of Object.getOwnPropertyNames(type.prototype)) {
          const handler = (type.prototype as Record<string, unknown>)[name];
          if (name === 'constructor' || typeof handler !== 'function') continue;
          if (Reflect.getMetadata('method', handler) === undefined) continue;
          const route = `${type.name}.${name}`;
          routes.push(route);
          const access: unknown = Reflect.getMetadata('maitred:access', handler) ?? Reflect.getMetadata('maitred:access', type);
          if (!Array.isArray(access) || access.length === 0) undeclared.push(route);
        }
      }
    }
    expect(routes.length).toBeGreaterThan(30);
    expect(undeclared).toEqual([]);
  });
});

describe('boot-time configuration', () => {
  const dir = tempDir();

  afterAll(async () => {
    await killAllInstances();
    removeDir(dir);
  });

  it('refuses TRUST_PROXY=foo naming the variable', async () => {
    const env = { DATABASE_URL: await testDatabaseUrl(dir), ADMIN_API_KEY: ADMIN_KEY, TRUST_PROXY: 'foo' };
    const error = await launchInstance('bad-proxy', dir, env).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(Error);
    const message = error instanceof Error ? error.message : '';
    expect(message).toMatch(/exited \(1\)/);
    expect(message).toMatch(/TRUST_PROXY must be true, false, a number of hops/);
  });
});
