import { replayTypes, replayWindow } from './replay-window';

const FEED = ['guest.checked_in', 'guest.updated', 'guest.seated', 'offer.created'];

describe('replayTypes', () => {
  it.each([
    ['an empty filter covers every feed type', [], undefined, FEED],
    [
      'a filter covers its types, in feed order',
      ['offer.created', 'guest.checked_in'],
      undefined,
      ['guest.checked_in', 'offer.created'],
    ],
    ['requested types narrow an empty filter', [], ['guest.seated'], ['guest.seated']],
    [
      'requested types narrow a filter',
      ['guest.checked_in', 'guest.seated'],
      ['guest.seated', 'offer.created'],
      ['guest.seated'],
    ],
    ['requested types outside the filter cover nothing', ['guest.checked_in'], ['offer.created'], []],
    ['an empty request covers nothing', [], [], []],
    ['operational types in the filter are never replayed', ['delivery.exhausted', 'endpoint.disabled'], undefined, []],
    ['operational types beside feed types are dropped', ['endpoint.disabled', 'guest.updated'], undefined, ['guest.updated']],
  ] as const)('%s', (_name, filter, requested, expected) => {
    expect(replayTypes(FEED, filter, requested)).toEqual(expected);
  });
});

describe('replayWindow', () => {
  const now = '2026-12-02T18:00:00.000Z';
  it.each([
    ['until defaults to now', '2026-12-02T17:00:00Z', undefined, { ok: true, since: '2026-12-02T17:00:00.000Z', until: now }],
    [
      'offsets become UTC with milliseconds, the stored spelling',
      '2026-12-02T18:00:00+01:00',
      '2026-12-02T17:30:00.5-00:30',
      { ok: true, since: '2026-12-02T17:00:00.000Z', until: '2026-12-02T18:00:00.500Z' },
    ],
    ['until equal to since is refused', '2026-12-02T17:00:00Z', '2026-12-02T17:00:00.000Z', { ok: false, field: 'until' }],
    ['until before since is refused', '2026-12-02T17:00:00Z', '2026-12-02T16:59:59Z', { ok: false, field: 'until' }],
    ['since in the future without until is refused', '2026-12-02T18:00:01Z', undefined, { ok: false, field: 'until' }],
  ] as const)('%s', (_name, since, until, expected) => {
    expect(replayWindow(since, until, now)).toMatchObject(expected);
  });
});
