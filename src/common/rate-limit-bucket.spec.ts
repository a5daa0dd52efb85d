import { rateLimitBucket } from './rate-limit-bucket';

describe('rateLimitBucket', () => {
  it.each([
    ['203.0.113.7', 'v4:203.0.113.7'],
    ['::ffff:203.0.113.7', 'v4:203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', 'v6:2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', 'v6:2001:db8:1:2::/64'],
    ['2001:DB8:1:2:aaaa::1', 'v6:2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', 'v6:2001:db8:1:3::/64'],
    ['::1', 'v6:0:0:0:0::/64'],
    [undefined, 'other:unknown'],
  ])('%s → %s', (ip, bucket) => {
    expect(rateLimitBucket(ip)).toBe(bucket);
  });

  it('puts two addresses of one /64 together and neighbouring IPv4 addresses apart', () => {
    expect(rateLimitBucket('2001:db8::1')).toBe(rateLimitBucket('2001:db8::ffff:ffff:ffff:ffff'));
    expect(rateLimitBucket('192.0.2.1')).not.toBe(rateLimitBucket('192.0.2.2'));
  });
});
