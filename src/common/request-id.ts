import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

// `req.id` is declared by pino-http, which logs it with every line of the request.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (the caller's `x-request-id` when sane) and echoes it in the response. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && ACCEPTABLE.test(incoming) ? incoming : randomUUID();
  req.id = id;
  res.setHeader('x-request-id', id);
  next();
}
