import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { waitFor } from './wait';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  headers: IncomingMessage['headers'];
  body: string;
  payload: { type: string; timestamp: string; data: any };
  /** Verified with the `standardwebhooks` library against the receiver's secret(s). */
  verified: boolean;
  /** Verified with the `svix` library too. */
  verifiedBySvix: boolean;
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
  respond: Responder = (_req, res) => {
    res.writeHead(204).end();
  };
  private server: Server | undefined;
  private waiters: Array<{ predicate: (r: ReceivedWebhook) => boolean; resolve: (r: ReceivedWebhook) => void }> = [];
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
        let payload: ReceivedWebhook['payload'];
        try {
          payload = JSON.parse(body);
        } catch {
          payload = { type: 'unparseable', timestamp: '', data: null };
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

/** `waitFor` with positional arguments, as the older suites call it. */
export function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, label = 'condition'): Promise<T> {
  return waitFor(check, { timeoutMs, label });
}
