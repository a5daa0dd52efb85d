/**
 * Which IP addresses a webhook may be delivered to: public unicast only. Pure, so the same rule
 * serves the registration check (url-policy) and the connect-time check (guarded-lookup).
 *
 * Ranges come from ipaddr.js; this file only decides which of its named ranges are reachable from
 * the internet and, for IPv6 forms that carry an IPv4 address (mapped, compatible, translated,
 * NAT64, 6to4, Teredo), judges the IPv4 address inside, because that is where the packets end up
 * (Linux connects `::ffff:127.0.0.1` to 127.0.0.1; a NAT64 gateway forwards `64:ff9b::a00:1` to 10.0.0.1).
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The `code` of the error a connection to a non-public address fails with. */
export const BLOCKED_ADDRESS_CODE = 'EBLOCKEDADDRESS';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** The verdict on one address; `description` completes "<address> is …" for error messages. */
export type AddressVerdict = { public: true } | { public: false; description: string };

const IPV4_DESCRIPTIONS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  private: 'a private address',
  reserved: 'a reserved (documentation, benchmarking or future use) address',
  as112: 'an AS112 sink address',
  amt: 'an AMT relay anycast address',
};

const IPV6_DESCRIPTIONS: Record<string, string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  uniqueLocal: 'a unique local (private) address',
  deprecatedSiteLocal: 'a site-local address',
  discard: 'a discard-only address',
  benchmarking: 'a benchmarking address',
  amt: 'an AMT relay address',
  as112v6: 'an AS112 sink address',
  deprecatedOrchid: 'an ORCHID address',
  orchid2: 'an ORCHID address',
  droneRemoteIdProtocolEntityTags: 'a drone remote ID address',
  segmentRouting: 'a segment routing address',
  reserved: 'a reserved (documentation or future use) address',
};

/** IPv6 ranges whose last 32 bits are the IPv4 destination. */
const EMBEDDED_IN_LAST_32_BITS: Record<string, string> = {
  ipv4Mapped: 'an IPv4-mapped',
  rfc6145: 'an IPv4-translated',
};

// Deprecated (RFC 4291) but still parsed and routed by some stacks; ipaddr.js has no name for it.
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
// Only 2000::/3 is allocated for global unicast; anything else ipaddr.js calls "unicast" is unassigned.
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

function parse(address: string): IPv4 | IPv6 | null {
  let text = address;
  if (address.includes(':')) {
    // ipaddr.js reads `::a.b.c.d` as IPv4-mapped (`::ffff:a.b.c.d`); WHATWG serialisation spells
    // every IPv6 address in plain hex first, so the bits judged are the bits connected to.
    const withoutZone = address.split('%')[0];
    try {
      text = new URL(`http://[${withoutZone}]/`).hostname.slice(1, -1);
    } catch {
      return null;
    }
  }
  try {
    return ipaddr.parse(text);
  } catch {
    return null;
  }
}

function ipv4FromParts(high: number, low: number): IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function judgeIPv4(address: IPv4): AddressVerdict {
  const range = address.range();
  if (range === 'unicast') return { public: true };
  return { public: false, description: IPV4_DESCRIPTIONS[range] ?? `a special-purpose (${range}) address` };
}

/** An embedded IPv4 address decides; the description names the wrapper and the inner address. */
function judgeEmbedded(form: string, inner: IPv4): AddressVerdict {
  const verdict = judgeIPv4(inner);
  if (verdict.public) return verdict;
  return { public: false, description: `${form} form of ${inner.toString()}, ${verdict.description}` };
}

function judgeIPv6(address: IPv6): AddressVerdict {
  const range = address.range();
  const parts = address.parts;
  const wrapper = EMBEDDED_IN_LAST_32_BITS[range];
  if (wrapper) return judgeEmbedded(wrapper, ipv4FromParts(parts[6], parts[7]));
  if (range === 'rfc6052') {
    if (address.match(NAT64_WELL_KNOWN)) return judgeEmbedded('a NAT64', ipv4FromParts(parts[6], parts[7]));
    // 64:ff9b:1::/48 (RFC 8215) is a local-use prefix whose IPv4 position depends on the operator's
    // chosen prefix length, so the destination cannot be read reliably; it is never global anyway.
    return { public: false, description: 'a local-use NAT64 address' };
  }
  if (range === '6to4') return judgeEmbedded('a 6to4', ipv4FromParts(parts[1], parts[2]));
  if (range === 'teredo') {
    // 2001:0:<server v4>:<flags>:<port>:<client v4 with every bit inverted>. Traffic goes to both.
    const server = ipv4FromParts(parts[2], parts[3]);
    const client = ipv4FromParts(parts[6] ^ 0xffff, parts[7] ^ 0xffff);
    const serverVerdict = judgeEmbedded('a Teredo', server);
    return serverVerdict.public ? judgeEmbedded('a Teredo', client) : serverVerdict;
  }
  if (range !== 'unicast') {
    return { public: false, description: IPV6_DESCRIPTIONS[range] ?? `a special-purpose (${range}) address` };
  }
  if (address.match(IPV4_COMPATIBLE)) return judgeEmbedded('an IPv4-compatible', ipv4FromParts(parts[6], parts[7]));
  if (!address.match(GLOBAL_UNICAST)) return { public: false, description: 'an unassigned (non-global) address' };
  return { public: true };
}

/** Judges one IPv4 or IPv6 address string; anything that is not an address is not public. */
export function judgeAddress(address: string): AddressVerdict {
  const parsed = parse(address);
  if (!parsed) return { public: false, description: 'not a valid IP address' };
  return parsed.kind() === 'ipv4' ? judgeIPv4(parsed as IPv4) : judgeIPv6(parsed as IPv6);
}

export function isPublicUnicast(address: string): boolean {
  return judgeAddress(address).public;
}

/**
 * The IP address a URL hostname denotes, or null for a name. Expects `new URL(u).hostname`, where
 * WHATWG parsing has already turned every IPv4 spelling (decimal, octal, hex, short forms) into a
 * dotted quad and wrapped IPv6 in brackets; a raw host is normalised the same way first.
 */
export function hostToIpLiteral(hostname: string): string | null {
  const unbracketed = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIP(unbracketed)) return unbracketed;
  // A colon outside an IPv6 literal would be read as a port below.
  if (!hostname || unbracketed.includes(':')) return null;
  let normalised: string;
  try {
    normalised = new URL(`http://${hostname}/`).hostname;
  } catch {
    // Not even a valid host, so certainly not an IP literal.
    return null;
  }
  const inner = normalised.startsWith('[') ? normalised.slice(1, -1) : normalised;
  return isIP(inner) ? inner : null;
}
