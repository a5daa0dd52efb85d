import { hostToIpLiteral, isPublicUnicast, judgeAddress } from './address-policy';

describe('isPublicUnicast', () => {
  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.215.14'],
    ['172.15.255.255'],
    ['172.32.0.1'],
    ['100.63.255.255'],
    ['100.128.0.1'],
    ['2606:4700::1111'],
    ['2001:4860:4860::8888'],
    ['::ffff:8.8.8.8'],
    ['64:ff9b::808:808'],
    ['2002:0808:0808::'],
    ['2002:808:808:1::1'],
    ['::8.8.8.8'],
  ])('%s is public', (address) => {
    expect(isPublicUnicast(address)).toBe(true);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001:2::1', 'benchmarking'],
    ['100::1', 'discard'],
    ['4000::1', 'unassigned'],
    ['::ffff:127.0.0.1', 'IPv4-mapped form of 127.0.0.1, a loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped form of 127.0.0.1'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped form of 169.254.169.254, a link-local'],
    ['::ffff:0:7f00:1', 'IPv4-translated form of 127.0.0.1'],
    ['::127.0.0.1', 'IPv4-compatible form of 127.0.0.1'],
    ['::a00:1', 'IPv4-compatible form of 10.0.0.1'],
    ['64:ff9b::7f00:1', 'NAT64 form of 127.0.0.1'],
    ['64:ff9b::a00:1', 'NAT64 form of 10.0.0.1, a private'],
    ['64:ff9b::169.254.169.254', 'NAT64 form of 169.254.169.254'],
    ['64:ff9b:1::808:808', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 form of 127.0.0.1'],
    ['2002:c0a8:101::1', '6to4 form of 192.168.1.1'],
    // Teredo: server 65.54.227.120, client 127.0.0.1 obfuscated (bits inverted) as 80ff:fffe.
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo form of 127.0.0.1'],
    ['2001:0:a00:1::1', 'Teredo form of 10.0.0.1'],
    ['not an address', 'not a valid IP address'],
    ['', 'not a valid IP address'],
  ])('%s is not public (%s)', (address, description) => {
    expect(isPublicUnicast(address)).toBe(false);
    const verdict = judgeAddress(address);
    expect(verdict.public).toBe(false);
    if (!verdict.public) expect(verdict.description).toContain(description);
  });

  it('judges a Teredo address by its client when the server is public', () => {
    // client 8.8.8.8 obfuscated is f7f7:f7f7
    expect(isPublicUnicast('2001:0:4136:e378:8000:63bf:f7f7:f7f7')).toBe(true);
  });
});

describe('hostToIpLiteral', () => {
  const hostname = (url: string) => new URL(url).hostname;

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://127.0.0.1./', '127.0.0.1'],
    ['http://[::1]:8080/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', '::ffff:7f00:1'],
    ['http://[2606:4700::1111]/', '2606:4700::1111'],
    ['https://8.8.8.8/hook', '8.8.8.8'],
  ])('%s is the IP literal %s', (url, ip) => {
    expect(hostToIpLiteral(hostname(url))).toBe(ip);
  });

  it.each([['http://example.com/'], ['http://localhost:3000/'], ['http://1.2.3.example/'], ['http://xn--nxasmq6b.com/']])(
    '%s is a name',
    (url) => {
      expect(hostToIpLiteral(hostname(url))).toBeNull();
    },
  );

  it('normalises a raw host the way URL parsing would', () => {
    expect(hostToIpLiteral('0x7f.1')).toBe('127.0.0.1');
    expect(hostToIpLiteral('::1')).toBe('::1');
    expect(hostToIpLiteral('example.com:80')).toBeNull();
    expect(hostToIpLiteral('')).toBeNull();
  });
});
