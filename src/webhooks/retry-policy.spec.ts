import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import {
  classifyError,
  classifyFailure,
  classifyStatus,
  DEFAULT_RETRY_SCHEDULE_MS,
  MAX_RETRY_AFTER_MS,
  nextRetryDelayMs,
  parseRetryAfter,
} from './retry-policy';
import { BlockedAddressError, createGuardedLookup } from './ssrf/guarded-lookup';

describe('nextRetryDelayMs', () => {
  it('follows the default schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(DEFAULT_RETRY_SCHEDULE_MS).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    const middle = () => 0.5;
    expect(DEFAULT_RETRY_SCHEDULE_MS.map((_, step) => nextRetryDelayMs(step, DEFAULT_RETRY_SCHEDULE_MS, middle))).toEqual(
      DEFAULT_RETRY_SCHEDULE_MS,
    );
  });

  it('jitters uniformly by ±20 %', () => {
    expect(nextRetryDelayMs(0, [10_000], () => 0)).toBe(8_000);
    expect(nextRetryDelayMs(0, [10_000], () => 0.25)).toBe(9_000);
    expect(nextRetryDelayMs(0, [10_000], () => 0.999999)).toBe(12_000);
    const samples = Array.from({ length: 2000 }, () => nextRetryDelayMs(1, DEFAULT_RETRY_SCHEDULE_MS)!);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(240_000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(360_000);
    // Uniform, not clustered: both outer fifths of the range are hit.
    expect(samples.some((delay) => delay < 264_000)).toBe(true);
    expect(samples.some((delay) => delay > 336_000)).toBe(true);
  });

  it('is null once the schedule is exhausted, or for a nonsensical step', () => {
    expect(nextRetryDelayMs(7, DEFAULT_RETRY_SCHEDULE_MS)).toBeNull();
    expect(nextRetryDelayMs(3, [1000, 2000, 5000])).toBeNull();
    expect(nextRetryDelayMs(0, [])).toBeNull();
    expect(nextRetryDelayMs(-1, [1000])).toBeNull();
    expect(nextRetryDelayMs(0.5, [1000])).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-28T12:00:00.000Z');

  it.each([
    ['120', 120_000],
    [' 5 ', 5_000],
    ['0', 0],
    ['86400', MAX_RETRY_AFTER_MS],
    ['999999999', MAX_RETRY_AFTER_MS],
    ['Sat, 28 Nov 2026 12:01:30 GMT', 90_000],
    ['Saturday, 28-Nov-26 12:00:10 GMT', 10_000],
    ['Sat Nov 28 12:00:20 2026', 20_000],
    ['Thu Nov  5 12:00:00 2026', 0],
    ['Sat, 28 Nov 2026 11:00:00 GMT', 0],
    ['Sun, 29 Nov 2026 12:00:01 GMT', MAX_RETRY_AFTER_MS],
  ])('%j → %p ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });

  it.each([[undefined], [''], ['-5'], ['1.5'], ['soon'], ['2026-11-28T12:01:00Z'], ['Sat, 28 Nov 2026 12:01:30'], ['1e3']])(
    '%j is not a Retry-After',
    (header) => {
      expect(parseRetryAfter(header, now)).toBeNull();
    },
  );
});

describe('classifyStatus', () => {
  it.each([
    [200, null],
    [204, null],
    [299, null],
    [301, 'redirect'],
    [302, 'redirect'],
    [307, 'redirect'],
    [308, 'redirect'],
    [304, 'redirect'],
    [400, 'http_400'],
    [410, 'http_410'],
    [429, 'http_429'],
    [500, 'http_500'],
    [503, 'http_503'],
  ])('%i → %p', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
    expect(classifyFailure({ status })).toBe(expected);
  });
});

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyError', () => {
  it.each([
    ['a Node connect timeout', 'timeout', coded('ETIMEDOUT')],
    ['undici connect timeout', 'timeout', coded('UND_ERR_CONNECT_TIMEOUT')],
    ['undici headers timeout', 'timeout', coded('UND_ERR_HEADERS_TIMEOUT')],
    ['undici body timeout', 'timeout', coded('UND_ERR_BODY_TIMEOUT')],
    ['AbortSignal.timeout()', 'timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['an AbortError', 'timeout', new DOMException('This operation was aborted', 'AbortError')],
    ['refused', 'connection_refused', coded('ECONNREFUSED')],
    ['reset', 'connection_refused', coded('ECONNRESET')],
    ['undici socket closed', 'connection_refused', coded('UND_ERR_SOCKET', 'other side closed')],
    ['unreachable network', 'connection_refused', coded('ENETUNREACH')],
    ['an unknown error', 'connection_refused', new Error('something odd')],
    ['a thrown string', 'connection_refused', 'boom'],
    ['not found', 'dns', coded('ENOTFOUND')],
    ['temporary DNS failure', 'dns', coded('EAI_AGAIN')],
    ['self-signed certificate', 'tls', coded('DEPTH_ZERO_SELF_SIGNED_CERT')],
    ['expired certificate', 'tls', coded('CERT_HAS_EXPIRED')],
    ['unknown issuer', 'tls', coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE')],
    ['wrong host name', 'tls', coded('ERR_TLS_CERT_ALTNAME_INVALID')],
    ['plain HTTP spoken to TLS', 'tls', coded('ERR_SSL_WRONG_VERSION_NUMBER')],
    ['blocked address', 'blocked_address', new BlockedAddressError('127.0.0.1', 'a loopback address', 'localhost')],
  ])('%s → %s', (_label, expected, error) => {
    expect(classifyError(error)).toBe(expected);
    expect(classifyFailure({ error })).toBe(expected);
  });

  it('looks through cause chains and aggregate errors', () => {
    const fetchFailed = new TypeError('fetch failed', { cause: coded('ENOTFOUND') });
    expect(classifyError(fetchFailed)).toBe('dns');
    const deep = new Error('outer', { cause: new Error('middle', { cause: coded('EBLOCKEDADDRESS') }) });
    expect(classifyError(deep)).toBe('blocked_address');
    const happyEyeballs = Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ETIMEDOUT')]), { code: 'ETIMEDOUT' });
    expect(classifyError(happyEyeballs)).toBe('timeout');
    const cyclic: Error & { cause?: unknown } = new Error('cyclic');
    cyclic.cause = cyclic;
    expect(classifyError(cyclic)).toBe('connection_refused');
  });

  describe('with real undici failures on 127.0.0.1', () => {
    let server: Server;
    let port: number;
    let closedPort: number;
    const agent = new Agent({ headersTimeout: 200, bodyTimeout: 200 });

    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/hang') return; // never answers
        if (req.url === '/destroy') {
          req.socket.destroy();
          return;
        }
        res.writeHead(302, { location: '/elsewhere' }).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      closedPort = (probe.address() as AddressInfo).port;
      await new Promise((resolve) => probe.close(resolve));
    });

    afterAll(async () => {
      await agent.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    async function outcome(url: string, dispatcher: Agent = agent, signal?: AbortSignal) {
      try {
        const response = await request(url, { dispatcher, signal });
        await response.body.dump();
        return classifyFailure({ status: response.statusCode });
      } catch (error) {
        return classifyFailure({ error });
      }
    }

    it('classifies what undici actually throws', async () => {
      expect(await outcome(`http://127.0.0.1:${port}/redirect`)).toBe('redirect');
      expect(await outcome(`http://127.0.0.1:${port}/hang`)).toBe('timeout');
      expect(await outcome(`http://127.0.0.1:${port}/hang`, agent, AbortSignal.timeout(50))).toBe('timeout');
      expect(await outcome(`http://127.0.0.1:${port}/destroy`)).toBe('connection_refused');
      expect(await outcome(`http://127.0.0.1:${closedPort}/`)).toBe('connection_refused');
      expect(await outcome(`https://127.0.0.1:${port}/`)).toBe('tls');
      const guarded = new Agent({ connect: { lookup: createGuardedLookup() } });
      try {
        expect(await outcome(`http://localhost:${port}/`, guarded)).toBe('blocked_address');
      } finally {
        await guarded.close();
      }
    });
  });
});
