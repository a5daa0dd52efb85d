import { mapFieldIssues, readableMessage, topLevelField } from './errors';

describe('mapping API field errors onto a form', () => {
  it('puts each issue next to its top-level field, first message wins', () => {
    const mapped = mapFieldIssues(
      [
        { field: 'partySize', message: 'partySize must be a whole number' },
        { field: 'partySize', message: 'partySize must not be less than 1' },
        { field: 'email', message: 'email must be an email address' },
        { field: 'eventTypes.0', message: 'eventTypes must be among guest.checked_in, guest.seated' },
      ],
      ['name', 'partySize', 'email', 'eventTypes'],
    );
    expect(mapped.byField).toEqual({
      partySize: 'Must be a whole number',
      email: 'Must be an email address',
      eventTypes: 'Must be among guest.checked_in, guest.seated',
    });
    expect(mapped.other).toEqual([]);
  });

  it('keeps issues about fields the form does not show, so they are not lost', () => {
    const mapped = mapFieldIssues([{ field: 'body', message: 'must be a JSON object' }], ['name']);
    expect(mapped.byField).toEqual({});
    expect(mapped.other).toEqual(['body: must be a JSON object']);
  });

  it('handles missing details', () => {
    expect(mapFieldIssues(undefined, ['name'])).toEqual({ byField: {}, other: [] });
  });

  it('drops the field name the label already shows and capitalises', () => {
    expect(readableMessage('name', 'name must be 1 to 80 characters')).toBe('Must be 1 to 80 characters');
    expect(readableMessage('url', 'must be an absolute http(s) URL')).toBe('Must be an absolute http(s) URL');
    expect(readableMessage('eventTypes.1', 'eventTypes must be unique')).toBe('Must be unique');
    expect(topLevelField('attempts[0].at')).toBe('attempts');
  });
});
