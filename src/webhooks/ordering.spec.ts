import { orderingKeyOf, orderingKeySql } from './ordering';

describe('orderingKeyOf', () => {
  const cases: [string, unknown, string | null][] = [
    ['a guest event: its guest', { guest: { id: 'gst_1' } }, 'gst_1'],
    ['a seat: the guest, not the table', { guest: { id: 'gst_1' }, table: { id: 'tbl_1', guestId: 'gst_1' } }, 'gst_1'],
    ['guest.erased: guestId', { guestId: 'gst_2' }, 'gst_2'],
    ['a table event with a guest: the guest', { table: { id: 'tbl_1', guestId: 'gst_3' }, previousStatus: 'free' }, 'gst_3'],
    ['a table event without a guest: the table', { table: { id: 'tbl_1', guestId: null }, previousStatus: 'occupied' }, 'tbl_1'],
    ['an offer: its guest', { offer: { id: 'off_1', guestId: 'gst_4' }, guest: { id: 'gst_4' } }, 'gst_4'],
    ['an operational event: none', { endpointId: 'ep_1', reason: 'gone' }, null],
    ['a test event: none', { endpointId: 'ep_1', message: 'hi' }, null],
    ['an empty id: none', { guest: { id: '' } }, null],
    ['not an object: none', null, null],
  ];
  it.each(cases)('%s', (_, data, key) => {
    expect(orderingKeyOf(data)).toBe(key);
  });
});

describe('orderingKeySql', () => {
  it('reads the same paths in the same order on both dialects', () => {
    expect(orderingKeySql(false, 'e.data')).toBe(
      "COALESCE(NULLIF(json_extract(e.data, '$.guest.id'), ''), NULLIF(json_extract(e.data, '$.guestId'), ''), " +
        "NULLIF(json_extract(e.data, '$.table.guestId'), ''), NULLIF(json_extract(e.data, '$.table.id'), ''))",
    );
    expect(orderingKeySql(true, 'e.data')).toContain("NULLIF(e.data::jsonb #>> '{table,guestId}', '')");
  });
});
