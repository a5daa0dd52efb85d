/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), so receivers can verify with the
 * `standardwebhooks` or `svix` libraries (`v1`, HMAC) or with any Ed25519 implementation (`v1a`).
 * During a secret rotation the header carries one signature per valid secret; a receiver accepts
 * the message when any of them matches. Which scheme a secret signs with is read from its prefix,
 * so a rotation from one scheme to the other (PATCH `signing`) sends both during the grace period.
 */
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';

export const SIGNING_SCHEMES = ['hmac', 'ed25519'] as const;
export type SigningScheme = (typeof SIGNING_SCHEMES)[number];

const SECRET_PREFIX = 'whsec_';
/** An Ed25519 private key: `whsk_` + base64 of its raw 32-byte seed (RFC 8032's private key). */
const SIGNING_KEY_PREFIX = 'whsk_';
/** An Ed25519 public key: `whpk_` + base64 of its raw 32 bytes. */
const PUBLIC_KEY_PREFIX = 'whpk_';
/** DER of a PKCS#8 Ed25519 private key before its 32-byte seed (RFC 8410), so node:crypto can load a raw seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** DER of an SPKI Ed25519 public key before its 32 raw bytes (RFC 8410). */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

export function isSigningKey(secret: string): boolean {
  return secret.startsWith(SIGNING_KEY_PREFIX);
}

/** The scheme a stored secret signs with. */
export function schemeOf(secret: string): SigningScheme {
  return isSigningKey(secret) ? 'ed25519' : 'hmac';
}

function privateKeyOf(signingKey: string): KeyObject {
  const seed = Buffer.from(signingKey.slice(SIGNING_KEY_PREFIX.length), 'base64');
  if (seed.length !== 32) throw new Error('an Ed25519 signing key must hold a 32-byte seed');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** `v1,<base64 HMAC-SHA256 of "<msgId>.<timestampSeconds>.<body>">`. */
export function signPayload(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secretKey(secret)).update(`${msgId}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${digest}`;
}

/** `v1a,<base64 Ed25519 signature of "<msgId>.<timestampSeconds>.<body>">` (Ed25519 is deterministic). */
export function signPayloadEd25519(signingKey: string, msgId: string, timestampSeconds: number, body: string): string {
  const signature = sign(null, Buffer.from(`${msgId}.${timestampSeconds}.${body}`, 'utf8'), privateKeyOf(signingKey));
  return `v1a,${signature.toString('base64')}`;
}

/** The `webhook-signature` header value: one signature per secret, each in its own scheme, space-separated. */
export function signatureHeader(secrets: string[], msgId: string, timestampSeconds: number, body: string): string {
  return secrets
    .map((secret) =>
      isSigningKey(secret)
        ? signPayloadEd25519(secret, msgId, timestampSeconds, body)
        : signPayload(secret, msgId, timestampSeconds, body),
    )
    .join(' ');
}

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** A fresh Ed25519 key pair's private half, as stored: `whsk_<base64 seed>`. */
export function generateSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return SIGNING_KEY_PREFIX + der.subarray(PKCS8_ED25519_PREFIX.length).toString('base64');
}

/** New signing material for a scheme. */
export function generateSecretFor(scheme: SigningScheme): string {
  return scheme === 'ed25519' ? generateSigningKey() : generateWebhookSecret();
}

/** `whpk_<base64 raw 32-byte public key>` of a stored signing key: what receivers verify with. */
export function publicKeyOf(signingKey: string): string {
  const der = createPublicKey(privateKeyOf(signingKey)).export({ format: 'der', type: 'spki' });
  return PUBLIC_KEY_PREFIX + der.subarray(SPKI_ED25519_PREFIX.length).toString('base64');
}

/** What an integrator may see of a stored secret: an HMAC secret itself, or an Ed25519 key's public half. */
export function shareableSecret(secret: string): { secret: string } | { publicKey: string } {
  return isSigningKey(secret) ? { publicKey: publicKeyOf(secret) } : { secret };
}

/** The secrets that sign now: the current one, and the previous one while its grace period lasts. */
export function secretsInUse(
  endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAt: string | null },
  nowIso: string,
): string[] {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > nowIso) {
    secrets.push(endpoint.previousSecret);
  }
  return secrets;
}
