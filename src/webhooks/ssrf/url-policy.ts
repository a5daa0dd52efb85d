/**
 * The registration-time check of a webhook endpoint URL. It catches the obvious mistakes and
 * attacks early with a readable 400; the connect-time guard (guarded-lookup) is what actually keeps
 * deliveries off private networks, since DNS answers can change after registration.
 */
import { promises as dnsPromises } from 'node:dns';
import { hostToIpLiteral, judgeAddress } from './address-policy';

export type UrlCheckResult = { ok: true } | { ok: false; reason: string };

export type HostResolver = (host: string) => Promise<string[]>;

async function systemResolve(host: string): Promise<string[]> {
  const answers = await dnsPromises.lookup(host, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
}

function effectivePort(url: URL): string {
  if (url.port) return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

/** `localhost`, a name under `.localhost`, 127.0.0.1 in any spelling URL parsing normalises, or ::1. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const literal = hostToIpLiteral(host);
  return literal === '127.0.0.1' || literal === '::1';
}

/**
 * `allowedHosts` entries are `host:port` (`[::1]:8080` for IPv6), compared with the URL's normalised
 * host and its port (the scheme's default when the URL has none). Host names match literally (no
 * suffixes, no resolution), except loopback: an entry for one loopback spelling (localhost, 127.0.0.1,
 * [::1]) allows the others on the same port, since they all name this machine and a receiver on a
 * laptop is reached by whichever one the developer types.
 */
export function isAllowedHost(url: URL, allowedHosts: string[]): boolean {
  const port = effectivePort(url);
  const target = `${url.hostname}:${port}`;
  const loopback = isLoopbackHost(url.hostname);
  return allowedHosts.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === target) return true;
    const separator = entry.lastIndexOf(':');
    if (!loopback || separator <= 0 || entry.slice(separator + 1) !== port) return false;
    return isLoopbackHost(entry.slice(0, separator));
  });
}

/** How to let this URL through on purpose, for the refusal message. */
function allowHint(url: URL): string {
  return `; to deliver there anyway, start Maitred with WEBHOOK_ALLOWED_HOSTS=${url.hostname}:${effectivePort(url)}`;
}

export async function checkEndpointUrl(
  url: string,
  allowedHosts: string[],
  resolve: HostResolver = systemResolve,
): Promise<UrlCheckResult> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'url: must be an absolute http or https URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `url: scheme ${parsed.protocol.slice(0, -1)} is not allowed (use http or https)` };
  }
  if (parsed.username || parsed.password) {
    return { ok: false, reason: 'url: must not contain credentials (user:password@)' };
  }
  if (isAllowedHost(parsed, allowedHosts)) return { ok: true };

  const literal = hostToIpLiteral(parsed.hostname);
  if (literal !== null) {
    const verdict = judgeAddress(literal);
    return verdict.public ? { ok: true } : { ok: false, reason: `url: ${literal} is ${verdict.description}${allowHint(parsed)}` };
  }

  let addresses: string[];
  try {
    addresses = await resolve(parsed.hostname);
  } catch {
    // Names that do not resolve (yet) are accepted (the README says so): deliveries to them fail with `dns`,
    // and the connect-time guard judges whatever they resolve to later.
    return { ok: true };
  }
  if (addresses.length === 0) return { ok: true };
  const refusals: string[] = [];
  for (const address of addresses) {
    const verdict = judgeAddress(address);
    // One public address is enough here; the connect-time guard refuses the private ones.
    if (verdict.public) return { ok: true };
    refusals.push(`${address} is ${verdict.description}`);
  }
  return {
    ok: false,
    reason: `url: ${parsed.hostname} resolves only to non-public addresses (${refusals.join('; ')})${allowHint(parsed)}`,
  };
}
