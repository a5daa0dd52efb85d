/**
 * Mailer: a third-party webhook subscriber that thanks every guest who pays, by email, and tells a
 * paged guest who gave marketing consent that their table is ready (`guest.notified`: the same
 * notice the pager texts, as a letter; the event carries the address only with that consent).
 *
 *   receive `payment.received` → verify the signature (401 if bad) → store the letter to send,
 *   keyed by `webhook-id` (and by paymentId) → answer 200 at once → a worker sends it with
 *   nodemailer over SMTP, retrying with backoff while the mail server is unreachable.
 *
 * A redelivery of the same event (Maitred's retry, a manual retry from the portal) finds the letter
 * already stored and sends nothing. Letters not yet sent survive a restart.
 *
 * SMTP has no idempotency key: if the mailer dies after the server accepted a letter but before it
 * noted that, the letter is sent again after the restart. Every letter for a payment carries the same
 * Message-ID (derived from the paymentId), so a mailbox can tell such a copy apart.
 *
 * Event data carries a guest's email only with marketing consent. A receipt is not marketing, so
 * with MAITRED_API_KEY (a `staff` key) the mailer asks Maitred for the address of a guest who did not
 * opt in; without it, or for a guest without an email, the letter is skipped.
 *
 * Environment:
 *   WEBHOOK_SECRET    the endpoint's signing secret, `whsec_…` (required)
 *   MAITRED_URL       Maitred's base URL (default http://localhost:3000)
 *   MAITRED_API_KEY   optional `staff` key, to look up addresses the event withholds
 *   PORT              port for `POST /webhook` (default 4004; 0 picks a free one)
 *   HOST              address to listen on (default 127.0.0.1)
 *   DATA_DIR          where mailer.sqlite keeps the letters (default ./data/mailer)
 *   SMTP_HOST         the mail server (default 127.0.0.1: the demo's mail sink)
 *   SMTP_PORT         its port (default 2525)
 *   MAIL_FROM         the sender (default "Maitred <thanks@maitred.localhost>")
 *
 * Prints `mailer: listening on http://<host>:<port>/webhook` when ready; SIGINT/SIGTERM stop it
 * cleanly (exit 0) after the letters being sent are handed over.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import { backoffMs } from './lib/backoff';
import { errorMessage, MaitredApi } from './lib/maitred-api';
import { closeServer, describeError, intEnv, logger, maitredUrl, onShutdown, optionalEnv, requiredEnv } from './lib/runtime';
import { isGuest, readRawBody, sendJson, WebhookVerifier, listenJson } from './lib/webhooks';
import { JobPump } from './lib/job-pump';

const log = logger('mailer');
const verifier = new WebhookVerifier(requiredEnv('WEBHOOK_SECRET'));
const apiKey = optionalEnv('MAITRED_API_KEY', '');
const api = apiKey ? new MaitredApi(maitredUrl(), apiKey) : undefined;
const port = intEnv('PORT', 4004, 0, 65535);
const host = optionalEnv('HOST', '127.0.0.1');
const dataDir = resolve(optionalEnv('DATA_DIR', join('data', 'mailer')));
const mailFrom = optionalEnv('MAIL_FROM', 'Maitred <thanks@maitred.localhost>');
const smtpHost = optionalEnv('SMTP_HOST', '127.0.0.1');
const smtpPort = intEnv('SMTP_PORT', 2525, 1, 65535);
const transport = nodemailer.createTransport({
  host: smtpHost,
  port: smtpPort,
  secure: false,
  // The demo's sink speaks plain SMTP on loopback; point SMTP_HOST at a real server only with TLS set up.
  ignoreTLS: true,
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 20_000,
});

const CONCURRENCY = 2;
/** Retry backoff: 0.5 s doubling to at most a minute, ±20 % jitter. */
const BACKOFF = { baseMs: 500, maxMs: 60_000, jitter: 0.2 };
const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;

interface Letter {
  webhookId: string;
  paymentId: string;
  guestId: string;
  guestName: string;
  email: string | null;
  amount: number;
  currency: string;
  attempts: number;
  receivedAt: number;
}

interface PaymentReceived {
  payment: { paymentId: string; guestId: string; amount: number; currency: string };
  guest: { id: string; name: string; email: string | null };
}

