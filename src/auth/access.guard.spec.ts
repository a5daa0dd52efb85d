import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../common/errors';
import { Access } from './access.decorator';
import { AccessGuard, forbiddenMessage } from './access.guard';
import { ApiKeysService } from './api-keys.service';
import { GuestTokensService } from './guest-tokens.service';

class Routes {
  undeclared(): void {
    /* a route that forgot @Access */
  }
  @Access('public')
  open(): void {
    /* a public route */
  }
}

/** The context Nest builds for a call to that route: the guard sees the bare method, never called. */
function contextFor(route: keyof Routes): ExecutionContext {
  const handler: unknown = Reflect.get(Routes.prototype, route);
  const request = { headers: {}, params: {} };
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('AccessGuard', () => {
  const guard = new AccessGuard(new Reflector(), {} as ApiKeysService, {} as GuestTokensService);

  it('refuses a route that declares no access (fails closed)', async () => {
    await expect(guard.canActivate(contextFor('undeclared'))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets anyone call a route declared public', async () => {
    await expect(guard.canActivate(contextFor('open'))).resolves.toBe(true);
  });
});

describe('forbiddenMessage', () => {
  it.each([
    [['endpoints'], 'This route needs the endpoints scope'],
    [['staff', 'guest'], "This route needs one of: the staff scope, that guest's token"],
    [['staff', 'offers'], 'This route needs one of: the staff scope, the offers scope'],
  ] as const)('%j → %s', (audiences, message) => {
    expect(forbiddenMessage([...audiences])).toBe(message);
  });
});
