import ipaddr from 'ipaddr.js';

/**
 * The bucket a client address counts against for per-address rate limits. One IPv6 subscriber
 * usually holds a whole /64, so counting exact IPv6 addresses would give them 2^64 budgets:
 * IPv6 is bucketed by its /64, IPv4 (and IPv4-mapped IPv6) by the exact address.
 */
export function rateLimitBucket(ip: string | undefined): string {
  if (ip === undefined || !ipaddr.isValid(ip)) return `other:${ip ?? 'unknown'}`;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return `v4:${parsed.toString()}`;
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `v6:${parts.map((part) => part.toString(16)).join(':')}::/64`;
}