/** One row per payment to thank for: a redelivered event can never become a second letter. */
class LetterStore {
  /** Shared with the notices, which live in the same file. */
  readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // A letter acknowledged with 2xx must survive a crash: sync every commit.
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS letters (
        webhook_id      TEXT PRIMARY KEY,
        payment_id      TEXT NOT NULL UNIQUE,
        guest_id        TEXT NOT NULL,
        guest_name      TEXT NOT NULL,
        email           TEXT,
        amount          INTEGER NOT NULL,
        currency        TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending', -- pending | sent | skipped | failed
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        received_at     INTEGER NOT NULL,
        finished_at     INTEGER
      );
      CREATE INDEX IF NOT EXISTS letters_due ON letters (status, next_attempt_at);
    `);
  }

  /** Stores a new letter; false when this webhook-id or payment was already received. */
  add(webhookId: string, event: PaymentReceived): boolean {
    const now = Date.now();
    const { payment, guest } = event;
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO letters (webhook_id, payment_id, guest_id, guest_name, email, amount, currency, next_attempt_at, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(webhookId, payment.paymentId, guest.id, guest.name, guest.email, payment.amount, payment.currency, now, now);
    return result.changes === 1;
  }

  due(now: number, limit: number): Letter[] {
    return this.db
      .prepare(
        `SELECT webhook_id AS webhookId, payment_id AS paymentId, guest_id AS guestId, guest_name AS guestName, email,
                amount, currency, attempts, received_at AS receivedAt
         FROM letters WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
      )
      .all(now, limit) as Letter[];
  }

  nextDueAt(): number | undefined {
    const row = this.db.prepare(`SELECT MIN(next_attempt_at) AS at FROM letters WHERE status = 'pending'`).get() as {
      at: number | null;
    };
    return row.at ?? undefined;
  }

  /** Letters per status; a status with no letters has no key. */
  counts(): Partial<Record<string, number>> {
    const rows = this.db.prepare(`SELECT status, COUNT(*) AS n FROM letters GROUP BY status`).all() as {
      status: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  finish(webhookId: string, status: 'sent' | 'skipped' | 'failed', note: string | null): void {
    this.db
      .prepare(`UPDATE letters SET status = ?, attempts = attempts + 1, last_error = ?, finished_at = ? WHERE webhook_id = ?`)
      .run(status, note, Date.now(), webhookId);
  }

  retryLater(webhookId: string, at: number, error: string): void {
    this.db
      .prepare(`UPDATE letters SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE webhook_id = ?`)
      .run(at, error, webhookId);
  }

  close(): void {
    this.db.close();
  }
}

class RetryLater extends Error {}

interface Notice {
  webhookId: string;
  guestName: string;
  email: string;
  tableLabel: string | null;
  holdUntil: string;
  message: string | null;
  attempts: number;
  receivedAt: number;
}

interface GuestNotified {
  guest: { id: string; name: string; email: string | null };
  table: { label: string } | null;
  holdUntil: string;
  message: string | null;
}

/** "Your table is ready" letters, one per `webhook-id`, beside the receipts in the same file. */
class NoticeStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS notices (
        webhook_id      TEXT PRIMARY KEY,
        guest_name      TEXT NOT NULL,
        email           TEXT NOT NULL,
        table_label     TEXT,
        hold_until      TEXT NOT NULL,
        message         TEXT,
        status          TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        received_at     INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS notices_due ON notices (status, next_attempt_at);
    `);
  }

  add(webhookId: string, event: GuestNotified, email: string): boolean {
    const now = Date.now();
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO notices (webhook_id, guest_name, email, table_label, hold_until, message, next_attempt_at, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(webhookId, event.guest.name, email, event.table?.label ?? null, event.holdUntil, event.message, now, now).changes ===
      1
    );
  }

  due(now: number, limit: number): Notice[] {
    return this.db
      .prepare(
        `SELECT webhook_id AS webhookId, guest_name AS guestName, email, table_label AS tableLabel, hold_until AS holdUntil,
                message, attempts, received_at AS receivedAt
         FROM notices WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
      )
      .all(now, limit) as Notice[];
  }

  nextDueAt(): number | undefined {
    const row = this.db.prepare(`SELECT MIN(next_attempt_at) AS at FROM notices WHERE status = 'pending'`).get() as {
      at: number | null;
    };
    return row.at ?? undefined;
  }

  finish(webhookId: string, status: 'sent' | 'failed', note: string | null): void {
    this.db
      .prepare(`UPDATE notices SET status = ?, attempts = attempts + 1, last_error = ? WHERE webhook_id = ?`)
      .run(status, note, webhookId);
  }

  retryLater(webhookId: string, at: number, error: string): void {
    this.db
      .prepare(`UPDATE notices SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE webhook_id = ?`)
      .run(at, error, webhookId);
  }
}

/** A notice about a hold of minutes is worth sending only for a few minutes. */
const NOTICE_GIVE_UP_AFTER_MS = 10 * 60 * 1000;

