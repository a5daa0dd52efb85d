import { Clock } from '../common/clock';
import {
  decideConfirm,
  holdEndsAt,
  HoldableTable,
  isHeldFor,
  isNoShow,
  PageableGuest,
  whyNotHold,
  whyNotNotify,
  whyNotSeatAtHeld,
} from './hold-rules';

const TEN_MINUTES = 10 * 60_000;

/** A guest paged on `clock` now, holding for ten minutes. */
function paged(clock: Clock, extra: Partial<PageableGuest> = {}): PageableGuest {
  return {
    status: 'waiting',
    notifiedAt: clock.iso(),
    holdUntil: holdEndsAt(clock.nowMs(), TEN_MINUTES),
    confirmedAt: null,
    ...extra,
  };
}

const fresh: PageableGuest = { status: 'waiting', notifiedAt: null, holdUntil: null, confirmedAt: null };

describe('hold rules', () => {
  describe('notify', () => {
    it.each<[string, PageableGuest, RegExp | null]>([
      ['a waiting guest', fresh, null],
      ['a seated guest', { ...fresh, status: 'seated' }, /seated, not waiting/],
      ['a guest who left', { ...fresh, status: 'left' }, /left, not waiting/],
      [
        'a guest already paged',
        { ...fresh, notifiedAt: '2026-01-01T12:00:00.000Z', holdUntil: '2026-01-01T12:10:00.000Z' },
        /already paged/,
      ],
    ])('%s', (_, guest, reason) => {
      const result = whyNotNotify(guest);
      if (reason === null) expect(result).toBeNull();
      else expect(result).toMatch(reason);
    });
  });

  describe('holding a table', () => {
    const table = (extra: Partial<HoldableTable>): HoldableTable => ({
      label: 'T1',
      capacity: 4,
      status: 'free',
      guestId: null,
      ...extra,
    });
    it.each<[string, HoldableTable, number, RegExp | null]>([
      ['a free table that fits', table({}), 4, null],
      ['a free table too small', table({ capacity: 2 }), 3, /seats 2, the party is 3/],
      ['an occupied table', table({ status: 'occupied', guestId: 'gst_x' }), 2, /occupied/],
      ['a reserved table', table({ status: 'reserved' }), 2, /reserved/],
      ['a table being cleaned', table({ status: 'cleaning' }), 2, /cleaning/],
    ])('%s', (_, candidate, partySize, reason) => {
      const result = whyNotHold(candidate, partySize);
      if (reason === null) expect(result).toBeNull();
      else expect(result).toMatch(reason);
    });

    it.each<[string, HoldableTable, string, RegExp | null, boolean]>([
      ['held for this guest', table({ status: 'reserved', guestId: 'gst_a' }), 'gst_a', null, true],
      ['held for another guest', table({ status: 'reserved', guestId: 'gst_b' }), 'gst_a', /held for another guest/, false],
      ['reserved by staff for nobody', table({ status: 'reserved' }), 'gst_a', null, false],
      ['free', table({}), 'gst_a', null, false],
    ])('seating at a table %s', (_, candidate, guestId, reason, held) => {
      const result = whyNotSeatAtHeld(candidate, guestId);
      if (reason === null) expect(result).toBeNull();
      else expect(result).toMatch(reason);
      expect(isHeldFor(candidate, guestId)).toBe(held);
    });
  });

  describe('with a moved clock', () => {
    // [what, minutes the clock moves after paging, the guest then, confirm outcome, no-show?]
    const cases: [string, number, Partial<PageableGuest>, string, boolean][] = [
      ['just paged', 0, {}, 'confirm', false],
      ['nine minutes in', 9, {}, 'confirm', false],
      ['a second before the end', 10 - 1 / 60, {}, 'confirm', false],
      ['exactly at the end', 10, {}, 'refuse', true],
      ['long after the end', 60, {}, 'refuse', true],
      ['confirmed, before the end', 5, { confirmedAt: 'set' }, 'already', false],
      ['confirmed, after the end (still a no-show)', 11, { confirmedAt: 'set' }, 'refuse', true],
      ['seated before the end', 11, { status: 'seated' }, 'refuse', false],
      ['gone before the end', 11, { status: 'left' }, 'refuse', false],
    ];

    it.each(cases)('%s', (_, minutes, extra, confirm, noShow) => {
      const clock = new Clock();
      const guest = paged(clock, extra.confirmedAt ? { ...extra, confirmedAt: clock.iso() } : extra);
      clock.advance(minutes * 60_000);
      expect(decideConfirm(guest, clock.nowMs()).kind).toBe(confirm);
      expect(isNoShow(guest, clock.nowMs())).toBe(noShow);
    });

    it('refuses to confirm a guest who was never paged, at any time', () => {
      const clock = new Clock();
      expect(decideConfirm(fresh, clock.nowMs())).toEqual({ kind: 'refuse', reason: 'they have not been paged' });
      clock.advance(TEN_MINUTES * 6);
      expect(isNoShow(fresh, clock.nowMs())).toBe(false);
    });

    it('ends the hold TABLE_HOLD after paging', () => {
      const clock = new Clock();
      clock.advance(123_456);
      // One reading of the clock: two could fall a millisecond apart.
      const now = clock.nowMs();
      expect(Date.parse(holdEndsAt(now, TEN_MINUTES)) - now).toBe(TEN_MINUTES);
    });
  });
});
