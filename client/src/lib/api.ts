import type { ErrorBody, FieldIssue } from './types';

/** An API answer other than 2xx, in the API's one error shape (ErrorResponse) (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: FieldIssue[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  body?: unknown;
  /** An API key, sent as `Authorization: Bearer`. */
  apiKey?: string | null;
  guestToken?: string | null;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).message === 'string';
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.guestToken) headers['x-guest-token'] = options.guestToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Cannot reach Maitred. Check your connection and try again.');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    if (isErrorBody(parsed)) {
      throw new ApiError(response.status, parsed.message, parsed.details ?? [], parsed.requestId);
    }
    throw new ApiError(response.status, `${response.status} ${response.statusText}`.trim());
  }
  return parsed as T;
}

/** What to tell a person about a failed call whose details are not shown field by field. */
export function explain(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 0:
        return error.message;
      case 401:
        return 'That key was not accepted. Check it and sign in again.';
      case 403:
        return 'This key is not allowed to do that.';
      case 429:
        return error.message || 'Too many requests; wait a moment and try again.';
      case 503:
        return error.message || 'The service is unavailable right now; try again shortly.';
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
