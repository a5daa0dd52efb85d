import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '../common/errors';
import { ACCESS_KEY } from './access.decorator';
import { ApiKeysService } from './api-keys.service';
import { GuestTokensService } from './guest-tokens.service';
import { Audience, Principal, hasScope, isScope } from './scopes';

/**
 * Authenticates `Authorization: Bearer <key>` or `X-Guest-Token` and enforces the route's
 * `@Access(...)`: 401 for missing or invalid credentials, 403 for valid ones without the scope.
 * It fails closed: a route without `@Access` is refused, so forgetting the declaration cannot
 * publish a route. On `@Access('public')` routes a valid key still identifies its caller.
 */
/** "This route needs the endpoints scope", or "… needs one of: the staff scope, that guest's token". */
export function forbiddenMessage(audiences: Audience[]): string {
  const names = audiences.map((audience) => (audience === 'guest' ? "that guest's token" : `the ${audience} scope`));
  return `This route needs ${names.length === 1 ? names[0] : `one of: ${names.join(', ')}`}`;
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly guestTokens: GuestTokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const audiences = this.reflector.getAllAndOverride<Audience[] | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!audiences || audiences.length === 0) throw new ForbiddenError('This route declares no access and is refused');
    const isPublic = audiences.includes('public');

    const principal = await this.authenticate(request, audiences.includes('guest'));
    if (principal === 'invalid') {
      if (isPublic) return true;
      throw new UnauthorizedError('Invalid credentials');
    }
    request.principal = principal;
    if (isPublic) return true;
    if (!principal) throw new UnauthorizedError('Missing credentials: send Authorization: Bearer <api key>');

    const allowed = audiences.some((audience) => {
      if (audience === 'guest') return principal.kind === 'guest' && principal.guestId === request.params.id;
      return isScope(audience) && hasScope(principal, audience);
    });
    if (!allowed) {
      throw new ForbiddenError(forbiddenMessage(audiences));
    }
    return true;
  }

  private async authenticate(request: Request, guestAllowed: boolean): Promise<Principal | undefined | 'invalid'> {
    const header = request.headers.authorization;
    if (typeof header === 'string' && header.length > 0) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) return 'invalid';
      return (await this.apiKeys.verify(match[1])) ?? 'invalid';
    }
    const guestToken = request.headers['x-guest-token'];
    if (typeof guestToken === 'string' && guestToken.length > 0) {
      const guestId = request.params.id;
      // A guest token only means something next to the guest it was issued for.
      if (!guestAllowed || typeof guestId !== 'string') return 'invalid';
      return (await this.guestTokens.verify(guestId, guestToken)) ? { kind: 'guest', guestId } : 'invalid';
    }
    return undefined;
  }
}
