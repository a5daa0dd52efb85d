/**
 * Payment gateway simulator: a stand-in for a real card processor, so the demo can take payments.
 *
 * Like a real gateway it has an API to create a charge, and it reports the outcome later with a
 * signed webhook: every charge "succeeds", and the simulator sends a Standard Webhooks signed
 * `payment.succeeded` to Maitred's `POST /api/inbound/payments`, retrying with backoff until Maitred
 * answers 2xx. The `webhook-id` is the same on every retry, so Maitred can de-duplicate.
 *
 * HTTP API (JSON):
 *   POST /charges                 { guestId, amount (minor units), currency (ISO 4217), paymentId? }
 *                                 → 202 { paymentId, status: "pending" }. An `Idempotency-Key` header, or
 *                                 a paymentId that already exists, returns the first charge again
 *                                 (409 if the parameters differ), so a retried request charges once.
 *   GET  /charges                 every charge with its webhook delivery state
 *   GET  /charges/:paymentId      one charge
 *   POST /charges/:paymentId/resend  → 202: sends the same webhook (same webhook-id) once more, like a
 *                                 gateway dashboard's "resend" button; Maitred answers it as a duplicate
 *   GET  /health
 *
 * Command line (no server; delivers the webhook itself and exits 0 once Maitred answered 2xx):
 *   node dist-examples/payment-gateway.js charge <guestId> <amount> <currency> [paymentId]
 *
 * Environment:
 *   PAYMENT_WEBHOOK_SECRET  the signing secret Maitred also has, `whsec_…` (required)
 *   MAITRED_URL             Maitred's base URL (default http://localhost:3000)
 *   PORT                    port of the API (default 4003; 0 picks a free one)
 *   HOST                    address to listen on (default 127.0.0.1)
 *   RETRY_BASE_MS           first retry delay, doubling per attempt, ±20 % (default 1000)
 *   RETRY_MAX_MS            longest delay between attempts (default 60000)
 *   WEBHOOK_TIMEOUT_MS      how long one attempt may take (default 10000)
 *
 * Charges live in memory: webhooks not yet delivered are lost when it stops. Prints
 * `payment-gateway: listening on http://<host>:<port>` when ready; SIGINT/SIGTERM stop it (exit 0).
 */
import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { backoffMs } from './lib/backoff';
import {
  closeServer,
  describeError,
  intEnv,
  logger,
  maitredUrl,
  onShutdown,
  optionalEnv,
  requiredEnv,
  sleep,
} from './lib/runtime';
import { BodyTooLargeError, readRawBody, sendJson, listenJson } from './lib/webhooks';

const log = logger('payment-gateway');
const signer = new Webhook(requiredEnv('PAYMENT_WEBHOOK_SECRET'));
const inboundUrl = `${maitredUrl()}/api/inbound/payments`;
const retryBaseMs = intEnv('RETRY_BASE_MS', 1_000, 1);
const retryMaxMs = intEnv('RETRY_MAX_MS', 60_000, 1);
const attemptTimeoutMs = intEnv('WEBHOOK_TIMEOUT_MS', 10_000, 1);
/** A real gateway stops retrying after days; a day is plenty for a demo. */
const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;

interface ChargeInput {
  guestId: string;
  amount: number;
  currency: string;
  paymentId?: string;
}

