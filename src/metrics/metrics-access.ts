import { ForbiddenError, UnauthorizedError } from '../common/errors';
import { hasScope, type Principal } from '../auth/scopes';

/**
 * Who may scrape /metrics: anyone when METRICS_PUBLIC=true, else an admin key. The route is
 * declared public for the guard (which still identifies a valid key), and this decides, since
 * the answer depends on configuration the static `@Access` declaration cannot read.
 */
export function assertMayScrape(metricsPublic: boolean, principal: Principal | undefined): void {
  if (metricsPublic) return;
  if (!principal)
    throw new UnauthorizedError(
      'Missing or invalid credentials: send Authorization: Bearer <admin key>, or set METRICS_PUBLIC=true',
    );
  if (!hasScope(principal, 'admin')) throw new ForbiddenError('This route needs the admin scope');
}
