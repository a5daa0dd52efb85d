import { describeEvent } from './events';

describe('event stream lines', () => {
  it('summarises each event type for a host', () => {
    expect(describeEvent({ type: 'guest.checked_in', data: { guest: { name: 'Anna', partySize: 3 } } })).toBe(
      'Anna checked in, party of 3',
    );
    expect(describeEvent({ type: 'guest.seated', data: { guest: { name: 'Anna' }, table: { label: 'T4' } } })).toBe(
      'Anna seated at T4',
    );
    expect(
      describeEvent({
        type: 'table.status_changed',
        data: { table: { label: 'T4', status: 'free' }, previousStatus: 'cleaning' },
      }),
    ).toBe('Table T4: cleaning → free');
    expect(describeEvent({ type: 'guest.updated', data: { guest: { name: 'Bo' }, changes: { email: {}, phone: {} } } })).toBe(
      'Bo updated email, phone',
    );
    expect(
      describeEvent({ type: 'payment.received', data: { guest: { name: 'Bo' }, payment: { amount: 4250, currency: 'EUR' } } }),
    ).toBe('Bo paid 42.50 EUR');
    expect(describeEvent({ type: 'offer.created', data: { guest: { name: 'Bo' }, offer: { title: 'Free drink' } } })).toBe(
      'Offer for Bo: Free drink',
    );
  });

  it('survives unexpected shapes', () => {
    expect(describeEvent({ type: 'guest.left', data: {} })).toBe('A guest left (no reason)');
    expect(describeEvent({ type: 'something.new', data: {} })).toBe('something.new');
  });
});