interface Delivery {
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

interface Charge {
  paymentId: string;
  /** The webhook's `webhook-id`: one per charge, the same on every retry and resend. */
  webhookId: string;
  guestId: string;
  amount: number;
  currency: string;
  createdAt: string;
  /** The webhook body, fixed once so every attempt sends the same bytes. */
  body: string;
  delivery: Delivery;
}

const charges = new Map<string, Charge>();
const idempotencyKeys = new Map<string, string>();
const stopping = new AbortController();
const inFlight = new Set<Promise<void>>();

function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

function createCharge(input: ChargeInput): Charge {
  const paymentId = input.paymentId ?? randomId('pi');
  const createdAt = new Date().toISOString();
  const data = { paymentId, guestId: input.guestId, amount: input.amount, currency: input.currency };
  const charge: Charge = {
    ...data,
    webhookId: randomId('msg'),
    createdAt,
    body: JSON.stringify({ type: 'payment.succeeded', timestamp: createdAt, data }),
    delivery: { status: 'pending', attempts: 0, lastStatusCode: null, lastError: null, deliveredAt: null },
  };
  charges.set(paymentId, charge);
  return charge;
}

/** One signed POST to Maitred; resolves with the status code, or throws on a network failure or timeout. */
async function attempt(charge: Charge): Promise<number> {
  const timestamp = new Date();
  const signature = signer.sign(charge.webhookId, timestamp, charge.body);
  const response = await fetch(inboundUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'maitred-payment-gateway-simulator',
      'webhook-id': charge.webhookId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body: charge.body,
    signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(attemptTimeoutMs)]),
  });
  const text = await response.text();
  if (!response.ok) charge.delivery.lastError = `http_${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  return response.status;
}

/** Sends the charge's webhook until Maitred answers 2xx, waiting longer after each failure. */
async function deliver(charge: Charge): Promise<boolean> {
  const started = Date.now();
  for (let failures = 0; !stopping.signal.aborted; failures++) {
    charge.delivery.attempts++;
    let outcome: string;
    try {
      const status = await attempt(charge);
      charge.delivery.lastStatusCode = status;
      if (status >= 200 && status < 300) {
        charge.delivery.status = 'delivered';
        charge.delivery.lastError = null;
        charge.delivery.deliveredAt = new Date().toISOString();
        log(`webhook ${charge.webhookId} for ${charge.paymentId} → ${status} (attempt ${charge.delivery.attempts})`);
        return true;
      }
      outcome = charge.delivery.lastError ?? `http_${status}`;
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- it can flip during the await; TS keeps the loop's narrowing.
      if (stopping.signal.aborted) break;
      outcome = describeError(error);
      charge.delivery.lastError = outcome;
    }
    if (Date.now() - started > GIVE_UP_AFTER_MS) {
      charge.delivery.status = 'failed';
      log(
        `gave up on webhook ${charge.webhookId} for ${charge.paymentId} after ${charge.delivery.attempts} attempts: ${outcome}`,
      );
      return false;
    }
    const delay = Math.round(backoffMs(failures, { baseMs: retryBaseMs, maxMs: retryMaxMs, jitter: 0.2 }));
    log(`webhook ${charge.webhookId} for ${charge.paymentId} failed (${outcome}); retrying in ${delay} ms`);
    await sleep(delay, stopping.signal);
  }
  return false;
}

function startDelivery(charge: Charge): void {
  charge.delivery.status = 'pending';
  const run = deliver(charge)
    .then(() => undefined)
    .catch((error: unknown) => log(`delivery of ${charge.webhookId} failed: ${describeError(error)}`));
  inFlight.add(run);
  void run.finally(() => inFlight.delete(run));
}

/** The charge input, or the list of problems with it; fields not named here are ignored. */
function parseCharge(value: unknown): ChargeInput | string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['body must be a JSON object'];
  const { guestId, amount, currency, paymentId } = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof guestId !== 'string' || guestId.length === 0 || guestId.length > 64)
    problems.push('guestId must be 1 to 64 characters');
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1)
    problems.push('amount must be a positive integer (minor units)');
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
    problems.push('currency must be 3 capital letters (ISO 4217)');
  if (paymentId !== undefined && (typeof paymentId !== 'string' || paymentId.length === 0 || paymentId.length > 255)) {
    problems.push('paymentId must be 1 to 255 characters');
  }
  if (problems.length > 0) return problems;
  return {
    guestId: guestId as string,
    amount: amount as number,
    currency: currency as string,
    paymentId: paymentId as string | undefined,
  };
}

function sameCharge(charge: Charge, input: ChargeInput): boolean {
  return charge.guestId === input.guestId && charge.amount === input.amount && charge.currency === input.currency;
}

function view(charge: Charge): Omit<Charge, 'body'> {
  const { body: _body, ...rest } = charge;
  return rest;
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
  if (request.method === 'GET' && path === '/health') {
    sendJson(response, 200, { status: 'ok', charges: charges.size });
    return;
  }
  if (request.method === 'GET' && path === '/charges') {
    sendJson(response, 200, [...charges.values()].map(view));
    return;
  }

  const one = /^\/charges\/([^/]+)(\/resend)?$/.exec(path);
  if (one) {
    const charge = charges.get(decodeURIComponent(one[1]));
    if (!charge) {
      sendJson(response, 404, { error: 'no such charge' });
      return;
    }
    if (!one[2] && request.method === 'GET') {
      sendJson(response, 200, view(charge));
      return;
    }
    if (one[2] && request.method === 'POST') {
      log(`resending webhook ${charge.webhookId} for ${charge.paymentId}`);
      startDelivery(charge);
      sendJson(response, 202, { paymentId: charge.paymentId, webhookId: charge.webhookId });
      return;
    }
    sendJson(response, 405, { error: 'method not allowed' });
    return;
  }
  if (path !== '/charges') {
    sendJson(response, 404, { error: 'not found' });
    return;
  }
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: 'use GET or POST' });
    return;
  }

  let body: unknown;
  try {
    body = JSON.parse((await readRawBody(request, 64 * 1024)).toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    sendJson(response, 400, { error: 'body must be JSON' });
    return;
  }
  const input = parseCharge(body);
  if (Array.isArray(input)) {
    sendJson(response, 400, { error: input.join('; ') });
    return;
  }

  const key = request.headers['idempotency-key'];
  const keyedId = typeof key === 'string' ? idempotencyKeys.get(key) : undefined;
  const existing = charges.get(keyedId ?? input.paymentId ?? '');
  if (existing) {
    if (!sameCharge(existing, input)) {
      sendJson(response, 409, { error: `charge ${existing.paymentId} exists with other parameters` });
      return;
    }
    sendJson(response, 202, {
      paymentId: existing.paymentId,
      status: existing.delivery.status === 'delivered' ? 'succeeded' : 'pending',
    });
    return;
  }
  const charge = createCharge(input);
  if (typeof key === 'string') idempotencyKeys.set(key, charge.paymentId);
  log(`charge ${charge.paymentId}: ${charge.amount} ${charge.currency} for ${charge.guestId}`);
  // Answer first, like a real gateway: the outcome is the webhook, sent after this response.
  sendJson(response, 202, { paymentId: charge.paymentId, status: 'pending' });
  startDelivery(charge);
}

async function serve(): Promise<void> {
  const port = intEnv('PORT', 4003, 0, 65535);
  const host = optionalEnv('HOST', '127.0.0.1');
  const server = await listenJson((request, response) => handle(request, response), port, host, log);
  const address = server.address() as AddressInfo;
  log(`listening on http://${host}:${address.port} (webhooks to ${inboundUrl})`);
  onShutdown('payment-gateway', async () => {
    stopping.abort();
    await closeServer(server);
    await Promise.all(inFlight);
    const undelivered = [...charges.values()].filter((charge) => charge.delivery.status === 'pending').length;
    if (undelivered > 0) log(`${undelivered} webhook(s) not delivered are dropped`);
  });
}

