import { randomBytes, randomInt } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { generateWebhookSecret, signatureHeader, signPayload } from './signing';

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
