import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { ADMIN_KEY, clockOf, createKey, freeTable, ON_POSTGRES, removeDir, startApp, tempDir, TestApp } from './support/app';
import { cleanEnv, EXAMPLES_DIST, freePort, killAll, NodeProcess } from './support/processes';
import { eventually, Receiver } from './support/receiver';

/**
 * Erasure (README, "Erasure and retention"), end to end on the configured database: a guest with
 * distinctive details goes through a visit (update, offer, seat, webhooks delivered to one endpoint
 * and pending to a down one, the CRM and analytics examples running as real processes), is erased,
 * and then none of the details is anywhere: not in the raw SQLite files (database and WAL) or any
 * PostgreSQL table, not in the feed, not in the late delivery, not in the CRM or the analytics file.
 */
jest.setTimeout(90_000);

const NAME = 'Quintessa Zorblattique';
const EMAIL = 'quintessa.zorblattique@example.org';
const PHONE = '+15557654321';
const NOTES = 'xyzzy-allergic-to-plugh';
/** What must not survive: every distinctive piece (the updated name included). */
const NEEDLES = ['Zorblattique', 'quintessa.zorblattique', '5557654321', 'xyzzy-allergic'];

interface Guest {
  id: string;
  token: string;
  name: string;
  email: string | null;
  phone: string | null;
  notes: string | null;
  status: string;
  partySize: number;
  checkedInAt: string;
  erasedAt: string | null;
  tableId: string | null;
}
interface FeedEvent {
  id: string;
  type: string;
  data: { guestId?: string; guest?: { id: string } };
}
interface DeliveryRow {
  id: string;
  eventType: string;
  status: string;
}

/** Which needles occur in the text (case-insensitive, so a differently cased copy counts too). */
function found(text: string): string[] {
  const lower = text.toLowerCase();
  return NEEDLES.filter((needle) => lower.includes(needle.toLowerCase()));
}

