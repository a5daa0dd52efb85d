import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { InvalidInputError } from './errors';
import { clientAddressIssue, nulIssue } from './input-safety';

/**
 * The one check of hostile bytes for every route, before anything reads the database: a
 * U+0000 in a path param, query value, read header or anywhere in the body, or a caller address
 * that is not an IP address, is 400 naming the field. It is an APP_GUARD of CommonModule, which
 * AppModule imports before AuthModule, so it runs before AccessGuard looks up keys and tokens.
 */
@Injectable()
export class InputSafetyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const issue =
      nulIssue({ params: request.params, query: request.query, body: request.body, headers: request.headers }) ??
      clientAddressIssue(request.ip);
    if (issue) throw new InvalidInputError(`${issue.field}: ${issue.message}`, [issue]);
    return true;
  }
}
