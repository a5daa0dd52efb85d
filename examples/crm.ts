/**
 * CRM: a third-party webhook subscriber that keeps a contact list in sync with Maitred's guests.
 *
 *   receive `guest.checked_in` / `guest.updated` / `guest.erased` → verify the signature (401 if bad) → upsert the
 *   contact keyed by guest id in its own SQLite file → answer 200.
 *
 * - Consent: email and phone are kept only while the guest's `marketingOptIn` is true; when it
 *   turns false they are erased.
 * - Erasure: `guest.erased` deletes the contact and keeps only the guest id as a tombstone, so a
 *   late retry of an older event cannot bring the contact back.
 * - Order: webhooks can arrive out of order (a retry of an older event after a newer one). Each
 *   contact remembers the timestamp (and id) of the event it was last written from; an older
 *   event is acknowledged and ignored. A redelivery of the same event rewrites the same values.
 *
 * Pages: `GET /` a small read-only HTML table, `GET /contacts` the same as JSON.
 *
 * Environment:
 *   WEBHOOK_SECRET    the endpoint's signing secret, `whsec_…` (required)
 *   PORT              port for `POST /webhook` and the pages (default 4002; 0 picks a free one)
 *   HOST              address to listen on (default 127.0.0.1)
 *   DATA_DIR          where crm.sqlite keeps the contacts (default ./data/crm)
 *
 * It never calls Maitred: everything it knows arrives by webhook. Prints
 * `crm: listening on http://<host>:<port>/webhook` when ready; SIGINT/SIGTERM stop it (exit 0).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { closeServer, describeError, intEnv, logger, onShutdown, optionalEnv, requiredEnv } from './lib/runtime';
import { type GuestSnapshot, isGuest, readRawBody, sendJson, WebhookVerifier, listenJson } from './lib/webhooks';

const log = logger('crm');
const verifier = new WebhookVerifier(requiredEnv('WEBHOOK_SECRET'));
const port = intEnv('PORT', 4002, 0, 65535);
const host = optionalEnv('HOST', '127.0.0.1');
const dataDir = resolve(optionalEnv('DATA_DIR', join('data', 'crm')));

interface Contact {
  guestId: string;
  name: string;
  email: string | null;
  phone: string | null;
  marketingOptIn: boolean;
  partySize: number | null;
  status: string | null;
  checkedInAt: string | null;
  /** The event this contact was last written from: newer events only may overwrite it. */
  lastEventId: string;
  lastEventAt: string;
  syncedAt: string;
}

interface ContactRow {
  guest_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  marketing_opt_in: number;
  party_size: number | null;
  status: string | null;
  checked_in_at: string | null;
  last_event_id: string;
  last_event_ms: number;
  synced_at: string;
}

class ContactStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS contacts (
        guest_id         TEXT PRIMARY KEY,
        name             TEXT NOT NULL,
        email            TEXT,
        phone            TEXT,
        marketing_opt_in INTEGER NOT NULL,
        party_size       INTEGER,
        status           TEXT,
        checked_in_at    TEXT,
        last_event_id    TEXT NOT NULL,
        last_event_ms    INTEGER NOT NULL,
        synced_at        TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS erased_guests (guest_id TEXT PRIMARY KEY);
    `);
    // Deleted contacts are zeroed in the file, not left in its free pages.
    this.db.pragma('secure_delete = ON');
  }

  /** guest.erased: the contact goes, and the id is remembered so no older event re-creates it. */
  erase(guestId: string): boolean {
    const erase = this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO erased_guests (guest_id) VALUES (?)').run(guestId);
      return this.db.prepare('DELETE FROM contacts WHERE guest_id = ?').run(guestId).changes === 1;
    });
    const deleted = erase();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return deleted;
  }

  /**
   * Writes the guest unless the stored contact came from a later event. Event ids are
   * time-sortable, so they break ties between events of the same millisecond.
   * Returns false when the event was older and ignored.
   */
  upsert(guest: GuestSnapshot, eventId: string, eventTimestamp: string): boolean {
    if (this.db.prepare('SELECT 1 FROM erased_guests WHERE guest_id = ?').get(guest.id) !== undefined) return false;
    const optedIn = guest.marketingOptIn;
    const result = this.db
      .prepare(
        `INSERT INTO contacts (guest_id, name, email, phone, marketing_opt_in, party_size, status, checked_in_at,
                               last_event_id, last_event_ms, synced_at)
         VALUES (@guestId, @name, @email, @phone, @optIn, @partySize, @status, @checkedInAt, @eventId, @eventMs, @now)
         ON CONFLICT (guest_id) DO UPDATE SET
           name = excluded.name, email = excluded.email, phone = excluded.phone,
           marketing_opt_in = excluded.marketing_opt_in, party_size = excluded.party_size,
           status = excluded.status, checked_in_at = excluded.checked_in_at,
           last_event_id = excluded.last_event_id, last_event_ms = excluded.last_event_ms, synced_at = excluded.synced_at
         WHERE excluded.last_event_ms > contacts.last_event_ms
            OR (excluded.last_event_ms = contacts.last_event_ms AND excluded.last_event_id >= contacts.last_event_id)`,
      )
      .run({
        guestId: guest.id,
        name: guest.name,
        // Consent first: without opt-in, no contact details are kept, whatever the payload holds.
        email: optedIn ? guest.email : null,
        phone: optedIn ? guest.phone : null,
        optIn: optedIn ? 1 : 0,
        partySize: typeof guest.partySize === 'number' ? guest.partySize : null,
        status: typeof guest.status === 'string' ? guest.status : null,
        checkedInAt: typeof guest.checkedInAt === 'string' ? guest.checkedInAt : null,
        eventId,
        eventMs: Date.parse(eventTimestamp),
        now: new Date().toISOString(),
      });
    return result.changes === 1;
  }

  list(): Contact[] {
    const rows = this.db.prepare(`SELECT * FROM contacts ORDER BY guest_id`).all() as ContactRow[];
    return rows.map((row) => ({
      guestId: row.guest_id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      marketingOptIn: row.marketing_opt_in === 1,
      partySize: row.party_size,
      status: row.status,
      checkedInAt: row.checked_in_at,
      lastEventId: row.last_event_id,
      lastEventAt: new Date(row.last_event_ms).toISOString(),
      syncedAt: row.synced_at,
    }));
  }

  close(): void {
    this.db.close();
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string | number | null): string => String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

function page(contacts: Contact[]): string {
  const rows = contacts
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.email ?? '—')}</td><td>${escapeHtml(c.phone ?? '—')}</td>` +
        `<td>${c.marketingOptIn ? 'yes' : 'no'}</td><td>${escapeHtml(c.partySize)}</td><td>${escapeHtml(c.status)}</td>` +
        `<td><time>${escapeHtml(c.lastEventAt)}</time></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<title>CRM contacts</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.35rem .8rem;text-align:left}</style>
</head><body>
<h1>CRM contacts</h1>
<p>Kept in sync by Maitred's signed webhooks (<code>guest.checked_in</code>, <code>guest.updated</code>; <code>guest.erased</code> deletes the contact).
Email and phone only with marketing consent. This page refreshes every 3 s; JSON at <a href="/contacts">/contacts</a>.</p>
<table><thead><tr><th>Name</th><th>Email</th><th>Phone</th><th>Marketing opt-in</th><th>Party</th><th>Status</th><th>Last event</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7">No contacts yet: check a guest in.</td></tr>'}
</tbody></table>
</body></html>`;
}

async function handle(request: IncomingMessage, response: ServerResponse, store: ContactStore): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method === 'GET' && path === '/') {
    const html = page(store.list());
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    response.end(html);
    return;
  }
  if (request.method === 'GET' && path === '/contacts') {
    sendJson(response, 200, store.list());
    return;
  }
  if (request.method === 'GET' && path === '/health') {
    sendJson(response, 200, { status: 'ok' });
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
  if (event.type === 'guest.erased') {
    const guestId = (event.data as { guestId?: unknown } | null)?.guestId;
    if (typeof guestId !== 'string') {
      sendJson(response, 400, { error: 'guest.erased without a guestId' });
      return;
    }
    const deleted = store.erase(guestId);
    log(`guest.erased: contact ${guestId} ${deleted ? 'deleted' : 'was not kept'}`);
    sendJson(response, 200, { received: true, deleted });
    return;
  }
  if (event.type !== 'guest.checked_in' && event.type !== 'guest.updated') {
    sendJson(response, 200, { received: true, ignored: true });
    return;
  }
  const guest = (event.data as { guest?: unknown } | null)?.guest;
  if (!isGuest(guest)) {
    sendJson(response, 400, { error: `${event.type} without a guest` });
    return;
  }

  const applied = store.upsert(guest, id, event.timestamp);
  log(
    applied
      ? `${event.type}: contact ${guest.id} (${guest.name}) saved`
      : `${event.type} ${id} is older than contact ${guest.id}; ignored`,
  );
  sendJson(response, 200, { received: true, applied });
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const store = new ContactStore(join(dataDir, 'crm.sqlite'));
  const server = await listenJson((request, response) => handle(request, response, store), port, host, log);
  const { port: actualPort } = server.address() as AddressInfo;
  log(`listening on http://${host}:${actualPort}/webhook (contacts page http://${host}:${actualPort}/, data in ${dataDir})`);

  onShutdown('crm', async () => {
    await closeServer(server);
    store.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`crm: failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
