import { checkEndpointUrl, isAllowedHost } from './url-policy';

/** A resolver for the tests' made-up names; any other name fails like a real NXDOMAIN. */
function fakeResolver(answers: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = (host: string): Promise<string[]> => {
    asked.push(host);
    const found = answers[host] as string[] | undefined;
    if (found) return Promise.resolve(found);
    return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
  };
  return { resolve, asked };
}

const noDns = (host: string): Promise<string[]> => {
  return Promise.reject(new Error(`IP-literal URLs must not be resolved (asked for ${host})`));
};

describe('checkEndpointUrl refuses', () => {
  it.each([
    ['http://127.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://017700000001/', '127.0.0.1 is a loopback address'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://127.1/', '127.0.0.1 is a loopback address'],
    ['http://127.0.0.1./', '127.0.0.1 is a loopback address'],
    ['http://0/', '0.0.0.0 is an unspecified address'],
    ['http://0.0.0.0/', '0.0.0.0 is an unspecified address'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://192.168.0.10/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://0xa9fea9fe/', '169.254.169.254 is a link-local address'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://192.0.2.1/', 'reserved'],
    ['http://198.18.0.1/', 'reserved'],
    ['http://[::1]/', '::1 is a loopback address'],
    ['http://[::]/', ':: is an unspecified address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is an IPv4-mapped form of 127.0.0.1, a loopback address'],
    ['http://[::ffff:7f00:1]/', 'IPv4-mapped form of 127.0.0.1'],
    ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/', 'IPv4-mapped form of 169.254.169.254'],
    ['http://[::127.0.0.1]/', 'IPv4-compatible form of 127.0.0.1'],
    ['http://[64:ff9b::a00:1]/', 'NAT64 form of 10.0.0.1, a private address'],
    ['http://[64:ff9b::7f00:1]/', 'NAT64 form of 127.0.0.1'],
    ['http://[2002:7f00:1::]/', '6to4 form of 127.0.0.1'],
    ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', 'Teredo form of 127.0.0.1'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fc00::1]/', 'unique local'],
    ['http://[fd00:ec2::254]/', 'unique local'],
    ['http://[fec0::1]/', 'site-local'],
    ['http://[ff02::1]/', 'multicast'],
    ['https://[2001:db8::1]/', 'reserved'],
    ['ftp://example.com/', 'scheme ftp is not allowed'],
    ['file:///etc/passwd', 'scheme file is not allowed'],
    ['gopher://8.8.8.8:70/', 'scheme gopher is not allowed'],
    ['javascript:alert(1)', 'scheme javascript is not allowed'],
    ['http://user:pass@example.com/', 'must not contain credentials'],
    ['https://token@example.com/', 'must not contain credentials'],
    ['http://:pass@8.8.8.8/', 'must not contain credentials'],
    ['not a url', 'must be an absolute http or https URL'],
    ['/relative/path', 'must be an absolute http or https URL'],
    ['http://[::1/', 'must be an absolute http or https URL'],
  ])('%s', async (url, reason) => {
    const result = await checkEndpointUrl(url, [], noDns);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(/^url: /);
      expect(result.reason).toContain(reason);
    }
  });

  it('a name resolving only to non-public addresses, naming each', async () => {
    const { resolve, asked } = fakeResolver({ 'internal.example': ['127.0.0.1', '::1', '10.0.0.5'] });
    const result = await checkEndpointUrl('https://internal.example/hook', [], resolve);
    expect(asked).toEqual(['internal.example']);
    expect(result).toEqual({
      ok: false,
      reason:
        'url: internal.example resolves only to non-public addresses ' +
        '(127.0.0.1 is a loopback address; ::1 is a loopback address; 10.0.0.5 is a private address); ' +
        'to deliver there anyway, start Maitred with WEBHOOK_ALLOWED_HOSTS=internal.example:443',
    });
  });

  it('the real localhost (system resolver)', async () => {
    const result = await checkEndpointUrl('http://localhost:3000/hook', []);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('url: localhost resolves only to non-public addresses');
  });

  it('an allowed host on another port, or another host on the allowed port', async () => {
    const allowed = ['127.0.0.1:4000', 'hooks.internal:8443'];
    const { resolve } = fakeResolver({ 'hooks.internal': ['10.0.0.9'] });
    expect((await checkEndpointUrl('http://127.0.0.1:4001/', allowed, resolve)).ok).toBe(false);
    expect((await checkEndpointUrl('http://127.0.0.1/', allowed, resolve)).ok).toBe(false);
    expect((await checkEndpointUrl('https://hooks.internal/', allowed, resolve)).ok).toBe(false);
    expect((await checkEndpointUrl('http://127.0.0.2:4000/', allowed, resolve)).ok).toBe(false);
  });
});

