import { ForbiddenError, UnauthorizedError } from '../common/errors';
import type { Principal, Scope } from '../auth/scopes';
import { assertMayScrape } from './metrics-access';

const key = (scopes: Scope[]): Principal => ({
  kind: 'key',
  keyId: 'key_1',
  name: 'k',
  scopes,
});

describe('assertMayScrape', () => {
  const cases: [string, boolean, Principal | undefined, (new (...args: never[]) => Error) | null][] = [
    ['public: no key', true, undefined, null],
    ['public: a staff key', true, key(['staff']), null],
    ['private: an admin key', false, key(['admin']), null],
    ['private: no key', false, undefined, UnauthorizedError],
    ['private: a staff key', false, key(['staff']), ForbiddenError],
    ['private: a guest', false, { kind: 'guest', guestId: 'gst_1' }, ForbiddenError],
  ];

  it.each(cases)('%s', (_name, metricsPublic, principal, error) => {
    if (error) expect(() => assertMayScrape(metricsPublic, principal)).toThrow(error);
    else expect(() => assertMayScrape(metricsPublic, principal)).not.toThrow();
  });
});
