import { clientAddressIssue, findNul, nulIssue } from './input-safety';
import { withoutSqlDetails } from './log-safety';

describe('findNul', () => {
  it.each([
    ['a\u0000', 'body', 'body'],
    [{ name: 'a\u0000b' }, 'body', 'body.name'],
    [{ guest: { tags: ['ok', 'x\u0000'] } }, 'body', 'body.guest.tags.1'],
    [{ 'ke\u0000y': 'v' }, 'body', 'body.ke\u0000y'],
    [{ name: 'fine', n: 2, b: true, z: null }, 'body', undefined],
    [Buffer.from('a\u0000'), 'body', undefined],
  ])('%p → %p', (value, path, found) => expect(findNul(value, path)).toBe(found));
});

describe('nulIssue', () => {
  const clean = { params: { id: 'gst_1' }, query: { after: 'evt_1' }, body: { name: 'Anna' }, headers: {} };

  it('names the path param, query value, header or body field holding U+0000', () => {
    expect(nulIssue(clean)).toBeUndefined();
    expect(nulIssue({ ...clean, params: { id: 'g\u0000' } })?.field).toBe('id');
    expect(nulIssue({ ...clean, query: { types: ['a', 'b\u0000'] } })?.field).toBe('types.1');
    expect(nulIssue({ ...clean, headers: { 'idempotency-key': 'k\u0000' } })?.field).toBe('Idempotency-Key');
    expect(nulIssue({ ...clean, headers: { 'x-forwarded-for': '1.2.3.4\u0000' } })?.field).toBe('X-Forwarded-For');
    expect(nulIssue({ ...clean, body: { notes: '\u0000' } })).toEqual({ field: 'notes', message: 'must not contain U+0000' });
    expect(nulIssue({ ...clean, body: '\u0000' })?.field).toBe('body');
  });
});

describe('clientAddressIssue', () => {
  it.each([
    ['127.0.0.1', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    [undefined, false],
    ['x'.repeat(200), true],
    ['unknown', true],
    ['1.2.3.4, 5.6.7.8', true],
  ])('%p refused: %p', (ip, refused) => expect(clientAddressIssue(ip) !== undefined).toBe(refused));
});

describe('withoutSqlDetails', () => {
  it('drops SQL, bound parameters and the driver detail at every level', () => {
    const serialized = {
      type: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint',
      query: 'INSERT INTO guests ...',
      parameters: ['Anna', 'anna@example.com'],
      detail: 'Key (email)=(anna@example.com) already exists.',
      where: "unnamed portal parameter $2 = 'anna@example.com'",
      code: '23505',
      driverError: { code: '23505', parameters: ['anna@example.com'], detail: 'Key (email)=(anna@example.com)', query: 'x' },
      cause: { query: 'y', parameters: ['gtk_secret'] },
    };
    const safe = withoutSqlDetails(serialized);
    expect(JSON.stringify(safe)).not.toMatch(/anna@example\.com|gtk_secret|INSERT/);
    expect(safe).toMatchObject({ type: 'QueryFailedError', code: '23505', driverError: { code: '23505' } });
  });
});
