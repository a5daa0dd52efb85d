import { RESPONSE_BODY_LIMIT, storableResponseBody } from './response-body';

describe('storableResponseBody', () => {
  const cases: [string, string | null, string | null][] = [
    ['null stays null', null, null],
    ['plain text is kept', '{"ok":true}', '{"ok":true}'],
    ['NUL bytes are removed', 'ok\u0000body\u0000', 'okbody'],
    ['only NUL bytes become null', '\u0000\u0000', null],
    ['a lone high surrogate is replaced', 'a\uD800b', 'a\uFFFDb'],
    ['a lone low surrogate is replaced', 'a\uDC00b', 'a\uFFFDb'],
    ['a surrogate pair is kept', 'a\uD83D\uDE00b', 'a\uD83D\uDE00b'],
    ['U+FFFD from the decoder is kept', 'ok\uFFFD!', 'ok\uFFFD!'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(storableResponseBody(input)).toBe(expected);
  });

  it('keeps at most the limit in bytes, dropping a character the cut would split', () => {
    const body = `${'a'.repeat(RESPONSE_BODY_LIMIT - 1)}é and more`;
    const stored = storableResponseBody(body);
    expect(stored).toBe('a'.repeat(RESPONSE_BODY_LIMIT - 1));
    expect(Buffer.byteLength(stored ?? '', 'utf8')).toBeLessThanOrEqual(RESPONSE_BODY_LIMIT);
  });

  it('keeps a body of exactly the limit', () => {
    const body = 'é'.repeat(RESPONSE_BODY_LIMIT / 2);
    expect(storableResponseBody(body)).toBe(body);
  });
});