/** Sends due notices; a notice is sent once the mail server takes it, retried while it is away. */
class NoticeWorker {
  private readonly jobs: JobPump<Notice>;

  constructor(private readonly store: NoticeStore) {
    this.jobs = new JobPump(
      store,
      CONCURRENCY,
      (notice) => this.attempt(notice),
      (notice, error) => log(`notice ${notice.webhookId} could not be saved: ${describeError(error)}`),
    );
  }

  pump(): void {
    this.jobs.pump();
  }

  stop(): Promise<void> {
    return this.jobs.stop();
  }

  private async attempt(notice: Notice): Promise<void> {
    const minutes = Math.max(1, Math.round((Date.parse(notice.holdUntil) - notice.receivedAt) / 60_000));
    const table = notice.tableLabel ? ` ${notice.tableLabel}` : '';
    try {
      await transport.sendMail({
        from: mailFrom,
        to: { name: notice.guestName, address: notice.email },
        subject: `Your table is ready, ${notice.guestName}`,
        messageId: `<notice-${createHash('sha256').update(notice.webhookId).digest('hex').slice(0, 32)}@mailer.maitred.localhost>`,
        text: [
          `Dear ${notice.guestName},`,
          '',
          `your table${table} is ready. We hold it for you for ${minutes} minutes.`,
          ...(notice.message ? ['', notice.message] : []),
          '',
          'Maitred',
        ].join('\n'),
      });
      this.store.finish(notice.webhookId, 'sent', null);
      log(`told ${notice.guestName} <${notice.email}> their table is ready`);
      return;
    } catch (thrown) {
      const error = describeError(thrown);
      const code = (thrown as { responseCode?: unknown }).responseCode;
      if ((typeof code === 'number' && code >= 500) || Date.now() - notice.receivedAt > NOTICE_GIVE_UP_AFTER_MS) {
        this.store.finish(notice.webhookId, 'failed', error);
        log(`gave up on the table-ready notice for ${notice.guestName}: ${error}`);
        return;
      }
      const delay = backoffMs(notice.attempts, BACKOFF);
      this.store.retryLater(notice.webhookId, Date.now() + delay, error);
      log(`table-ready notice for ${notice.guestName} not sent (${error}); retrying in ${Math.round(delay)} ms`);
    }
  }
}

function isGuestNotified(value: unknown): value is GuestNotified {
  if (typeof value !== 'object' || value === null) return false;
  const { guest, holdUntil } = value as Record<string, unknown>;
  return isGuest(guest) && typeof holdUntil === 'string';
}

/** "€42.50" from 4250 EUR; the currency's own number of minor digits. */
function formatAmount(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
}

/** The same for every attempt at one payment's letter. */
function messageId(paymentId: string): string {
  return `<payment-${createHash('sha256').update(paymentId).digest('hex').slice(0, 32)}@mailer.maitred.localhost>`;
}

/** The guest's address: from the event, else from Maitred with the staff key; null when there is none. */
async function addressOf(letter: Letter): Promise<string | null> {
  if (letter.email) return letter.email;
  if (!api) return null;
  let response;
  try {
    response = await api.request<{ email: string | null }>('GET', `/api/guests/${encodeURIComponent(letter.guestId)}`);
  } catch (error) {
    throw new RetryLater(`looking up the guest: ${describeError(error)}`);
  }
  if (response.status === 404) return null;
  if (response.status !== 200) throw new RetryLater(`looking up the guest: ${errorMessage(response)}`);
  return response.body.email;
}

async function send(letter: Letter, to: string): Promise<void> {
  const total = formatAmount(letter.amount, letter.currency);
  await transport.sendMail({
    from: mailFrom,
    to: { name: letter.guestName, address: to },
    subject: `Thank you for dining with us, ${letter.guestName}`,
    messageId: messageId(letter.paymentId),
    text: [
      `Dear ${letter.guestName},`,
      '',
      `thank you for your visit. We received your payment of ${total}.`,
      '',
      `Payment reference: ${letter.paymentId}`,
      '',
      'We hope to welcome you again soon.',
      'Maitred',
    ].join('\n'),
  });
}

/** Sends due letters, a few at a time, and wakes at once when one arrives. */
class Worker {
  private readonly jobs: JobPump<Letter>;

  constructor(private readonly store: LetterStore) {
    this.jobs = new JobPump(
      store,
      CONCURRENCY,
      (letter) => this.attempt(letter),
      (letter, error) => log(`letter ${letter.webhookId} could not be saved: ${describeError(error)}`),
    );
  }

  /** Looks for due letters now (after a webhook stored one, or a call finished). */
  pump(): void {
    this.jobs.pump();
  }

  stop(): Promise<void> {
    return this.jobs.stop();
  }

