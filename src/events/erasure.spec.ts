import { eraseGuestFromEventData } from './erasure';

const GUEST = {
  id: 'gst_1',
  name: 'Zelda Quux',
  partySize: 2,
  email: 'z@example.com',
  phone: '+15550001',
  notes: 'window',
  status: 'waiting',
};
const OTHER = { ...GUEST, id: 'gst_2', name: 'Other Person' };

describe('eraseGuestFromEventData', () => {
  const cases: { title: string; type: string; data: unknown; expected: unknown }[] = [
    {
      title: 'a check-in: name blanked, contact details and notes nulled, the rest kept',
      type: 'guest.checked_in',
      data: { guest: GUEST },
      expected: { guest: { ...GUEST, name: '', email: null, phone: null, notes: null } },
    },
    {
      title: 'an update: the snapshot and the personal `changes` entries',
      type: 'guest.updated',
      data: {
        guest: GUEST,
        changes: {
          name: { from: 'Zelda', to: 'Zelda Quux' },
          phone: { from: null, to: '+15550001' },
          partySize: { from: 1, to: 2 },
        },
      },
      expected: {
        guest: { ...GUEST, name: '', email: null, phone: null, notes: null },
        changes: { name: { from: null, to: null }, phone: { from: null, to: null }, partySize: { from: 1, to: 2 } },
      },
    },
    {
      title: 'an offer: the nested guest only, the offer kept',
      type: 'offer.created',
      data: { offer: { id: 'off_1', guestId: 'gst_1', title: 'Drink' }, guest: GUEST },
      expected: {
        offer: { id: 'off_1', guestId: 'gst_1', title: 'Drink' },
        guest: { ...GUEST, name: '', email: null, phone: null, notes: null },
      },
    },
  ];

  it.each(cases)('$title', ({ type, data, expected }) => {
    const result = eraseGuestFromEventData(type, JSON.stringify(data), 'gst_1');
    expect(result).not.toBeNull();
    expect(JSON.parse(result ?? 'null')).toEqual(expected);
  });

  const untouched: { title: string; type: string; data: unknown }[] = [
    { title: "another guest's event", type: 'guest.checked_in', data: { guest: OTHER } },
    { title: "another guest's update", type: 'guest.updated', data: { guest: OTHER, changes: { name: { from: 'a', to: 'b' } } } },
    {
      title: 'a table that only names the guest id',
      type: 'table.status_changed',
      data: { table: { id: 'tbl_1', guestId: 'gst_1' } },
    },
    {
      title: 'an already erased event',
      type: 'guest.left',
      data: { guest: { ...GUEST, name: '', email: null, phone: null, notes: null } },
    },
  ];

  it.each(untouched)('leaves $title alone (null: nothing to write)', ({ type, data }) => {
    expect(eraseGuestFromEventData(type, JSON.stringify(data), 'gst_1')).toBeNull();
  });
});