describe('checkEndpointUrl accepts', () => {
  it.each([
    ['https://8.8.8.8/hook'],
    ['http://1.1.1.1:8080/'],
    ['http://134744072/'], // 8.8.8.8 spelled as a number
    ['https://[2606:4700::1111]/webhooks'],
    ['https://[2002:0808:0808::1]/'], // 6to4 around 8.8.8.8
    ['https://[64:ff9b::808:808]/'], // NAT64 around 8.8.8.8
    ['https://[::ffff:8.8.8.8]/'],
  ])('the public IP literal %s', async (url) => {
    expect(await checkEndpointUrl(url, [], noDns)).toEqual({ ok: true });
  });

  it('a name resolving to a public address', async () => {
    const { resolve, asked } = fakeResolver({ 'hooks.example.com': ['93.184.215.14'] });
    expect(await checkEndpointUrl('https://hooks.example.com/in', [], resolve)).toEqual({ ok: true });
    expect(asked).toEqual(['hooks.example.com']);
  });

  it('a name with at least one public address (the connect-time guard handles the rest)', async () => {
    const { resolve } = fakeResolver({ 'mixed.example': ['10.0.0.1', '2606:4700::1111'] });
    expect(await checkEndpointUrl('https://mixed.example/', [], resolve)).toEqual({ ok: true });
  });

  it('a name that does not resolve (it fails later with dns)', async () => {
    const { resolve } = fakeResolver({});
    expect(await checkEndpointUrl('https://nowhere.example/', [], resolve)).toEqual({ ok: true });
    expect(await checkEndpointUrl('https://empty.example/', [], () => Promise.resolve([]))).toEqual({ ok: true });
  });

  it('a reserved .invalid name through the system resolver', async () => {
    expect(await checkEndpointUrl('https://does-not-exist.invalid/', [])).toEqual({ ok: true });
  });

  it('an allowed host:port, IP literal or name, without asking DNS', async () => {
    const allowed = ['127.0.0.1:4000', ' Hooks.Internal:8443 ', '[::1]:9000', 'localhost:80'];
    expect(await checkEndpointUrl('http://127.0.0.1:4000/hook', allowed, noDns)).toEqual({ ok: true });
    expect(await checkEndpointUrl('https://hooks.internal:8443/', allowed, noDns)).toEqual({ ok: true });
    expect(await checkEndpointUrl('http://[::1]:9000/', allowed, noDns)).toEqual({ ok: true });
    expect(await checkEndpointUrl('http://localhost/', allowed, noDns)).toEqual({ ok: true });
  });
});

describe('a refusal says how to allow the host on purpose', () => {
  it.each([
    ['http://127.0.0.1:4010/hooks/maitred', 'WEBHOOK_ALLOWED_HOSTS=127.0.0.1:4010'],
    ['http://[::1]:4010/', 'WEBHOOK_ALLOWED_HOSTS=[::1]:4010'],
    ['http://10.1.2.3/', 'WEBHOOK_ALLOWED_HOSTS=10.1.2.3:80'],
  ])('%s → %s', async (url, hint) => {
    const result = await checkEndpointUrl(url, [], noDns);
    expect(result.ok ? '' : result.reason).toContain(hint);
  });

  it('and the allow-list lets localhost through when 127.0.0.1 on that port is listed', async () => {
    await expect(checkEndpointUrl('http://localhost:4010/hooks/maitred', ['127.0.0.1:4010'], noDns)).resolves.toEqual({
      ok: true,
    });
  });
});

describe('isAllowedHost', () => {
  it('uses the explicit port or the scheme default', () => {
    expect(isAllowedHost(new URL('https://a.example/'), ['a.example:443'])).toBe(true);
    expect(isAllowedHost(new URL('http://a.example/'), ['a.example:443'])).toBe(false);
    expect(isAllowedHost(new URL('http://a.example/'), ['a.example:80'])).toBe(true);
    expect(isAllowedHost(new URL('http://a.example:80/'), ['a.example:80'])).toBe(true);
    expect(isAllowedHost(new URL('http://a.example:8080/'), ['a.example:80'])).toBe(false);
    expect(isAllowedHost(new URL('http://a.example:8080/'), [])).toBe(false);
  });

  it.each([
    ['http://localhost:4010/hooks', '127.0.0.1:4010', true],
    ['http://[::1]:4010/hooks', '127.0.0.1:4010', true],
    ['http://127.0.0.1:4010/hooks', 'localhost:4010', true],
    ['http://127.1:4010/hooks', 'localhost:4010', true],
    ['http://app.localhost:4010/hooks', '[::1]:4010', true],
    ['http://LOCALHOST.:4010/hooks', '127.0.0.1:4010', true],
    ['http://localhost:4011/hooks', '127.0.0.1:4010', false],
    ['http://localhost/hooks', '127.0.0.1:4010', false],
    ['http://127.0.0.2:4010/hooks', '127.0.0.1:4010', false],
    ['http://10.0.0.1:4010/hooks', 'localhost:4010', false],
    ['http://localhost.evil.example:4010/hooks', 'localhost:4010', false],
    ['http://[::ffff:127.0.0.1]:4010/hooks', '127.0.0.1:4010', false],
  ])('treats loopback spellings of an allowed port alike: %s with %s → %s', (url, entry, allowed) => {
    expect(isAllowedHost(new URL(url), [entry])).toBe(allowed);
  });

  it('matches the host literally, not by suffix or resolution', () => {
    expect(isAllowedHost(new URL('http://b.a.example/'), ['a.example:80'])).toBe(false);
    expect(isAllowedHost(new URL('http://a.example.evil/'), ['a.example:80'])).toBe(false);
    expect(isAllowedHost(new URL('http://2130706433:80/'), ['127.0.0.1:80'])).toBe(true);
  });
});
