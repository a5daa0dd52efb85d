import { isIP } from 'node:net';
import type { FieldIssue } from './errors';

/** The headers the API reads; each is checked like a body field and named as the client spells it. */
export const READ_HEADERS = ['Authorization', 'X-Guest-Token', 'Idempotency-Key', 'X-Forwarded-For'] as const;

/**
 * The first place a U+0000 occurs in a parsed value (keys included), named by its path
 * (`notes`, `eventTypes.1`, `body` for a bare string). PostgreSQL cannot store U+0000 in text,
 * and no field of this API has a use for it, so it is refused wherever it appears.
 */
export function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  // Parsed JSON is at most as deep as body-parser lets it be; the bound only guards against cycles.
  if (typeof value !== 'object' || value === null || depth > 64 || Buffer.isBuffer(value)) return undefined;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, item] of entries) {
    const child = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return child;
    const found = findNul(item, child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export interface InputParts {
  params: Record<string, unknown>;
  query: unknown;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** The field of a request that holds a U+0000, if any: path params, then query, headers and body. */
export function nulIssue(parts: InputParts): FieldIssue | undefined {
  const field =
    findNul(parts.params, '') ??
    findNul(parts.query, '') ??
    READ_HEADERS.map((name) => (findNul(parts.headers[name.toLowerCase()], name) === undefined ? undefined : name)).find(
      (name) => name !== undefined,
    ) ??
    findNul(parts.body, 'body');
  return field === undefined ? undefined : { field: field.replace(/^body\./, ''), message: 'must not contain U+0000' };
}

/**
 * The caller's address as the API keys per-caller state on (idempotency, rate limits). Behind
 * TRUST_PROXY it comes from X-Forwarded-For, which is the client's to write: anything but one
 * IP address is refused rather than stored.
 */
export function clientAddressIssue(ip: string | undefined): FieldIssue | undefined {
  if (ip === undefined || isIP(ip) !== 0) return undefined;
  return { field: 'X-Forwarded-For', message: 'must name the client by an IP address' };
}
