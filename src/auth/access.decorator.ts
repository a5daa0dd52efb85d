import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import { ACCESS_EXTENSION } from '../common/openapi/refine-document';
import type { Audience, Principal } from './scopes';

export const ACCESS_KEY = 'maitred:access';

/**
 * Declares who may call a route; admin keys may call every non-public route too. The same
 * declaration becomes the route's `security` (and its 401/403) in the OpenAPI document.
 */
export const Access = (...audiences: Audience[]) =>
  applyDecorators(SetMetadata(ACCESS_KEY, audiences), ApiExtension(ACCESS_EXTENSION, audiences));

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The authenticated caller, when there is one. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | undefined => context.switchToHttp().getRequest<Request>().principal,
);
