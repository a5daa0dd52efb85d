import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DomainError, FieldIssue } from './errors';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: FieldIssue[];
  requestId: string | undefined;
}

/** Errors thrown by body-parser carry a status and a type; they are the client's fault. */
interface BodyParserError {
  status: number;
  type: string;
  message: string;
}

function isBodyParserError(value: unknown): value is BodyParserError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BodyParserError).status === 'number' &&
    typeof (value as BodyParserError).type === 'string'
  );
}

/** Connection-level failures mean the database is unreachable: 503, not 500. */
const DB_UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'SQLITE_BUSY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '53300',
  '57014',
]);

/**
 * PostgreSQL data errors caused by a value the client sent (U+0000, untranslatable text, text over
 * a column's length). The global input checks should catch these first; this is the backstop.
 */
const CLIENT_DATA_CODES = new Set(['22021', '22P05', '22001']);

function databaseCode(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  return candidate.code ?? candidate.driverError?.code;
}

export function isClientDataError(error: unknown): boolean {
  const code = databaseCode(error);
  return typeof code === 'string' && CLIENT_DATA_CODES.has(code);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = candidate.code ?? candidate.driverError?.code;
  if (typeof code === 'string' && DB_UNAVAILABLE_CODES.has(code)) return true;
  const message = typeof candidate.message === 'string' ? candidate.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|database connection|The database connection is not open/i.test(
    message,
  );
}

/** The single place where errors become the one error shape (ErrorResponse in the OpenAPI document). */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<Request>();
    const response = context.getResponse<Response>();
    // pino-http sets the id; a request that failed before it (or outside it) has none.
    const id: unknown = (request as { id?: unknown }).id;
    const requestId = typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
    const body = this.toBody(exception, requestId);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId, path: request.originalUrl }, 'request failed');
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  private toBody(thrown: unknown, requestId: string | undefined): ErrorBody {
    let exception = thrown;
    const shape = (statusCode: number, message: string, details: FieldIssue[] = []): ErrorBody => ({
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message,
      details,
      requestId,
    });

    // Nest wraps body-parser's errors in an HttpException; the original says what went wrong.
    const cause = exception instanceof HttpException ? exception.cause : undefined;
    if (isBodyParserError(cause)) exception = cause;

    if (exception instanceof DomainError) {
      return shape(exception.status, exception.message, exception.details);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload: unknown = exception.getResponse();
      if (typeof payload === 'object' && payload !== null) {
        const record = payload as { message?: unknown; details?: unknown };
        const message = Array.isArray(record.message)
          ? record.message.join('; ')
          : typeof record.message === 'string'
            ? record.message
            : exception.message;
        const details = Array.isArray(record.details) ? (record.details as FieldIssue[]) : [];
        return shape(status, message, details);
      }
      return shape(status, typeof payload === 'string' ? payload : exception.message);
    }
    if (isBodyParserError(exception) && exception.status >= 400 && exception.status < 500) {
      if (exception.type === 'entity.too.large') {
        return shape(HttpStatus.PAYLOAD_TOO_LARGE, 'Request body exceeds the 64 KiB limit', [
          { field: 'body', message: 'must be at most 64 KiB' },
        ]);
      }
      if (exception.type === 'entity.parse.failed') {
        return shape(HttpStatus.BAD_REQUEST, 'Malformed JSON in request body', [
          { field: 'body', message: 'must be valid JSON' },
        ]);
      }
      return shape(exception.status, exception.message);
    }
    if (isClientDataError(exception)) {
      // Never the SQL or the driver's text: both can quote the client's values back.
      return shape(HttpStatus.BAD_REQUEST, 'A value is too long or contains characters that cannot be stored', [
        { field: 'body', message: 'must fit its field and contain no U+0000' },
      ]);
    }
    if (isDatabaseUnavailable(exception)) {
      return shape(HttpStatus.SERVICE_UNAVAILABLE, 'The database is unavailable; try again shortly');
    }
    return shape(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}
