import { attemptTraceparent, formatTraceparent, parseTraceparent, traceIdForEvent } from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const VALID = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe('parseTraceparent', () => {
  it.each([
    ['the spec example', `00-${TRACE}-${SPAN}-01`, { traceId: TRACE, spanId: SPAN, flags: '01' }],
    ['not sampled', `00-${TRACE}-${SPAN}-00`, { traceId: TRACE, spanId: SPAN, flags: '00' }],
    ['surrounding blanks', ` 00-${TRACE}-${SPAN}-01 `, { traceId: TRACE, spanId: SPAN, flags: '01' }],
    ['a later version with more fields', `01-${TRACE}-${SPAN}-01-what-comes`, { traceId: TRACE, spanId: SPAN, flags: '01' }],
    ['missing', undefined, null],
    ['empty', '', null],
    ['upper case', `00-${TRACE.toUpperCase()}-${SPAN}-01`, null],
    ['version ff', `ff-${TRACE}-${SPAN}-01`, null],
    ['version 00 with more fields', `00-${TRACE}-${SPAN}-01-extra`, null],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`, null],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`, null],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`, null],
  ])('%s', (_name, header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });

  it('round-trips what it formats', () => {
    const context = { traceId: TRACE, spanId: SPAN, flags: '01' };
    expect(parseTraceparent(formatTraceparent(context))).toEqual(context);
  });
});

describe('attemptTraceparent', () => {
  it('continues the stored trace with a new span per attempt', () => {
    const first = attemptTraceparent(`00-${TRACE}-${SPAN}-01`, 'evt_1');
    const second = attemptTraceparent(`00-${TRACE}-${SPAN}-01`, 'evt_1');
    expect(first).toMatch(VALID);
    expect(parseTraceparent(first)?.traceId).toBe(TRACE);
    expect(parseTraceparent(first)?.spanId).not.toBe(SPAN);
    expect(parseTraceparent(second)?.spanId).not.toBe(parseTraceparent(first)?.spanId);
  });

  it("without a stored context, keeps one trace per event: the event's own", () => {
    const a = parseTraceparent(attemptTraceparent(null, 'evt_1'));
    const b = parseTraceparent(attemptTraceparent(null, 'evt_1'));
    const other = parseTraceparent(attemptTraceparent(null, 'evt_2'));
    expect(a?.traceId).toBe(traceIdForEvent('evt_1'));
    expect(b?.traceId).toBe(a?.traceId);
    expect(other?.traceId).not.toBe(a?.traceId);
    expect(attemptTraceparent('garbage', 'evt_1')).toMatch(VALID);
  });
});