  private async attempt(letter: Letter): Promise<void> {
    let error: string;
    try {
      const to = await addressOf(letter);
      if (!to) {
        this.store.finish(letter.webhookId, 'skipped', 'no email address');
        log(`no email address for ${letter.guestName} (${letter.guestId}); payment ${letter.paymentId} not thanked`);
        return;
      }
      await send(letter, to);
      this.store.finish(letter.webhookId, 'sent', null);
      log(
        `thanked ${letter.guestName} <${to}> for payment ${letter.paymentId} (${formatAmount(letter.amount, letter.currency)})`,
      );
      return;
    } catch (thrown) {
      error = describeError(thrown);
      const code = (thrown as { responseCode?: unknown }).responseCode;
      // 5xx from the mail server is a permanent refusal (a bad address); 4xx and network errors pass.
      if (typeof code === 'number' && code >= 500) {
        this.store.finish(letter.webhookId, 'failed', error);
        log(`mail server refused the letter for ${letter.paymentId}: ${error}`);
        return;
      }
    }
    if (Date.now() - letter.receivedAt > GIVE_UP_AFTER_MS) {
      this.store.finish(letter.webhookId, 'failed', `gave up after ${letter.attempts + 1} attempts: ${error}`);
      log(`gave up on the letter for ${letter.paymentId}: ${error}`);
      return;
    }
    const delay = backoffMs(letter.attempts, BACKOFF);
    this.store.retryLater(letter.webhookId, Date.now() + delay, error);
    log(`letter for ${letter.paymentId} not sent (${error}); retrying in ${Math.round(delay)} ms`);
  }
}

function isPaymentReceived(value: unknown): value is PaymentReceived {
  if (typeof value !== 'object' || value === null) return false;
  const { payment, guest } = value as Record<string, unknown>;
  if (typeof payment !== 'object' || payment === null || !isGuest(guest)) return false;
  const { paymentId, amount, currency } = payment as Record<string, unknown>;
  return typeof paymentId === 'string' && Number.isInteger(amount) && typeof currency === 'string';
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  store: LetterStore,
  worker: Worker,
  notices: { store: NoticeStore; worker: NoticeWorker },
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method === 'GET' && path === '/health') {
    sendJson(response, 200, { status: 'ok', letters: store.counts() });
    return;
  }
  if (path !== '/webhook') {
    sendJson(response, 404, { error: 'not found' });
    return;
  }
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: 'use POST' });
    return;
  }

  const raw = await readRawBody(request);
  const webhook = verifier.verify(raw, request.headers);
  if (!webhook) {
    sendJson(response, 401, { error: 'invalid signature' });
    return;
  }

  const { id, event } = webhook;
  if (event.type === 'guest.notified') {
    if (!isGuestNotified(event.data)) {
      sendJson(response, 400, { error: 'guest.notified without a guest and holdUntil' });
      return;
    }
    // Only with marketing consent does the event carry the address, and only then is a letter welcome.
    const email = event.data.guest.email;
    if (!email) {
      sendJson(response, 200, { received: true, ignored: true });
      return;
    }
    const isNew = notices.store.add(id, event.data, email);
    sendJson(response, 200, { received: true, duplicate: !isNew });
    if (isNew) notices.worker.pump();
    return;
  }
  if (event.type !== 'payment.received') {
    sendJson(response, 200, { received: true, ignored: true });
    return;
  }
  if (!isPaymentReceived(event.data)) {
    sendJson(response, 400, { error: 'payment.received without a payment and guest' });
    return;
  }

  // Durable before acknowledging: once Maitred sees 2xx it will not send this event again.
  const isNew = store.add(id, event.data);
  sendJson(response, 200, { received: true, duplicate: !isNew });
  if (isNew) worker.pump();
  else log(`redelivery of ${id} ignored (letter already queued or sent)`);
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const store = new LetterStore(join(dataDir, 'mailer.sqlite'));
  const worker = new Worker(store);
  const noticeStore = new NoticeStore(store.db);
  const notices = { store: noticeStore, worker: new NoticeWorker(noticeStore) };
  const server = await listenJson((request, response) => handle(request, response, store, worker, notices), port, host, log);
  const address = server.address() as AddressInfo;
  const pending = store.counts().pending ?? 0;
  log(
    `listening on http://${host}:${address.port}/webhook (mail via ${smtpHost}:${smtpPort}; ${pending} letter(s) to send in ${dataDir})`,
  );
  worker.pump();
  notices.worker.pump();

  onShutdown('mailer', async () => {
    await closeServer(server);
    await worker.stop();
    await notices.worker.stop();
    transport.close();
    store.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`mailer: failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
