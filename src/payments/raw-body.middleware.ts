import { raw, type RequestHandler } from 'express';

export const INBOUND_PAYMENTS_PATH = '/api/inbound/payments';

/**
 * Keeps the inbound payment webhook's body as the exact bytes received, whatever its
 * content-type, and ahead of the global JSON parser: the signature is over those bytes, and it
 * must be checked before anything about the body is judged (malformed JSON from an unsigned
 * sender is a 401, not a 400). Compressed bodies are refused (415) rather than inflated, since
 * the signature would then cover bytes that were never sent.
 */
export function inboundRawBody(limit: string): RequestHandler {
  return raw({ type: () => true, limit, inflate: false });
}
