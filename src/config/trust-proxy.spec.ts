import { ConfigError, loadConfig } from './app-config';
import { parseTrustProxy } from './trust-proxy';

describe('parseTrustProxy', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['true', true],
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['loopback', 'loopback'],
    ['loopback, linklocal,uniquelocal', 'loopback,linklocal,uniquelocal'],
    ['10.0.0.1', '10.0.0.1'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.0.0.0/255.0.0.0', '10.0.0.0/255.0.0.0'],
    ['::1', '::1'],
    ['fd00::/8,127.0.0.1', 'fd00::/8,127.0.0.1'],
  ])('%p → %p', (value, parsed) => expect(parseTrustProxy(value)).toEqual(parsed));

  it.each(['foo', 'yes', '10.0.0.0/33', '::1/129', '10.0.0.0/255.0.255.0', '10.0.0.1,', 'loopback;linklocal', '-1', '1.5'])(
    'refuses %p',
    (value) => expect(parseTrustProxy(value)).toBeNull(),
  );
});

describe('loadConfig', () => {
  function errorOf(env: Record<string, string>): ConfigError {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  it('names TRUST_PROXY when it is not something Express accepts', () => {
    const error = errorOf({ TRUST_PROXY: 'foo' });
    expect(error.variables).toEqual(['TRUST_PROXY']);
    expect(error.message).toContain('TRUST_PROXY must be');
  });

  it('passes a valid TRUST_PROXY on as Express takes it', () => {
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback,10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('accepts bracketed IPv6 hosts in WEBHOOK_ALLOWED_HOSTS', () => {
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: '[::1]:8080, localhost:3001,127.0.0.1:9' }).webhookAllowedHosts).toEqual([
      '[::1]:8080',
      'localhost:3001',
      '127.0.0.1:9',
    ]);
    expect(errorOf({ WEBHOOK_ALLOWED_HOSTS: '::1:8080' }).variables).toEqual(['WEBHOOK_ALLOWED_HOSTS']);
    expect(errorOf({ WEBHOOK_ALLOWED_HOSTS: '[::1]' }).variables).toEqual(['WEBHOOK_ALLOWED_HOSTS']);
  });

  it('wants IDEMPOTENCY_SECRET long enough to key an HMAC', () => {
    expect(errorOf({ IDEMPOTENCY_SECRET: 'short' }).variables).toEqual(['IDEMPOTENCY_SECRET']);
    expect(loadConfig({ IDEMPOTENCY_SECRET: 'x'.repeat(32) }).idempotencySecret).toBe('x'.repeat(32));
  });
});
