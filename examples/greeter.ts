/**
 * Greeter: a third-party webhook subscriber. When a guest checks in, it welcomes them by name with
 * a free-drink offer, posted back through Maitred's API, which shows it live on the guest's page.
 *
 *   receive `guest.checked_in` → verify the signature (401 if bad) → store the job durably, keyed
 *   by `webhook-id` → answer 200 at once → a worker calls POST /api/guests/:id/offers, retrying
 *   with backoff; `Idempotency-Key: greeter-<webhook-id>` makes every retry safe.
 *
 * A redelivery of the same event (Maitred's retry, a manual retry) finds the job already stored
 * and creates nothing. Jobs not yet done survive a restart.
 *
 * Environment:
 *   MAITRED_URL       Maitred's base URL (default http://localhost:3000)
 *   MAITRED_API_KEY   an API key with the `offers` scope (required)
 *   WEBHOOK_SECRET    the endpoint's signing secret, `whsec_…` (required;
 *                     GET /api/webhooks/endpoints/:id/secret)
 *   PORT              port for `POST /webhook` (default 4001; 0 picks a free one)
 *   HOST              address to listen on (default 127.0.0.1)
 *   DATA_DIR          where greeter.sqlite keeps the jobs (default ./data/greeter)
 *
 * Prints `greeter: listening on http://<host>:<port>/webhook` when ready; SIGINT/SIGTERM stop it
 * cleanly (exit 0) after the API calls in flight finish.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { backoffMs } from './lib/backoff';
import { errorMessage, MaitredApi, retryAfterMs } from './lib/maitred-api';
import { closeServer, describeError, intEnv, logger, maitredUrl, onShutdown, optionalEnv, requiredEnv } from './lib/runtime';
import { isGuest, readRawBody, sendJson, WebhookVerifier, listenJson } from './lib/webhooks';
import { JobPump } from './lib/job-pump';

const log = logger('greeter');
const api = new MaitredApi(maitredUrl(), requiredEnv('MAITRED_API_KEY'));
const verifier = new WebhookVerifier(requiredEnv('WEBHOOK_SECRET'));
const port = intEnv('PORT', 4001, 0, 65535);
const host = optionalEnv('HOST', '127.0.0.1');
const dataDir = resolve(optionalEnv('DATA_DIR', join('data', 'greeter')));

/** API calls in flight at once. */
const CONCURRENCY = 4;
/** Retry backoff: 0.5 s doubling to at most a minute, ±20 % jitter. */
const BACKOFF = { baseMs: 500, maxMs: 60_000, jitter: 0.2 };
/**
 * Maitred keeps an Idempotency-Key for 24 h. A retry after that could create a second offer if an
 * earlier attempt did succeed unseen, so the greeter gives up before the window closes.
 */
const GIVE_UP_AFTER_MS = 23 * 60 * 60 * 1000;

interface Job {
  webhookId: string;
  guestId: string;
  guestName: string;
  attempts: number;
  receivedAt: number;
}

