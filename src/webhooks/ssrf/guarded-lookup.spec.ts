import { expect } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { Agent, fetch, request } from 'undici';
import {
  assertPublicAddress,
  BLOCKED_ADDRESS_CODE,
  BlockedAddressError,
  createGuardedConnector,
  createGuardedLookup,
} from './guarded-lookup';

/** A DNS stand-in: the names it knows resolve to the given addresses, others fail with ENOTFOUND. */
function fakeLookup(answers: Record<string, string[]>): LookupFunction {
  return (hostname, options, callback) => {
    const found = answers[hostname] as string[] | undefined;
    if (!found) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    const entries = found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, entries);
    else callback(null, entries[0].address, entries[0].family);
  };
}

function lookupOnce(lookup: LookupFunction, hostname: string, all: boolean) {
  return new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) => {
    lookup(hostname, { all }, (err, address) => {
      resolve({ err, address });
    });
  });
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('guarded lookup through undici', () => {
  let server: Server;
  let port: number;
  let received = 0;
  const agents: Agent[] = [];
  const agent = (options: ConstructorParameters<typeof Agent>[0] = {}) => {
    const created = new Agent(options);
    agents.push(created);
    return created;
  };

  beforeAll(async () => {
    server = createServer((_req, res) => {
      received += 1;
      res.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    received = 0;
  });

  afterAll(async () => {
    await Promise.all(agents.map((created) => created.close()));
    await new Promise((resolve) => server.close(resolve));
  });

  it('an unguarded agent reaches the local server through localhost', async () => {
    const response = await request(`http://localhost:${port}/`, { dispatcher: agent() });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('reached');
    expect(received).toBe(1);
  });

  it('the guarded agent refuses localhost before connecting (request and fetch)', async () => {
    const guarded = agent({ connect: { lookup: createGuardedLookup() } });

    // undici.request rejects with the lookup error itself.
    const viaRequest = await rejection(request(`http://localhost:${port}/`, { dispatcher: guarded }));
    expect(viaRequest).toBeInstanceOf(BlockedAddressError);
    expect(errorCode(viaRequest)).toBe(BLOCKED_ADDRESS_CODE);
    expect((viaRequest as Error).message).toBe('localhost resolves to 127.0.0.1, a loopback address; connection blocked');

    // fetch wraps it: TypeError('fetch failed') with the lookup error as its cause.
    const viaFetch = await rejection(fetch(`http://localhost:${port}/`, { dispatcher: guarded }));
    expect(viaFetch).toBeInstanceOf(TypeError);
    expect(errorCode((viaFetch as Error).cause)).toBe(BLOCKED_ADDRESS_CODE);

    expect(received).toBe(0);
  });

  it('judges the address the socket connects to, whatever the name (DNS rebinding)', async () => {
    const rebinding = fakeLookup({ 'hooks.attacker.test': ['127.0.0.1'] });

    // Proof that the fake answer really steers the connection ...
    const unguarded = agent({ connect: { lookup: rebinding } });
    const steered = await request(`http://hooks.attacker.test:${port}/`, { dispatcher: unguarded });
    expect(steered.statusCode).toBe(200);
    await steered.body.text();
    expect(received).toBe(1);

    // ... and that the guard stops exactly that connection.
    const guarded = agent({ connect: { lookup: createGuardedLookup(rebinding) } });
    const error = await rejection(request(`http://hooks.attacker.test:${port}/`, { dispatcher: guarded }));
    expect(errorCode(error)).toBe(BLOCKED_ADDRESS_CODE);
    expect(received).toBe(1);
  });

  it('the guarded connector also refuses IP literals, which Node never looks up', async () => {
    const literalOnly = agent({ connect: { lookup: createGuardedLookup() } });
    // The gap the connector closes: a lookup-only guard lets 127.0.0.1 through.
    const leaked = await request(`http://127.0.0.1:${port}/`, { dispatcher: literalOnly });
    expect(leaked.statusCode).toBe(200);
    await leaked.body.text();
    expect(received).toBe(1);

    const guarded = agent({ connect: createGuardedConnector({ timeout: 2_000 }) });
    const urls = [
      `http://127.0.0.1:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://localhost:${port}/`,
    ];
    for (const url of urls) {
      const error = await rejection(request(url, { dispatcher: guarded }));
      expect(errorCode(error)).toBe(BLOCKED_ADDRESS_CODE);
    }
    expect(received).toBe(1);
  });
});

describe('createGuardedLookup', () => {
  it('fails when any of several answers is non-public, and names it', async () => {
    const lookup = createGuardedLookup(fakeLookup({ 'mixed.test': ['93.184.215.14', '10.0.0.7'] }));
    const { err } = await lookupOnce(lookup, 'mixed.test', true);
    expect(err).toBeInstanceOf(BlockedAddressError);
    expect(err?.code).toBe(BLOCKED_ADDRESS_CODE);
    expect(err?.message).toContain('10.0.0.7, a private address');
  });

  it('passes public answers through unchanged, for all and for one', async () => {
    const lookup = createGuardedLookup(fakeLookup({ 'public.test': ['93.184.215.14', '2606:4700::1111'] }));
    expect(await lookupOnce(lookup, 'public.test', true)).toEqual({
      err: null,
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700::1111', family: 6 },
      ],
    });
    expect(await lookupOnce(lookup, 'public.test', false)).toEqual({ err: null, address: '93.184.215.14' });
  });

  it('checks the single answer when options.all is false', async () => {
    const lookup = createGuardedLookup(fakeLookup({ 'mapped.test': ['::ffff:169.254.169.254'] }));
    const { err } = await lookupOnce(lookup, 'mapped.test', false);
    expect(err?.code).toBe(BLOCKED_ADDRESS_CODE);
  });

  it('passes resolution errors through', async () => {
    const lookup = createGuardedLookup(fakeLookup({}));
    const { err } = await lookupOnce(lookup, 'nowhere.test', true);
    expect(err?.code).toBe('ENOTFOUND');
  });
});

describe('assertPublicAddress', () => {
  it.each([['127.0.0.1'], ['::1'], ['169.254.169.254'], ['64:ff9b::a00:1'], ['2002:7f00:1::']])('throws for %s', (ip) => {
    expect(() => {
      assertPublicAddress(ip);
    }).toThrow(expect.objectContaining({ code: BLOCKED_ADDRESS_CODE }));
  });

  it.each([['8.8.8.8'], ['2606:4700::1111']])('accepts %s', (ip) => {
    expect(() => {
      assertPublicAddress(ip);
    }).not.toThrow();
  });
});
