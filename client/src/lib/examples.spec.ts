import { exampleOf } from './examples';

const guest = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    partySize: { type: 'integer', minimum: 1 },
    email: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['waiting', 'seated', 'left'] },
    tableId: { type: ['string', 'null'] },
    checkedInAt: { type: 'string', format: 'date-time' },
    seatedAt: { type: ['string', 'null'] },
    paid: { type: 'boolean' },
  },
};

describe('example payloads from a JSON Schema', () => {
  it.each([
    [
      'a guest: ids with their prefix, a name, contact details null',
      { type: 'object', properties: { guest } },
      {
        guest: {
          id: 'gst_01JDX4Z8M3Q7K2V9R5T6W8Y0AB',
          name: 'Ada Lovelace',
          partySize: 4,
          email: null,
          status: 'waiting',
          tableId: 'tbl_01JDX4Z8M3Q7K2V9R5T6W8Y0AB',
          checkedInAt: '2026-11-28T19:30:00.000Z',
          seatedAt: '2026-11-28T19:30:00.000Z',
          paid: false,
        },
      },
    ],
    [
      'a nullable enum takes a real value',
      { type: 'object', properties: { reason: { enum: [null, 'cancelled'] } } },
      { reason: 'cancelled' },
    ],
    [
      'a union takes its first non-null member',
      { type: 'object', properties: { from: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 2 }] } } },
      { from: 2 },
    ],
    [
      'arrays get one item',
      { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } },
      { tags: ['tag'] },
    ],
  ])('%s', (_name, schema, expected) => {
    expect(exampleOf(schema)).toEqual(expected);
  });
});
