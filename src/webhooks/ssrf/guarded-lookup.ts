/**
 * The connect-time SSRF guard. Checking a URL when it is registered is not enough: the name can
 * resolve to something else at delivery time (DNS rebinding). So the check runs inside the DNS
 * lookup that the socket itself uses — the address judged is the address connected to.
 *
 * Node skips the lookup for IP-literal hosts, so those are checked with `assertPublicAddress`
 * (done for you by `createGuardedConnector`).
 */
import * as dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { BLOCKED_ADDRESS_CODE, judgeAddress } from './address-policy';

export { BLOCKED_ADDRESS_CODE };

export class BlockedAddressError extends Error {
  readonly code = BLOCKED_ADDRESS_CODE;

  constructor(
    readonly address: string,
    description: string,
    readonly hostname?: string,
  ) {
    super(
      hostname && hostname !== address
        ? `${hostname} resolves to ${address}, ${description}; connection blocked`
        : `${address} is ${description}; connection blocked`,
    );
    this.name = 'BlockedAddressError';
  }
}

/** Throws a `BlockedAddressError` (code `EBLOCKEDADDRESS`) unless `ip` is public unicast. */
export function assertPublicAddress(ip: string, hostname?: string): void {
  const verdict = judgeAddress(ip);
  if (!verdict.public) throw new BlockedAddressError(ip, verdict.description, hostname);
}

function firstBlocked(addresses: string[], hostname: string): BlockedAddressError | null {
  for (const address of addresses) {
    const verdict = judgeAddress(address);
    if (!verdict.public) return new BlockedAddressError(address, verdict.description, hostname);
  }
  return null;
}

/**
 * A `net.LookupFunction` that resolves through `baseLookup` and fails with `EBLOCKEDADDRESS` when
 * any resolved address is non-public. It fails rather than filtering: a name that mixes public and
 * private answers is an attack or a misconfiguration, and either should show up as such.
 */
export function createGuardedLookup(baseLookup: LookupFunction = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    baseLookup(hostname, options, (err, address, family) => {
      if (err) {
        callback(err, address, family);
        return;
      }
      const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
      const blocked = firstBlocked(addresses, hostname);
      if (blocked) {
        callback(blocked, options.all ? [] : '', family);
        return;
      }
      callback(null, address, family);
    });
  };
}

/**
 * An undici connector (`new Agent({ connect: createGuardedConnector({ timeout }) })`) that applies
 * both checks: IP-literal hosts are judged directly, names through the guarded lookup.
 */
export function createGuardedConnector(
  options: buildConnector.BuildOptions = {},
  baseLookup?: LookupFunction,
): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: createGuardedLookup(baseLookup) });
  return (connectOptions, callback) => {
    // undici passes IPv6 literals without brackets.
    if (isIP(connectOptions.hostname)) {
      const verdict = judgeAddress(connectOptions.hostname);
      if (!verdict.public) {
        callback(new BlockedAddressError(connectOptions.hostname, verdict.description), null);
        return;
      }
    }
    connect(connectOptions, callback);
  };
}
