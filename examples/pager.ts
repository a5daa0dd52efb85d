/**
 * Pager: texts a paged guest that their table is ready, and turns their reply into Maitred calls.
 *
 *   receive `guest.notified` → verify the Standard Webhooks signature (401 if bad) → store the page,
 *   keyed by `webhook-id` → answer 200 at once → a worker reads the guest through Maitred's API (the
 *   event carries the phone only with marketing consent; being paged is not marketing) and sends the
 *   text with the official `twilio` library, retrying with backoff while Twilio or Maitred is away.
 *
 *   Twilio's inbound-message webhook (POST /twilio/inbound, form-encoded, `X-Twilio-Signature`
 *   checked with twilio.validateRequest, 403 if bad): `1` → POST /api/guests/:id/confirm,
 *   `9` → POST /api/guests/:id/leave { reason: cancelled }, anything else → a short help reply. The
 *   answer is TwiML, so the reply text goes back in the same exchange. A MessageSid seen before is
 *   answered without acting again.
 *   Message status callbacks (POST /twilio/status) are verified the same way and logged.
 *
 * A guest without a phone is skipped with a log line. Pointing it at real Twilio needs only the
 * environment: leave TWILIO_API_URL unset, set the account's SID, token and number, set PUBLIC_URL
 * to where Twilio reaches this program, and set the number's "A message comes in" webhook to
 * `<PUBLIC_URL>/twilio/inbound`.
 *
 * Environment:
 *   WEBHOOK_SECRET       the endpoint's signing secret, `whsec_…` (required)
 *   MAITRED_URL          Maitred's base URL (default http://localhost:3000)
 *   MAITRED_API_KEY      a `staff` key: reads the guest, confirms or cancels for them (required)
 *   TWILIO_ACCOUNT_SID   `AC…` (required)
 *   TWILIO_AUTH_TOKEN    the account's auth token: authenticates sends and verifies Twilio's webhooks (required)
 *   SMS_FROM             the number texts come from, E.164 (required)
 *   TWILIO_API_URL       Twilio's REST API base (default https://api.twilio.com; the demo's simulator)
 *   PUBLIC_URL           this program's URL as Twilio calls it (default http://<HOST>:<PORT>)
 *   PORT                 (default 4007; 0 picks a free one)
 *   HOST                 (default 127.0.0.1)
 *   DATA_DIR             where pager.sqlite keeps pages and replies (default ./data/pager)
 *
 * Prints `pager: listening on http://<host>:<port>` when ready; SIGINT/SIGTERM stop it cleanly.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type TwilioResponse from 'twilio/lib/http/response';
import { backoffMs } from './lib/backoff';
import { JobPump } from './lib/job-pump';
import { errorMessage, MaitredApi } from './lib/maitred-api';
import { closeServer, describeError, intEnv, logger, maitredUrl, onShutdown, optionalEnv, requiredEnv } from './lib/runtime';
import { isGuest, readRawBody, sendJson, WebhookVerifier, listenJson } from './lib/webhooks';

const log = logger('pager');
const verifier = new WebhookVerifier(requiredEnv('WEBHOOK_SECRET'));
const api = new MaitredApi(maitredUrl(), requiredEnv('MAITRED_API_KEY'));
const accountSid = requiredEnv('TWILIO_ACCOUNT_SID');
const authToken = requiredEnv('TWILIO_AUTH_TOKEN');
const smsFrom = requiredEnv('SMS_FROM');
const twilioApiUrl = optionalEnv('TWILIO_API_URL', '').replace(/\/+$/, '');
const port = intEnv('PORT', 4007, 0, 65535);
const host = optionalEnv('HOST', '127.0.0.1');
const dataDir = resolve(optionalEnv('DATA_DIR', join('data', 'pager')));

const CONCURRENCY = 4;
const BACKOFF = { baseMs: 500, maxMs: 30_000, jitter: 0.2 };
/** A page is about a hold of minutes: after this long a text would only confuse. */
const GIVE_UP_AFTER_MS = 15 * 60 * 1000;
const HELP = 'Reply 1 if you are on your way, or 9 to give up your table.';

/**
 * The `twilio` library always calls https://api.twilio.com (or a regional edge). With TWILIO_API_URL
 * set, this client sends the same requests, path and all, to that base instead.
 */
class ApiUrlClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super({ timeout: 10_000 });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    const original = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.base}${original.pathname}${original.search}` });
  }
}

const client = twilio(accountSid, authToken, twilioApiUrl ? { httpClient: new ApiUrlClient(twilioApiUrl) } : {});
// The library loads its API modules on first use; loading them now keeps that off the first guest's text.
const messagesApi = client.messages;

interface Page {
  webhookId: string;
  guestId: string;
  guestName: string;
  tableLabel: string | null;
  holdUntil: string;
  message: string | null;
  attempts: number;
  receivedAt: number;
}

interface GuestNotified {
  guest: { id: string; name: string };
  table: { label: string } | null;
  holdUntil: string;
  message: string | null;
}

/** Pages keyed by webhook-id (a redelivery is never a second text), and the replies seen. */
class PageStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS pages (
        webhook_id      TEXT PRIMARY KEY,
        guest_id        TEXT NOT NULL,
        guest_name      TEXT NOT NULL,
        table_label     TEXT,
        hold_until      TEXT NOT NULL,
        message         TEXT,
        status          TEXT NOT NULL DEFAULT 'pending', -- pending | sent | skipped | failed
        phone           TEXT,
        message_sid     TEXT,
        delivery        TEXT,                            -- Twilio's last reported status
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        received_at     INTEGER NOT NULL,
        finished_at     INTEGER
      );
      CREATE INDEX IF NOT EXISTS pages_due ON pages (status, next_attempt_at);
      CREATE INDEX IF NOT EXISTS pages_phone ON pages (phone, finished_at);
      CREATE TABLE IF NOT EXISTS replies (
        message_sid TEXT PRIMARY KEY,
        phone       TEXT NOT NULL,
        body        TEXT NOT NULL,
        answer      TEXT,
        received_at INTEGER NOT NULL
      );
    `);
  }

  add(webhookId: string, event: GuestNotified): boolean {
    const now = Date.now();
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO pages (webhook_id, guest_id, guest_name, table_label, hold_until, message, next_attempt_at, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(webhookId, event.guest.id, event.guest.name, event.table?.label ?? null, event.holdUntil, event.message, now, now)
        .changes === 1
    );
  }

  due(now: number, limit: number): Page[] {
    return this.db
      .prepare(
        `SELECT webhook_id AS webhookId, guest_id AS guestId, guest_name AS guestName, table_label AS tableLabel,
                hold_until AS holdUntil, message, attempts, received_at AS receivedAt
         FROM pages WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
      )
      .all(now, limit) as Page[];
  }

  nextDueAt(): number | undefined {
    const row = this.db.prepare(`SELECT MIN(next_attempt_at) AS at FROM pages WHERE status = 'pending'`).get() as {
      at: number | null;
    };
    return row.at ?? undefined;
  }

  sent(webhookId: string, phone: string, messageSid: string): void {
    this.db
      .prepare(
        `UPDATE pages SET status = 'sent', phone = ?, message_sid = ?, attempts = attempts + 1, last_error = NULL, finished_at = ? WHERE webhook_id = ?`,
      )
      .run(phone, messageSid, Date.now(), webhookId);
  }

  finish(webhookId: string, status: 'skipped' | 'failed', note: string): void {
    this.db
      .prepare(`UPDATE pages SET status = ?, attempts = attempts + 1, last_error = ?, finished_at = ? WHERE webhook_id = ?`)
      .run(status, note, Date.now(), webhookId);
  }

  retryLater(webhookId: string, at: number, error: string): void {
    this.db
      .prepare(`UPDATE pages SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE webhook_id = ?`)
      .run(at, error, webhookId);
  }

  /** The guest last texted at this phone: whom a reply from it is about. */
  latestTo(phone: string): { guestId: string; guestName: string } | undefined {
    return this.db
      .prepare(
        `SELECT guest_id AS guestId, guest_name AS guestName FROM pages WHERE status = 'sent' AND phone = ? ORDER BY finished_at DESC LIMIT 1`,
      )
      .get(phone) as { guestId: string; guestName: string } | undefined;
  }

  delivery(messageSid: string, status: string): void {
    this.db.prepare(`UPDATE pages SET delivery = ? WHERE message_sid = ?`).run(status, messageSid);
  }

  /** Records a reply; the earlier answer when this MessageSid was already handled. */
  reply(messageSid: string, phone: string, body: string): { isNew: boolean; answer: string | null } {
    const inserted =
      this.db
        .prepare(`INSERT OR IGNORE INTO replies (message_sid, phone, body, received_at) VALUES (?, ?, ?, ?)`)
        .run(messageSid, phone, body, Date.now()).changes === 1;
    if (inserted) return { isNew: true, answer: null };
    const row = this.db.prepare(`SELECT answer FROM replies WHERE message_sid = ?`).get(messageSid) as { answer: string | null };
    return { isNew: false, answer: row.answer };
  }

  answered(messageSid: string, answer: string): void {
    this.db.prepare(`UPDATE replies SET answer = ? WHERE message_sid = ?`).run(answer, messageSid);
  }

  counts(): Record<string, number> {
    const rows = this.db.prepare(`SELECT status, COUNT(*) AS n FROM pages GROUP BY status`).all() as {
      status: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  close(): void {
    this.db.close();
  }
}

/** The text: who, which table, how long it is held, staff's note, and how to answer. */
function pageText(page: Pick<Page, 'guestName' | 'tableLabel' | 'holdUntil' | 'message' | 'receivedAt'>): string {
  const minutes = Math.max(1, Math.round((Date.parse(page.holdUntil) - page.receivedAt) / 60_000));
  const table = page.tableLabel ? ` ${page.tableLabel}` : '';
  const note = page.message ? ` ${page.message}` : '';
  return `Hi ${page.guestName}, your table${table} is ready! We hold it for ${minutes} min.${note} ${HELP}`;
}

class RetryLater extends Error {}

class Worker {
  private readonly jobs: JobPump<Page>;

  constructor(private readonly store: PageStore) {
    this.jobs = new JobPump(
      store,
      CONCURRENCY,
      (page) => this.attempt(page),
      (page, error) => log(`page ${page.webhookId} could not be saved: ${describeError(error)}`),
    );
  }

  pump(): void {
    this.jobs.pump();
  }

  stop(): Promise<void> {
    return this.jobs.stop();
  }

  private async phoneOf(page: Page): Promise<{ phone: string | null; status: string } | null> {
    let response;
    try {
      response = await api.request<{ phone: string | null; status: string }>(
        'GET',
        `/api/guests/${encodeURIComponent(page.guestId)}`,
      );
    } catch (error) {
      throw new RetryLater(`reading the guest: ${describeError(error)}`);
    }
    if (response.status === 404) return null;
    if (response.status !== 200) throw new RetryLater(`reading the guest: ${errorMessage(response)}`);
    return response.body;
  }

  private async attempt(page: Page): Promise<void> {
    let error: string;
    try {
      const guest = await this.phoneOf(page);
      if (guest?.status !== 'waiting') {
        this.store.finish(page.webhookId, 'skipped', guest ? `guest is ${guest.status}` : 'guest not found');
        log(`${page.guestName} (${page.guestId}) is no longer waiting; not texted`);
        return;
      }
      if (!guest.phone) {
        this.store.finish(page.webhookId, 'skipped', 'no phone number');
        log(`no phone number for ${page.guestName} (${page.guestId}); not texted`);
        return;
      }
      const body = pageText(page);
      const message = await messagesApi.create({
        to: guest.phone,
        from: smsFrom,
        body,
        statusCallback: `${publicUrl()}/twilio/status`,
      });
      this.store.sent(page.webhookId, guest.phone, message.sid);
      log(`texted ${page.guestName} at ${guest.phone} (${message.sid}): ${body}`);
      return;
    } catch (thrown) {
      error = describeError(thrown);
      const status = (thrown as { status?: unknown }).status;
      // Twilio refused the message itself (a bad number, a blocked recipient): sending again will not help.
      if (!(thrown instanceof RetryLater) && typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
        this.store.finish(page.webhookId, 'failed', error);
        log(`Twilio refused the text to ${page.guestName}: ${error}`);
        return;
      }
    }
    if (Date.now() - page.receivedAt > GIVE_UP_AFTER_MS) {
      this.store.finish(page.webhookId, 'failed', `gave up after ${page.attempts + 1} attempts: ${error}`);
      log(`gave up texting ${page.guestName}: ${error}`);
      return;
    }
    const delay = backoffMs(page.attempts, BACKOFF);
    this.store.retryLater(page.webhookId, Date.now() + delay, error);
    log(`text to ${page.guestName} not sent (${error}); retrying in ${Math.round(delay)} ms`);
  }
}

let listeningPort = port;
function publicUrl(): string {
  return optionalEnv('PUBLIC_URL', `http://${host}:${listeningPort}`).replace(/\/+$/, '');
}

function isGuestNotified(value: unknown): value is GuestNotified {
  if (typeof value !== 'object' || value === null) return false;
  const { guest, holdUntil, message } = value as Record<string, unknown>;
  return isGuest(guest) && typeof holdUntil === 'string' && (message === null || typeof message === 'string');
}

/** The form parameters of a Twilio webhook, or undefined when its signature does not match them and our URL. */
async function verifiedTwilio(request: IncomingMessage, path: string): Promise<Record<string, string> | undefined> {
  const raw = (await readRawBody(request, 64 * 1024)).toString('utf8');
  const params = Object.fromEntries(new URLSearchParams(raw));
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string') return undefined;
  return twilio.validateRequest(authToken, signature, `${publicUrl()}${path}`, params) ? params : undefined;
}

function twiml(response: ServerResponse, text: string | null): void {
  const reply = new twilio.twiml.MessagingResponse();
  if (text) reply.message(text);
  const xml = reply.toString();
  response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': Buffer.byteLength(xml) });
  response.end(xml);
}

/** What a reply does in Maitred, and the text that answers it. */
async function act(guest: { guestId: string; guestName: string }, body: string): Promise<string> {
  const id = encodeURIComponent(guest.guestId);
  const choice = body.trim();
  if (choice === '1') {
    const response = await api.request('POST', `/api/guests/${id}/confirm`, { body: {} });
    if (response.status === 200) return `Thanks, ${guest.guestName}! We'll see you in a moment.`;
    if (response.status === 409) return 'Sorry, this table is no longer held for you. Please see the host.';
    throw new Error(`confirming ${guest.guestId}: ${errorMessage(response)}`);
  }
  if (choice === '9') {
    const response = await api.request('POST', `/api/guests/${id}/leave`, { body: { reason: 'cancelled' } });
    if (response.status === 200) return 'Your table has been released. We hope to see you another time.';
    if (response.status === 409) return 'You are no longer on our waiting list.';
    throw new Error(`cancelling ${guest.guestId}: ${errorMessage(response)}`);
  }
  return HELP;
}

async function inbound(request: IncomingMessage, response: ServerResponse, store: PageStore): Promise<void> {
  const params = await verifiedTwilio(request, '/twilio/inbound');
  if (!params) {
    log('inbound message with a bad X-Twilio-Signature refused');
    sendJson(response, 403, { error: 'invalid Twilio signature' });
    return;
  }
  const { MessageSid: sid = '', From: from = '', Body: body = '' } = params;
  if (!sid || !from) {
    sendJson(response, 400, { error: 'MessageSid and From are required' });
    return;
  }
  const seen = store.reply(sid, from, body);
  if (!seen.isNew) {
    twiml(response, seen.answer);
    return;
  }
  const guest = store.latestTo(from);
  let answer: string;
  if (!guest) {
    answer = 'There is no table waiting for this number.';
  } else {
    try {
      answer = await act(guest, body);
    } catch (error) {
      log(`reply "${body}" from ${from} could not be handled: ${describeError(error)}`);
      // Not recorded as answered: the same message again (Twilio's retry) tries again.
      twiml(response, 'Sorry, something went wrong. Please try again in a moment.');
      return;
    }
  }
  store.answered(sid, answer);
  log(`reply "${body}" from ${from}${guest ? ` (${guest.guestName}, ${guest.guestId})` : ''}: ${answer}`);
  twiml(response, answer);
}

async function statusCallback(request: IncomingMessage, response: ServerResponse, store: PageStore): Promise<void> {
  const params = await verifiedTwilio(request, '/twilio/status');
  if (!params) {
    log('status callback with a bad X-Twilio-Signature refused');
    sendJson(response, 403, { error: 'invalid Twilio signature' });
    return;
  }
  const { MessageSid: sid = '', MessageStatus: status = '', To: to = '' } = params;
  store.delivery(sid, status);
  log(`text ${sid} to ${to}: ${status}`);
  response.writeHead(204).end();
}

async function handle(request: IncomingMessage, response: ServerResponse, store: PageStore, worker: Worker): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method === 'GET' && path === '/health') {
    sendJson(response, 200, { status: 'ok', pages: store.counts() });
    return;
  }
  if (request.method !== 'POST') {
    sendJson(response, path === '/webhook' || path.startsWith('/twilio/') ? 405 : 404, { error: 'use POST' });
    return;
  }
  if (path === '/twilio/inbound') return inbound(request, response, store);
  if (path === '/twilio/status') return statusCallback(request, response, store);
  if (path !== '/webhook') {
    sendJson(response, 404, { error: 'not found' });
    return;
  }

  const webhook = verifier.verify(await readRawBody(request), request.headers);
  if (!webhook) {
    sendJson(response, 401, { error: 'invalid signature' });
    return;
  }
  const { id, event } = webhook;
  if (event.type !== 'guest.notified') {
    sendJson(response, 200, { received: true, ignored: true });
    return;
  }
  if (!isGuestNotified(event.data)) {
    sendJson(response, 400, { error: 'guest.notified without a guest and holdUntil' });
    return;
  }
  // Durable before acknowledging: once Maitred sees 2xx it will not send this event again.
  const isNew = store.add(id, event.data);
  sendJson(response, 200, { received: true, duplicate: !isNew });
  if (isNew) worker.pump();
  else log(`redelivery of ${id} ignored (already received)`);
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const store = new PageStore(join(dataDir, 'pager.sqlite'));
  const worker = new Worker(store);
  const server = await listenJson((request, response) => handle(request, response, store, worker), port, host, log);
  listeningPort = (server.address() as AddressInfo).port;
  log(
    `listening on http://${host}:${listeningPort} (webhook /webhook, Twilio /twilio/inbound and /twilio/status as ${publicUrl()}; ` +
      `texts via ${twilioApiUrl || 'https://api.twilio.com'} from ${smsFrom})`,
  );
  worker.pump();
  onShutdown('pager', async () => {
    await closeServer(server);
    await worker.stop();
    store.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`pager: failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
