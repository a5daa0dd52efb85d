/**
 * An example `data` for an event type, made from its JSON Schema (the catalogue's), so the portal
 * shows a payload of the right shape for every type, new ones included. Values are chosen by field
 * name where a name says what it is (ids with their prefix, a guest's name, a party size), and a
 * nullable field gets a value rather than null, except contact details, which webhooks carry only
 * with consent.
 */
type Schema = Record<string, unknown>;

const ID_PREFIXES: Record<string, string> = {
  guest: 'gst',
  table: 'tbl',
  event: 'evt',
  endpoint: 'ep',
  delivery: 'dlv',
  offer: 'off',
  payment: 'pay',
  heldTable: 'tbl',
};
const ULID_BODY = '01JDX4Z8M3Q7K2V9R5T6W8Y0AB';
const AT = '2026-11-28T19:30:00.000Z';

const BY_NAME: Record<string, unknown> = {
  name: 'Ada Lovelace',
  partySize: 4,
  capacity: 4,
  label: 'T4',
  title: 'A glass of cava while you wait',
  description: 'On the house, at the bar.',
  message: 'Your table is ready',
  currency: 'EUR',
  amount: 8450,
  position: 2,
  quotedWaitMinutes: 15,
  quotedWaitAtCheckIn: 15,
  actualWaitMinutes: 12,
  email: null,
  phone: null,
  notes: null,
};

function typesOf(schema: Schema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

function idFor(field: string, parent: string | undefined): string | undefined {
  if (field === 'paymentId') return `pay_${ULID_BODY}`;
  const owner = field === 'id' ? parent : field.endsWith('Id') ? field.slice(0, -2) : undefined;
  const prefix = owner ? ID_PREFIXES[owner] : undefined;
  return prefix ? `${prefix}_${ULID_BODY}` : undefined;
}

export function exampleOf(schema: Schema, field = '', parent?: string): unknown {
  const id = idFor(field, parent);
  if (id) return id;
  if (Object.prototype.hasOwnProperty.call(BY_NAME, field)) return BY_NAME[field];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const members = options as Schema[];
      const first = members.find((option) => !typesOf(option).every((t) => t === 'null')) ?? members.at(0);
      if (first) return exampleOf(first, field, parent);
    }
  }
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).find((value) => value !== null) ?? null;
  const types = typesOf(schema).filter((t) => t !== 'null');
  const type = types[0] ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(
        Object.entries(properties).map(([name, child]) => [name, exampleOf(child, name, field || undefined)]),
      );
    }
    case 'array':
      return schema.items ? [exampleOf(schema.items as Schema, field.replace(/s$/, ''), parent)] : [];
    case 'string':
      return schema.format === 'date-time' || field.endsWith('At') || field === 'holdUntil' ? AT : field || 'text';
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.max(schema.minimum, 1) : 1;
    case 'boolean':
      return false;
    default:
      return null;
  }
}
