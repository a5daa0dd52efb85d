/** The most of a response body the attempt log keeps, in UTF-8 bytes. */
export const RESPONSE_BODY_LIMIT = 4 * 1024;

/** A UTF-16 surrogate without its partner: not a character, and not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A response body as the attempt log can store it on either dialect: without U+0000 (PostgreSQL
 * rejects it in text), with anything that is not a character replaced by U+FFFD, and at most
 * RESPONSE_BODY_LIMIT bytes (a character the cut would split is dropped). Empty is null.
 */
export function storableResponseBody(body: string | null): string | null {
  if (body === null) return null;
  let text = body.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
  if (Buffer.byteLength(text, 'utf8') > RESPONSE_BODY_LIMIT) {
    const cut = Buffer.from(text, 'utf8').subarray(0, RESPONSE_BODY_LIMIT).toString('utf8');
    // A split character decodes to a trailing U+FFFD: drop it rather than invent one.
    text = cut.endsWith('\uFFFD') && !text.startsWith(cut) ? cut.slice(0, -1) : cut;
  }
  return text.length === 0 ? null : text;
}