/** Every byte of the SQLite database file and its write-ahead log, as Latin-1 text (bytes kept one to one). */
function sqliteBytes(app: TestApp): string {
  const file = join(app.dir, 'maitred.sqlite');
  return [file, `${file}-wal`]
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

/** Every row of every table in the app's PostgreSQL database, as text. */
async function postgresRows(app: TestApp): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['guests', 'events', 'idempotency_records']));
    const parts: string[] = [];
    for (const { table_schema: schema, table_name: table } of tables.rows) {
      const rows = await client.query<{ t: string }>(`SELECT t::text AS t FROM "${schema}"."${table}" t`);
      parts.push(...rows.rows.map((row) => row.t));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

/** The whole stored state as text, on either database. */
async function storedText(app: TestApp): Promise<string> {
  return ON_POSTGRES ? postgresRows(app) : sqliteBytes(app);
}

describe('erasure: DELETE /api/guests/:id', () => {
  let app: TestApp;
  let endpointsKey: string;
  let staffKey: string;
  let offersKey: string;
  const up = new Receiver();
  const late = new Receiver();
  let downPort: number;
  let crmPort: number;
  let crm: NodeProcess;
  let analytics: NodeProcess;
  const dir = tempDir('maitred-erasure-');

  beforeAll(async () => {
    await up.start();
    downPort = await freePort();
    crmPort = await freePort();
    app = await startApp({
      // One retry an hour: the down endpoint's deliveries stay pending until the clock moves.
      WEBHOOK_RETRY_SCHEDULE: '1h,1h',
      WEBHOOK_ALLOWED_HOSTS: [up.hostPort, `127.0.0.1:${downPort}`, `127.0.0.1:${crmPort}`].join(','),
    });
    endpointsKey = await createKey(app, ['endpoints']);
    staffKey = await createKey(app, ['staff']);
    offersKey = await createKey(app, ['offers']);
  });

  afterAll(async () => {
    await crm.stop().catch(() => undefined);
    await analytics.stop().catch(() => undefined);
    killAll();
    await up.stop();
    await late.stop().catch(() => undefined);
    await app.close();
    removeDir(app.dir);
    removeDir(dir);
  });

  async function endpoint(url: string, eventTypes: string[] = []): Promise<{ id: string; secret: string }> {
    const created = await app.http.post<{ id: string; secret: string }>(
      '/api/webhooks/endpoints',
      { url, eventTypes },
      { token: endpointsKey },
    );
    expect(created.status).toBe(201);
    return created.body;
  }

  it('removes the details everywhere, frees the table, and tells subscribers', async () => {
    const all = await endpoint(up.url);
    up.secrets = [all.secret];
    const down = await endpoint(`http://127.0.0.1:${downPort}/hook`, ['guest.checked_in', 'guest.updated']);
    const crmEndpoint = await endpoint(`http://127.0.0.1:${crmPort}/webhook`, [
      'guest.checked_in',
      'guest.updated',
      'guest.erased',
    ]);
    crm = new NodeProcess(
      'crm',
      join(EXAMPLES_DIST, 'crm.js'),
      cleanEnv(dir, { WEBHOOK_SECRET: crmEndpoint.secret, PORT: String(crmPort), DATA_DIR: join(dir, 'crm') }),
    );
    analytics = new NodeProcess(
      'analytics',
      join(EXAMPLES_DIST, 'analytics.js'),
      cleanEnv(dir, {
        MAITRED_URL: app.baseUrl,
        MAITRED_API_KEY: staffKey,
        DATA_DIR: join(dir, 'analytics'),
        POLL_INTERVAL_MS: '50',
      }),
    );
    await crm.waitFor(/listening on/);
    await analytics.waitFor(/following/);

    // The visit: check in (with an Idempotency-Key), update, an offer (with a key), seat.
    const checkedIn = await app.http.post<Guest>(
      '/api/guests',
      { name: 'Quintessa', partySize: 2, email: EMAIL, phone: PHONE, marketingOptIn: true, notes: NOTES },
      { headers: { 'idempotency-key': 'erasure-check-in' } },
    );
    expect(checkedIn.status).toBe(201);
    const guest = checkedIn.body;
    const patched = await app.http.patch<Guest>(`/api/guests/${guest.id}`, { name: NAME }, { token: staffKey });
    expect(patched.status).toBe(200);
    const offerRequest = { headers: { 'idempotency-key': 'erasure-offer' }, token: offersKey };
    const offer = await app.http.post('/api/guests/' + guest.id + '/offers', { title: 'A drink on us' }, offerRequest);
    expect(offer.status).toBe(201);
    const table = await freeTable(app, 2);
    expect((await app.http.post(`/api/guests/${guest.id}/seat`, { tableId: table.id }, { token: staffKey })).status).toBe(200);

    await up.waitFor((r) => r.payload.type === 'guest.seated' && r.payload.data.guest.id === guest.id);
    await eventually(async () => {
      const contacts = (await (await fetch(`http://127.0.0.1:${crmPort}/contacts`)).json()) as {
        guestId: string;
        name: string;
      }[];
      return contacts.find((c) => c.guestId === guest.id)?.name === NAME;
    });
    const analyticsFile = join(dir, 'analytics', 'events.ndjson');
    await eventually(() => Promise.resolve(existsSync(analyticsFile) && readFileSync(analyticsFile, 'utf8').includes(NAME)));
    // The down endpoint's two deliveries failed once and wait for their retry.
    await eventually(async () => {
      const listed = await app.http.get<DeliveryRow[]>(`/api/webhooks/endpoints/${down.id}/deliveries`, { token: endpointsKey });
      return listed.body.length === 2 && listed.body.every((d) => d.status === 'pending') && listed.body;
    });
    // The search can find the details before erasure (so its "none" below means something).
    expect(found(await storedText(app))).not.toEqual([]);

    // Only an admin erases; an unknown guest is 404.
    expect((await app.http.delete(`/api/guests/${guest.id}`, { token: staffKey })).status).toBe(403);
    expect((await app.http.delete('/api/guests/gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ', { token: ADMIN_KEY })).status).toBe(404);

    const erased = await app.http.delete<Guest>(`/api/guests/${guest.id}`, { token: ADMIN_KEY });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      id: guest.id,
      name: '',
      email: null,
      phone: null,
      notes: null,
      status: 'left',
      partySize: 2,
      checkedInAt: guest.checkedInAt,
      tableId: table.id,
    });
    expect(erased.body.erasedAt).toEqual(expect.any(String));
    // The seated guest left by the leave rules: the table went to cleaning.
    const tables = (await app.http.get<{ id: string; status: string }[]>('/api/tables')).body;
    expect(tables.find((t) => t.id === table.id)?.status).toBe('cleaning');

    // Erasing again answers the same and writes nothing.
    const again = await app.http.delete<Guest>(`/api/guests/${guest.id}`, { token: ADMIN_KEY });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(erased.body);
    // An erased guest's details cannot be sent again.
    expect((await app.http.patch(`/api/guests/${guest.id}`, { name: NAME }, { token: staffKey })).status).toBe(409);

    // The feed: guest.left and guest.erased (once), and none of the details in any event.
    const feed = (await app.http.get<{ data: FeedEvent[] }>('/api/events?limit=500', { token: staffKey })).body.data;
    expect(found(JSON.stringify(feed))).toEqual([]);
    expect(feed.filter((e) => e.type === 'guest.erased')).toEqual([expect.objectContaining({ data: { guestId: guest.id } })]);
    const types = feed.filter((e) => e.data.guest?.id === guest.id || e.data.guestId === guest.id).map((e) => e.type);
    expect(types).toEqual(['guest.checked_in', 'guest.updated', 'offer.created', 'guest.seated', 'guest.left', 'guest.erased']);

    // Subscribers hear of it; the live guest.left already carries no details.
    const erasedHook = await up.waitFor((r) => r.payload.type === 'guest.erased');
    expect(erasedHook.verified).toBe(true);
    expect(erasedHook.payload.data).toEqual({ guestId: guest.id });
    const left = await up.waitFor((r) => r.payload.type === 'guest.left' && r.payload.data.guest.id === guest.id);
    expect(found(left.body)).toEqual([]);

    // The CRM example deleted the contact; the analytics example recorded the erasure and rewrote its file.
    await eventually(async () => {
      const contacts = (await (await fetch(`http://127.0.0.1:${crmPort}/contacts`)).json()) as { guestId: string }[];
      return !contacts.some((c) => c.guestId === guest.id);
    });
    await crm.waitFor(new RegExp(`guest.erased: contact ${guest.id} deleted`));
    await eventually(() => Promise.resolve(readFileSync(analyticsFile, 'utf8').includes('"guest.erased"')));
    await analytics.waitFor(/guest.erased gst_\w+: removed their details from \d+ lines/);
    expect(found(readFileSync(analyticsFile, 'utf8'))).toEqual([]);

    // The idempotency records of the guest's requests are gone: the same key is no replay.
    const offerAgain = await app.http.post('/api/guests/' + guest.id + '/offers', { title: 'A drink on us' }, offerRequest);
    expect(offerAgain.status).toBe(201);
    expect(offerAgain.headers.get('idempotent-replayed')).toBeNull();

    // Nothing of the details in the stored state: every PostgreSQL table, or the raw SQLite files.
    expect(found(await storedText(app))).toEqual([]);

    // The pending deliveries send the erased data once the receiver is back.
    await late.start(downPort);
    late.secrets = [down.secret];
    clockOf(app).advance(2 * 60 * 60 * 1000);
    const sent = await late.waitForCount(2, () => true, 30_000);
    for (const webhook of sent) {
      // Signed at the moved clock's time, which the library's 5-minute tolerance refuses: check the signature itself.
      const signed = new Webhook(down.secret).sign(webhook.id, new Date(Number(webhook.timestamp) * 1000), webhook.body);
      expect(webhook.signature.split(' ')).toContain(signed);
      expect(found(webhook.body)).toEqual([]);
      expect(webhook.payload.data.guest.id).toBe(guest.id);
    }
    expect(found(await storedText(app))).toEqual([]);
  });
});
