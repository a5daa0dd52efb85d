import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { describeError } from './runtime';

/** A Maitred webhook body: `{ type, timestamp, data }` (the README's "Receiving Maitred webhooks"). */
export interface MaitredEvent<T = unknown> {
  type: string;
  timestamp: string;
  data: T;
}

/** The guest as it appears in event data: email and phone are null unless marketingOptIn. */
export interface GuestSnapshot {
  id: string;
  name: string;
  partySize: number;
  email: string | null;
  phone: string | null;
  marketingOptIn: boolean;
  status: 'waiting' | 'seated' | 'left';
  checkedInAt: string;
}

export interface VerifiedWebhook {
  /** `webhook-id`: the event id, the same on every retry. The key to de-duplicate on. */
  id: string;
  event: MaitredEvent;
}

/**
 * Checks a request's Standard Webhooks signature with the `standardwebhooks` library, over the
 * exact bytes received (re-serialized JSON would not match), and its timestamp (at most 5 min off).
 */
export class WebhookVerifier {
  private readonly webhook: Webhook;

  constructor(secret: string) {
    // Fails at start, not on the first request, when the secret is not `whsec_…` base64.
    this.webhook = new Webhook(secret);
  }

  /** The verified webhook, or undefined when the signature, timestamp or body is not valid. */
  verify(rawBody: Buffer, headers: IncomingHttpHeaders): VerifiedWebhook | undefined {
    const id = header(headers, 'webhook-id');
    const wanted = {
      'webhook-id': id,
      'webhook-timestamp': header(headers, 'webhook-timestamp'),
      'webhook-signature': header(headers, 'webhook-signature'),
    };
    let payload: unknown;
    try {
      payload = this.webhook.verify(rawBody, wanted);
    } catch {
      return undefined;
    }
    if (!isEvent(payload)) return undefined;
    return { id, event: payload };
  }
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

function isEvent(value: unknown): value is MaitredEvent {
  if (typeof value !== 'object' || value === null) return false;
  const { type, timestamp } = value as Record<string, unknown>;
  return typeof type === 'string' && typeof timestamp === 'string' && !Number.isNaN(Date.parse(timestamp));
}

export function isGuest(value: unknown): value is GuestSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const guest = value as Record<string, unknown>;
  return typeof guest.id === 'string' && typeof guest.name === 'string' && typeof guest.marketingOptIn === 'boolean';
}

export class BodyTooLargeError extends Error {}

/** The request body as raw bytes, refusing more than `limit` bytes. */
export function readRawBody(request: IncomingMessage, limit = 256 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`body over ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * An HTTP server for one of the example programs, listening once this resolves: a body over the
 * limit is 413, any other failure is logged and answered 500 (when nothing was sent yet).
 */
export async function listenJson(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  port: number,
  host: string,
  log: (message: string) => void,
): Promise<Server> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { error: error.message });
        return;
      }
      log(`request failed: ${describeError(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, done);
  });
  return server;
}
