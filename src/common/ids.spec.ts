import { encodeTime } from 'ulid';
import { ID_RANGE_CHARS, newId, newIdRange } from './ids';

const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]+$/;

describe('ids', () => {
  let now: number;

  beforeEach(() => {
    now = Date.parse('2026-12-02T06:00:00.000Z');
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });

  afterEach(() => jest.restoreAllMocks());

  it('are prefixed ULIDs whose time part is the millisecond they were made in', () => {
    const id = newId('gst');
    expect(id).toMatch(/^gst_[0-9A-Z]{26}$/);
    const ulid = id.slice(4);
    expect(ulid).toMatch(CROCKFORD);
    expect(ulid.slice(0, 10)).toBe(encodeTime(now, 10));
    // A fresh millisecond starts below half the random range, so counting up cannot run out.
    now += 1;
    expect('0123456789ABCDEFG').toContain(newId('gst').slice(14, 15));
  });

  it('count up within one millisecond: unique, strictly increasing, one apart', () => {
    now += 10;
    const ids = Array.from({ length: 5_000 }, () => newId('evt'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const value = (id: string) =>
      id
        .slice(14)
        .split('')
        .reduce((sum, char) => sum * 32n + BigInt('0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(char)), 0n);
    const steps = new Set(ids.slice(1).map((id, i) => value(id) - value(ids[i])));
    expect(steps).toEqual(new Set([1n]));
  });

  it('sort by time across milliseconds, and keep counting up when the clock steps back', () => {
    const ids: string[] = [];
    for (let ms = 0; ms < 200; ms += 1) {
      now += 1;
      for (let i = 0; i < 5; i += 1) ids.push(newId('dlv'));
    }
    now -= 1_000;
    ids.push(newId('dlv'), newId('dlv'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('fresh milliseconds start at different random values', () => {
    const starts = new Set<string>();
    for (let i = 0; i < 500; i += 1) {
      now += 1;
      starts.add(newId('tbl').slice(14));
    }
    expect(starts.size).toBe(500);
  });

  it('give ranges that no other id falls into, sorting with the ids around them', () => {
    now += 1_000;
    const before = newId('dlv');
    const range = newIdRange('dlv');
    const after = newId('dlv');
    expect(range).toHaveLength(4 + 26 - ID_RANGE_CHARS);
    const first = `${range}${'0'.repeat(ID_RANGE_CHARS)}`;
    const last = `${range}${'Z'.repeat(ID_RANGE_CHARS)}`;
    expect(before < first).toBe(true);
    expect(last < after).toBe(true);
  });
});
