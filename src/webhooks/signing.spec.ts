import { createPublicKey, randomBytes, randomInt, verify } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import {
  generateSecretFor,
  generateSigningKey,
  generateWebhookSecret,
  publicKeyOf,
  schemeOf,
  shareableSecret,
  signatureHeader,
  signPayload,
  signPayloadEd25519,
} from './signing';

function randomBody(): string {
  const data = { note: randomBytes(randomInt(0, 200)).toString('latin1'), emoji: '🍽️ tisch für zwei', n: randomInt(1e9) };
  return JSON.stringify({ type: 'guest.checked_in', timestamp: new Date().toISOString(), data });
}

function headers(msgId: string, timestampSeconds: number, signature: string) {
  return { 'webhook-id': msgId, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signature };
}

describe('generateWebhookSecret', () => {
  it('is whsec_ and base64 of 32 random bytes', () => {
    const secrets = Array.from({ length: 20 }, generateWebhookSecret);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });
});

describe('signPayload', () => {
  it('matches standardwebhooks Webhook.sign byte for byte', () => {
    for (let i = 0; i < 200; i += 1) {
      const secret = generateWebhookSecret();
      const msgId = `evt_${randomBytes(13).toString('hex')}`;
      const timestampSeconds = randomInt(1_600_000_000, 2_000_000_000);
      const body = randomBody();
      const expected = new StandardWebhook(secret).sign(msgId, new Date(timestampSeconds * 1000), body);
      expect(signPayload(secret, msgId, timestampSeconds, body)).toBe(expected);
    }
  });

  it('matches a vector computed independently', () => {
    // key = 32 zero bytes; HMAC-SHA256 of "msg.1.{}" from `openssl dgst -sha256 -mac HMAC`.
    const secret = `whsec_${Buffer.alloc(32).toString('base64')}`;
    expect(signPayload(secret, 'msg', 1, '{}')).toBe('v1,LdLRKEz1ALCHKZF6Qi2p+u4+HBMDnnlkkitMWzll7Xw=');
  });
});

describe('signatureHeader during a rotation', () => {
  const oldSecret = generateWebhookSecret();
  const newSecret = generateWebhookSecret();
  const msgId = 'evt_01JDXY3K8M9QZ7T5V2W4R6P8NB';
  const body = randomBody();

  it('carries one signature per secret, separated by a single space', () => {
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader([oldSecret, newSecret], msgId, now, body);
    expect(header.split(' ')).toEqual([signPayload(oldSecret, msgId, now, body), signPayload(newSecret, msgId, now, body)]);
  });

  it.each([
    ['standardwebhooks', (secret: string) => new StandardWebhook(secret)],
    ['svix', (secret: string) => new SvixWebhook(secret)],
  ])('verifies with %s using either secret alone, and not with another', (_name, verifier) => {
    const now = Math.floor(Date.now() / 1000);
    const signed = headers(msgId, now, signatureHeader([oldSecret, newSecret], msgId, now, body));
    expect(verifier(oldSecret).verify(body, signed)).toEqual(JSON.parse(body));
    expect(verifier(newSecret).verify(body, signed)).toEqual(JSON.parse(body));
    expect(() => verifier(generateWebhookSecret()).verify(body, signed)).toThrow();
    expect(() => verifier(newSecret).verify(`${body} `, signed)).toThrow();
  });
});

/** A receiver's check of a `v1a` signature with node:crypto alone, from a `whpk_` key (as README's verifier does). */
function verifiesEd25519(publicKey: string, msgId: string, timestampSeconds: number, body: string, header: string): boolean {
  const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');
  const key = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]),
    format: 'der',
    type: 'spki',
  });
  const signed = Buffer.from(`${msgId}.${timestampSeconds}.${body}`, 'utf8');
  return header
    .split(' ')
    .filter((part) => part.startsWith('v1a,'))
    .some((part) => verify(null, signed, key, Buffer.from(part.slice(4), 'base64')));
}

