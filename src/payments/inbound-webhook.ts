import type { IncomingHttpHeaders } from 'node:http';
import { validateSync } from 'class-validator';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { FieldIssue, InvalidInputError, UnauthorizedError } from '../common/errors';
import { findNul } from '../common/input-safety';
import { PaymentSucceededData } from './dto/payment-webhook.dto';

export const PAYMENT_SUCCEEDED = 'payment.succeeded';
const MAX_WEBHOOK_ID_LENGTH = 255;

/**
 * Checks the Standard Webhooks signature of an inbound request with the `standardwebhooks`
 * library: an HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<raw body>`, and a timestamp at
 * most 5 minutes from now in either direction, so a captured request cannot be replayed later.
 */
export class InboundWebhookVerifier {
  private readonly webhook: Webhook;

  constructor(secret: string) {
    this.webhook = new Webhook(secret);
  }

  /** The request's `webhook-id`; throws UnauthorizedError for a missing, wrong or stale signature. */
  verify(rawBody: Buffer, headers: IncomingHttpHeaders): string {
    const id = single(headers['webhook-id']);
    const timestamp = single(headers['webhook-timestamp']);
    const signature = single(headers['webhook-signature']);
    if (!id || !timestamp || !signature) {
      throw new UnauthorizedError('Missing webhook-id, webhook-timestamp or webhook-signature header');
    }
    // The library would read "1700000000abc" as 1700000000; a signed timestamp is digits only.
    if (!/^\d{1,12}$/.test(timestamp)) {
      throw new UnauthorizedError('webhook-timestamp must be a Unix time in seconds');
    }
    try {
      this.webhook.verify(
        rawBody,
        { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
        { jsonParse: false },
      );
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      if (/timestamp too (old|new)/i.test(error.message)) {
        throw new UnauthorizedError('Stale webhook: webhook-timestamp is more than 5 minutes from now');
      }
      throw new UnauthorizedError('Invalid webhook signature');
    }
    return id;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export type InboundPaymentEvent =
  { kind: 'payment'; webhookId: string; data: PaymentSucceededData } | { kind: 'ignored'; webhookId: string; type: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a verified body: JSON in UTF-8 with a string `type`; for `payment.succeeded`, a valid
 * `data`. Fields besides the four PaymentWebhookBody documents are ignored, so the gateway can add some.
 */
export function readPaymentEvent(webhookId: string, rawBody: Buffer): InboundPaymentEvent {
  if (webhookId.length > MAX_WEBHOOK_ID_LENGTH) {
    throw invalid(`webhook-id must be at most ${MAX_WEBHOOK_ID_LENGTH} characters`, 'webhook-id');
  }
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    throw invalid('Request body must be UTF-8 JSON', 'body');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidInputError('Malformed JSON in request body', [{ field: 'body', message: 'must be valid JSON' }]);
  }
  if (!isRecord(body)) throw invalid('Request body must be a JSON object', 'body');
  // The global input guard sees this body only as bytes (the signature is over them); the same check, once parsed.
  const nul = findNul(body, '');
  if (nul !== undefined) throw invalid(`${nul}: must not contain U+0000`, nul);
  const type = own(body, 'type');
  if (typeof type !== 'string') throw invalid('type must be a string', 'type');
  if (type !== PAYMENT_SUCCEEDED) return { kind: 'ignored', webhookId, type };

  const data = own(body, 'data');
  if (!isRecord(data)) throw invalid('data must be an object', 'data');
  // Copy only the known fields: nothing the sender chose (a `__proto__` key, say) reaches the instance.
  const payment = Object.assign(new PaymentSucceededData(), {
    paymentId: own(data, 'paymentId'),
    guestId: own(data, 'guestId'),
    amount: own(data, 'amount'),
    currency: own(data, 'currency'),
  });
  const issues: FieldIssue[] = validateSync(payment, { validationError: { target: false, value: false } }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => ({ field: `data.${error.property}`, message })),
  );
  if (issues.length > 0) {
    throw new InvalidInputError(issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '), issues);
  }
  return { kind: 'payment', webhookId, data: payment };
}

function invalid(message: string, field: string): InvalidInputError {
  return new InvalidInputError(message, [{ field, message }]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
