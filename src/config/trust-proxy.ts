import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/** The names Express's `trust proxy` (proxy-addr) knows for address ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const slash = entry.indexOf('/');
  // Dotted quads and IPv6 only, as proxy-addr checks them (ipaddr.js alone would take `1.5`).
  if (slash === -1) return isIP(entry) !== 0;
  const address = entry.slice(0, slash);
  const range = entry.slice(slash + 1);
  const version = isIP(address);
  if (version === 0) return false;
  if (/^\d+$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  // proxy-addr also takes an IPv4 netmask (10.0.0.0/255.0.0.0).
  return version === 4 && isIP(range) === 4 && ipaddr.IPv4.parse(range).prefixLengthFromSubnetMask() !== null;
}

/**
 * TRUST_PROXY as Express's `trust proxy` takes it: `true`/`false`, a number of hops, or a
 * comma-separated list of addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
 * Returns undefined when unset, null when malformed (boot then names the variable).
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string | undefined | null {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const entries = trimmed.split(',').map((entry) => entry.trim());
  return entries.every(isAddressOrRange) ? entries.join(',') : null;
}
