import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The traceparent of the request being served (its server span's, or the caller's when no trace
 * is exported), for whatever records events during it. Outside a request, or when a request
 * came without one and nothing is exported, there is none: nothing is stored per request then.
 */
const scope = new AsyncLocalStorage<string>();

export function currentTraceparent(): string | undefined {
  return scope.getStore();
}

export function runWithTraceparent<T>(traceparent: string, work: () => T): T {
  return scope.run(traceparent, work);
}
