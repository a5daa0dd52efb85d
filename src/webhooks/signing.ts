/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), so receivers can verify with the
 * `standardwebhooks` or `svix` libraries. During a secret rotation the header carries one
 * signature per valid secret; a receiver accepts the message when any of them matches.
 */
import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "<msgId>.<timestampSeconds>.<body>">`. */
export function signPayload(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secretKey(secret)).update(`${msgId}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${digest}`;
}

/** The `webhook-signature` header value: one signature per secret, space-separated. */
export function signatureHeader(secrets: string[], msgId: string, timestampSeconds: number, body: string): string {
  return secrets.map((secret) => signPayload(secret, msgId, timestampSeconds, body)).join(' ');
}

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}
