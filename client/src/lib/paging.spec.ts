import { countdown, isPaged } from './paging';

describe('paging helpers', () => {
  const at = Date.parse('2026-01-01T12:00:00.000Z');
  it.each<[string, string | null, string | null]>([
    ['ten minutes', '2026-01-01T12:10:00.000Z', '10:00'],
    ['a part second rounds up', '2026-01-01T12:00:00.400Z', '0:01'],
    ['ninety seconds', '2026-01-01T12:01:30.000Z', '1:30'],
    ['exactly now', '2026-01-01T12:00:00.000Z', null],
    ['past', '2026-01-01T11:59:00.000Z', null],
    ['no hold', null, null],
  ])('countdown: %s', (_, until, text) => {
    expect(countdown(until, at)).toBe(text);
  });

  it.each<[string, Parameters<typeof isPaged>[0], boolean]>([
    ['paged and waiting', { status: 'waiting', notifiedAt: 'x', holdUntil: 'y' }, true],
    ['waiting, never paged', { status: 'waiting', notifiedAt: null, holdUntil: null }, false],
    ['paged, then seated', { status: 'seated', notifiedAt: 'x', holdUntil: 'y' }, false],
  ])('isPaged: %s', (_, guest, paged) => {
    expect(isPaged(guest)).toBe(paged);
  });
});