/** The job table: one row per `webhook-id`, so a redelivered event can never become a second job. */
class JobStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // A job acknowledged with 2xx must survive a crash or power loss: sync every commit.
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        webhook_id      TEXT PRIMARY KEY,
        guest_id        TEXT NOT NULL,
        guest_name      TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending', -- pending | done | failed
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,                -- epoch ms
        last_error      TEXT,
        offer_id        TEXT,
        received_at     INTEGER NOT NULL,
        finished_at     INTEGER
      );
      CREATE INDEX IF NOT EXISTS jobs_due ON jobs (status, next_attempt_at);
    `);
  }

  /** Stores a new job; false when this webhook-id was already received (a redelivery). */
  add(webhookId: string, guestId: string, guestName: string): boolean {
    const now = Date.now();
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO jobs (webhook_id, guest_id, guest_name, next_attempt_at, received_at) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(webhookId, guestId, guestName, now, now);
    return result.changes === 1;
  }

  due(now: number, limit: number): Job[] {
    return this.db
      .prepare(
        `SELECT webhook_id AS webhookId, guest_id AS guestId, guest_name AS guestName, attempts, received_at AS receivedAt
         FROM jobs WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
      )
      .all(now, limit) as Job[];
  }

  nextDueAt(): number | undefined {
    const row = this.db.prepare(`SELECT MIN(next_attempt_at) AS at FROM jobs WHERE status = 'pending'`).get() as {
      at: number | null;
    };
    return row.at ?? undefined;
  }

  pendingCount(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'pending'`).get() as { n: number }).n;
  }

  done(webhookId: string, offerId: string): void {
    this.db
      .prepare(
        `UPDATE jobs SET status = 'done', offer_id = ?, attempts = attempts + 1, last_error = NULL, finished_at = ? WHERE webhook_id = ?`,
      )
      .run(offerId, Date.now(), webhookId);
  }

  failed(webhookId: string, error: string): void {
    this.db
      .prepare(`UPDATE jobs SET status = 'failed', attempts = attempts + 1, last_error = ?, finished_at = ? WHERE webhook_id = ?`)
      .run(error, Date.now(), webhookId);
  }

  retryLater(webhookId: string, at: number, error: string): void {
    this.db
      .prepare(`UPDATE jobs SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE webhook_id = ?`)
      .run(at, error, webhookId);
  }

  close(): void {
    this.db.close();
  }
}

/** Calls the offers API for due jobs, a few at a time, and wakes at once when a job arrives. */
class Worker {
  private readonly jobs: JobPump<Job>;

  constructor(private readonly store: JobStore) {
    this.jobs = new JobPump(
      store,
      CONCURRENCY,
      (job) => this.attempt(job),
      (job, error) => log(`job ${job.webhookId} could not be saved: ${describeError(error)}`),
    );
  }

  /** Looks for due jobs now (after a webhook stored one, or a call finished). */
  pump(): void {
    this.jobs.pump();
  }

  stop(): Promise<void> {
    return this.jobs.stop();
  }

  private async attempt(job: Job): Promise<void> {
    const title = `Welcome, ${job.guestName}! Your first drink is on us.`;
    let error: string;
    let waitAtLeast = 0;
    try {
      const response = await api.request<{ id: string }>('POST', `/api/guests/${encodeURIComponent(job.guestId)}/offers`, {
        body: { title, description: 'Show this to your server when you are seated.' },
        headers: { 'Idempotency-Key': `greeter-${job.webhookId}` },
      });
      if (response.status >= 200 && response.status < 300) {
        this.store.done(job.webhookId, response.body.id);
        log(`greeted ${job.guestName} (${job.guestId}) with offer ${response.body.id}`);
        return;
      }
      error = errorMessage(response);
      if (isPermanent(response.status)) {
        this.store.failed(job.webhookId, error);
        log(`gave up on ${job.guestId}: ${error}`);
        return;
      }
      waitAtLeast = retryAfterMs(response.headers) ?? 0;
    } catch (thrown) {
      // Network failure or timeout: the offer may or may not exist; the Idempotency-Key settles it.
      error = describeError(thrown);
    }
    if (Date.now() - job.receivedAt > GIVE_UP_AFTER_MS) {
      this.store.failed(job.webhookId, `gave up after ${job.attempts + 1} attempts: ${error}`);
      log(`gave up on ${job.guestId} after ${job.attempts + 1} attempts: ${error}`);
      return;
    }
    const backoff = backoffMs(job.attempts, BACKOFF);
    const delay = Math.max(backoff, waitAtLeast);
    this.store.retryLater(job.webhookId, Date.now() + delay, error);
    log(`offer for ${job.guestId} failed (${error}); retrying in ${Math.round(delay)} ms`);
  }

  /** Stops taking jobs and waits for the calls in flight; what is left stays pending on disk. */
}

/**
 * Client errors that a retry cannot fix (the guest is gone, the request is invalid). 401/403 are
 * retried: a revoked or wrong key is an operator's mistake, fixed by restarting with a good key.
 */
function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 403, 408, 409, 425, 429].includes(status);
}

async function handle(request: IncomingMessage, response: ServerResponse, store: JobStore, worker: Worker): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method === 'GET' && path === '/health') {
    sendJson(response, 200, { status: 'ok', pendingJobs: store.pendingCount() });
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
  if (event.type !== 'guest.checked_in') {
    sendJson(response, 200, { received: true, ignored: true });
    return;
  }
  const guest = (event.data as { guest?: unknown } | null)?.guest;
  if (!isGuest(guest)) {
    sendJson(response, 400, { error: 'guest.checked_in without a guest' });
    return;
  }

  // Durable before acknowledging: once Maitred sees 2xx it will not send this event again.
  const isNew = store.add(id, guest.id, guest.name);
  sendJson(response, 200, { received: true, duplicate: !isNew });
  if (isNew) worker.pump();
  else log(`redelivery of ${id} ignored (already received)`);
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const store = new JobStore(join(dataDir, 'greeter.sqlite'));
  const worker = new Worker(store);
  const server = await listenJson((request, response) => handle(request, response, store, worker), port, host, log);
  const address = server.address() as AddressInfo;
  const pending = store.pendingCount();
  log(`listening on http://${host}:${address.port}/webhook (Maitred ${api.baseUrl}; ${pending} pending job(s) in ${dataDir})`);
  worker.pump();

  onShutdown('greeter', async () => {
    await closeServer(server);
    await worker.stop();
    store.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`greeter: failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