describe('Ed25519 (v1a)', () => {
  // RFC 8032 section 7.1, TEST 1: the secret key (seed) and its public key.
  const rfcSigningKey = `whsk_${Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex').toString('base64')}`;
  const rfcPublicKey = `whpk_${Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex').toString('base64')}`;

  it('derives the RFC 8032 public key from its seed', () => {
    expect(publicKeyOf(rfcSigningKey)).toBe(rfcPublicKey);
  });

  it('signs "<webhook-id>.<webhook-timestamp>.<body>" as openssl does', () => {
    // `openssl pkeyutl -sign -rawin` with the RFC 8032 TEST 1 key over exactly these bytes.
    const body = '{"type":"guest.checked_in"}';
    expect(signPayloadEd25519(rfcSigningKey, 'msg_2Kx', 1700000000, body)).toBe(
      'v1a,A5YZp268BK/dOFT3NrCG/qhC2JnhXkDhGeTBD4uqnzqbHRQWyJtBA9rLk7014lz0RjQ9FuAOUGslZYEVVoc+Dg==',
    );
    expect(
      verifiesEd25519(rfcPublicKey, 'msg_2Kx', 1700000000, body, signatureHeader([rfcSigningKey], 'msg_2Kx', 1700000000, body)),
    ).toBe(true);
  });

  it('verifies with node:crypto for fresh keys, and not for changed bytes or another key', () => {
    for (let i = 0; i < 50; i += 1) {
      const signingKey = generateSigningKey();
      const msgId = `evt_${randomBytes(13).toString('hex')}`;
      const timestampSeconds = randomInt(1_600_000_000, 2_000_000_000);
      const body = randomBody();
      const header = signatureHeader([signingKey], msgId, timestampSeconds, body);
      expect(header).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
      expect(verifiesEd25519(publicKeyOf(signingKey), msgId, timestampSeconds, body, header)).toBe(true);
      expect(verifiesEd25519(publicKeyOf(signingKey), msgId, timestampSeconds + 1, body, header)).toBe(false);
      expect(verifiesEd25519(publicKeyOf(signingKey), msgId, timestampSeconds, `${body} `, header)).toBe(false);
      expect(verifiesEd25519(publicKeyOf(generateSigningKey()), msgId, timestampSeconds, body, header)).toBe(false);
    }
  });

  it.each([
    ['hmac', /^whsec_[A-Za-z0-9+/]{43}=$/, 'secret'],
    ['ed25519', /^whsk_[A-Za-z0-9+/]{43}=$/, 'publicKey'],
  ] as const)('%s material: %s, shown as { %s }', (scheme, pattern, shown) => {
    const secret = generateSecretFor(scheme);
    expect(secret).toMatch(pattern);
    expect(schemeOf(secret)).toBe(scheme);
    expect(Object.keys(shareableSecret(secret))).toEqual([shown]);
  });

  it('a public key is whpk_ and 32 raw bytes, and never the private seed', () => {
    const signingKey = generateSigningKey();
    const shared = shareableSecret(signingKey);
    expect(shared).toEqual({ publicKey: expect.stringMatching(/^whpk_[A-Za-z0-9+/]{43}=$/) as unknown });
    expect(JSON.stringify(shared)).not.toContain(signingKey.slice('whsk_'.length));
  });

  it('a header during a move from HMAC to Ed25519 carries both, and each verifier finds its own', () => {
    const oldSecret = generateWebhookSecret();
    const signingKey = generateSigningKey();
    const msgId = 'evt_01JDXY3K8M9QZ7T5V2W4R6P8NB';
    const now = Math.floor(Date.now() / 1000);
    const body = randomBody();
    const header = signatureHeader([signingKey, oldSecret], msgId, now, body);
    expect(header.split(' ').map((part) => part.split(',')[0])).toEqual(['v1a', 'v1']);
    expect(verifiesEd25519(publicKeyOf(signingKey), msgId, now, body, header)).toBe(true);
    expect(new StandardWebhook(oldSecret).verify(body, headers(msgId, now, header))).toEqual(JSON.parse(body));
  });
});