async function chargeFromCommandLine(args: string[]): Promise<void> {
  const [guestId, amountText, currency, paymentId] = args;
  const input = parseCharge({ guestId, amount: Number(amountText), currency, paymentId });
  if (Array.isArray(input)) {
    process.stderr.write(
      `usage: payment-gateway charge <guestId> <amount in minor units> <currency> [paymentId]\n  ${input.join('\n  ')}\n`,
    );
    process.exit(2);
  }
  process.once('SIGINT', () => stopping.abort());
  process.once('SIGTERM', () => stopping.abort());
  const charge = createCharge(input);
  log(
    `charge ${charge.paymentId}: ${charge.amount} ${charge.currency} for ${charge.guestId}; sending payment.succeeded to ${inboundUrl}`,
  );
  const delivered = await deliver(charge);
  process.exit(delivered ? 0 : 1);
}

// The command line may be empty: `process.argv[2]` is typed string without noUncheckedIndexedAccess.
const command = process.argv[2] as string | undefined;
const rest = process.argv.slice(3);
const main =
  command === 'charge'
    ? chargeFromCommandLine(rest)
    : command === undefined
      ? serve()
      : Promise.reject(new Error(`unknown command "${command}" (use "charge" or nothing)`));
main.catch((error: unknown) => {
  process.stderr.write(`payment-gateway: failed: ${describeError(error)}\n`);
  process.exit(1);
});
