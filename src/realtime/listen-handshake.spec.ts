import { HandshakeError, parseHandshake } from './listen-handshake';

const ID = 'evt_01M8V7JARQDVKHN8173N8ZV7AK';

describe('parseHandshake', () => {
  it.each([
    ['nothing: live from now, every type', { token: 'k' }, { after: undefined, types: undefined }],
    ['after an event', { after: ID }, { after: ID, types: undefined }],
    ['after null: from the first event', { after: null }, { after: null, types: undefined }],
    [
      'a filter',
      { events: ['guest.seated', 'guest.left'] },
      { after: undefined, types: new Set(['guest.seated', 'guest.left']) },
    ],
    ['an empty filter is every type', { events: [] }, { after: undefined, types: undefined }],
    ['no auth object at all', undefined, { after: undefined, types: undefined }],
  ])('%s', (_name, auth, expected) => {
    expect(parseHandshake(auth)).toEqual(expected);
  });

  it.each([
    ['after that is not an event id', { after: 'gst_01M8V7JARQDVKHN8173N8ZV7AK' }, 'invalid after'],
    ['after of the wrong type', { after: 42 }, 'invalid after'],
    ['events that is not a list', { events: 'guest.seated' }, 'invalid events: must be a list'],
    ['an unknown type', { events: ['guest.seated', 'guest.teleported'] }, 'unknown event type guest.teleported'],
    ['an operational type (not in the feed)', { events: ['delivery.exhausted'] }, 'unknown event type delivery.exhausted'],
    ['a non-string type', { events: [1] }, 'unknown event type 1'],
  ])('refuses %s', (_name, auth, message) => {
    expect(() => parseHandshake(auth)).toThrow(HandshakeError);
    expect(() => parseHandshake(auth)).toThrow(message);
  });
});
