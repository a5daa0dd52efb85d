import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Audience, Principal } from './scopes';

export const ACCESS_KEY = 'maitred:access';

/** Declares who may call a route; admin keys may call every non-public route too. */
export const Access = (...audiences: Audience[]) => SetMetadata(ACCESS_KEY, audiences);

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The authenticated caller, when there is one. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | undefined => context.switchToHttp().getRequest<Request>().principal,
);
