import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './error-response';

/** What each status means when a route does not say more. */
const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` names each field',
  401: 'Missing or invalid credentials',
  403: 'The credentials lack the scope this route needs',
  404: 'Not found (or not yours)',
  409: 'Conflicts with the current state',
  413: 'Request body over 64 KiB',
  429: 'Too many requests',
  502: 'An upstream service refused the request',
  503: 'A dependency is unavailable; try again shortly',
};

/**
 * Declares error statuses with the shared ErrorResponse body: `@ApiErrors(404, 409)`, or
 * `@ApiErrors({ 409: 'Not seated' })` to say what the status means on this route.
 */
export function ApiErrors(...statuses: (number | Record<number, string>)[]): MethodDecorator & ClassDecorator {
  const entries: [number, string][] = statuses.flatMap((status) =>
    typeof status === 'number'
      ? [[status, DEFAULT_DESCRIPTIONS[status] ?? 'Error'] as [number, string]]
      : Object.entries(status).map(([code, description]) => [Number(code), description] as [number, string]),
  );
  return applyDecorators(...entries.map(([status, description]) => ApiResponse({ status, description, type: ErrorResponse })));
}

export { DEFAULT_DESCRIPTIONS as ERROR_DESCRIPTIONS };
