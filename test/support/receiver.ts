import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { waitFor } from './wait';

/**
 * What the suites read from a webhook's `data`. `guest` and `table` are there only on the events about one
 * (a test filters on `payload.type` first, or reads them through `guestIdOf`); everything else is `unknown`.
 */
export interface WebhookData {
  guest: { id: string; name: string; [field: string]: unknown };
  table?: { id: string; [field: string]: unknown };
  payment?: { paymentId: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  headers: IncomingMessage['headers'];
  body: string;
  payload: { type: string; timestamp: string; data: WebhookData };
  /** Verified with the `standardwebhooks` library against the receiver's secret(s). */
  verified: boolean;
  /** Verified with the `svix` library too. */
  verifiedBySvix: boolean;
  /** A `v1a` (Ed25519) signature verified with node:crypto against one of the receiver's `publicKeys`. */
  verifiedEd25519: boolean;
  receivedAt: number;
}

export type Responder = (request: ReceivedWebhook, res: ServerResponse) => void | Promise<void>;

/**
 * A real local webhook receiver on 127.0.0.1 that verifies every request's signature with
 * both the `standardwebhooks` and `svix` libraries, records it, and answers as told.
 */
export class Receiver {
  readonly received: ReceivedWebhook[] = [];
  secrets: string[] = [];
  /** `whpk_…` Ed25519 public keys, for endpoints with `signing: "ed25519"`. */
  publicKeys: string[] = [];
  respond: Responder = (_req, res) => {
    res.writeHead(204).end();
  };
  private server: Server | undefined;
  private waiters: { predicate: (r: ReceivedWebhook) => boolean; resolve: (r: ReceivedWebhook) => void }[] = [];
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  get hostPort(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = {
          'webhook-id': String(req.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        };
        const verified = this.secrets.some((secret) => {
          try {
            new Webhook(secret).verify(body, headers);
            return true;
          } catch {
            return false;
          }
        });
        const verifiedBySvix = this.secrets.some((secret) => {
          try {
            new SvixWebhook(secret).verify(body, {
              'svix-id': headers['webhook-id'],
              'svix-timestamp': headers['webhook-timestamp'],
              'svix-signature': headers['webhook-signature'],
            });
            return true;
          } catch {
            return false;
          }
        });
        const verifiedEd25519 = this.publicKeys.some((publicKey) =>
          verifiesEd25519(publicKey, headers['webhook-id'], headers['webhook-timestamp'], body, headers['webhook-signature']),
        );
        // A body that is not a webhook envelope is recorded as type 'unparseable' (data null), so the test reading it fails
        // on the type.
        let payload: ReceivedWebhook['payload'] = { type: 'unparseable', timestamp: '', data: null as unknown as WebhookData };
        try {
          const parsed: unknown = JSON.parse(body);
          if (isPayload(parsed)) payload = parsed;
        } catch {
          // Not JSON: stays 'unparseable'.
        }
        const record: ReceivedWebhook = {
          id: headers['webhook-id'],
          timestamp: headers['webhook-timestamp'],
          signature: headers['webhook-signature'],
          headers: req.headers,
          body,
          payload,
          verified,
          verifiedBySvix,
          verifiedEd25519,
          receivedAt: Date.now(),
        };
        this.received.push(record);
        for (const waiter of [...this.waiters]) {
          if (waiter.predicate(record)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(record);
          }
        }
        void Promise.resolve(this.respond(record, res)).catch(() => res.destroy());
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  waitFor(predicate: (r: ReceivedWebhook) => boolean = () => true, timeoutMs = 10_000): Promise<ReceivedWebhook> {
    const existing = this.received.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver: timed out after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  async waitForCount(count: number, predicate: (r: ReceivedWebhook) => boolean = () => true, timeoutMs = 10_000) {
    return waitFor(
      () => {
        const matching = this.received.filter(predicate);
        return matching.length >= count && matching;
      },
      { timeoutMs, label: `${count} matching webhooks` },
    );
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * A Standard Webhooks `v1a` check with node:crypto alone, as README's verifier does: any space-separated
 * `v1a,<base64>` signature over "<webhook-id>.<webhook-timestamp>.<body>" that the `whpk_` key verifies.
 */
export function verifiesEd25519(publicKey: string, msgId: string, timestamp: string, body: string, header: string): boolean {
  const spki = Buffer.concat([
    Buffer.from('302a300506032b6570032100', 'hex'),
    Buffer.from(publicKey.replace(/^whpk_/, ''), 'base64'),
  ]);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const signed = Buffer.from(`${msgId}.${timestamp}.${body}`, 'utf8');
  return header
    .split(' ')
    .filter((part) => part.startsWith('v1a,'))
    .some((part) => verifySignature(null, signed, key, Buffer.from(part.slice('v1a,'.length), 'base64')));
}

/** The envelope is checked; `data` is the event's, checked by the test that reads it. */
function isPayload(value: unknown): value is ReceivedWebhook['payload'] {
  if (typeof value !== 'object' || value === null) return false;
  const { type, timestamp } = value as Record<string, unknown>;
  return typeof type === 'string' && typeof timestamp === 'string' && 'data' in value;
}

/** The `data.guest.id` of a webhook about a guest; undefined for any other event. */
export function guestIdOf(request: ReceivedWebhook): string | undefined {
  const data: unknown = request.payload.data;
  if (typeof data !== 'object' || data === null || !('guest' in data)) return undefined;
  const guest: unknown = data.guest;
  if (typeof guest !== 'object' || guest === null || !('id' in guest)) return undefined;
  return typeof guest.id === 'string' ? guest.id : undefined;
}

/** `waitFor` with positional arguments, as the older suites call it. */
export function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  label = 'condition',
): Promise<T> {
  return waitFor(check, { timeoutMs, label });
}
