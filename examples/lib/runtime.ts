import type { Server } from 'node:http';

/**
 * What every example program needs besides its own logic: reading its environment, printing
 * plain prefixed lines, and stopping cleanly on SIGINT/SIGTERM. Nothing here knows Maitred's
 * internals; the examples talk to Maitred only over HTTP, like any third party.
 */

/** A required variable; a missing one stops the program with a message naming it. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    process.stderr.write(`${name} is required (see the comment at the top of this program)\n`);
    process.exit(2);
  }
  return value.trim();
}

export function optionalEnv(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

export function intEnv(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = optionalEnv(name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`${name} must be an integer from ${min} to ${max}, got "${raw}"\n`);
    process.exit(2);
  }
  return value;
}

/** The Maitred base URL without a trailing slash. */
export function maitredUrl(): string {
  return optionalEnv('MAITRED_URL', 'http://localhost:3000').replace(/\/+$/, '');
}

export function logger(name: string): (message: string) => void {
  return (message) => process.stdout.write(`${name}: ${message}\n`);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    // fetch() wraps the interesting part (ECONNREFUSED, a timeout) in `cause`.
    const cause = (error as Error & { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    return `${error.message}${detail}`;
  }
  return String(error);
}

/**
 * Runs `stop` once on the first SIGINT or SIGTERM, then exits 0 (1 if stopping failed). A second
 * SIGINT (an impatient Ctrl-C) exits at once; a repeated SIGTERM is ignored, because a supervisor
 * such as `npm start` forwards SIGTERM while Ctrl-C has already reached the whole process group.
 */
export function onShutdown(name: string, stop: () => Promise<void>): void {
  let stopping = false;
  let interrupts = 0;
  const handle = (signal: NodeJS.Signals) => {
    if (signal === 'SIGINT' && ++interrupts > 1) {
      process.stdout.write(`${name}: SIGINT again, exiting now\n`);
      process.exit(1);
    }
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${name}: ${signal} received, stopping\n`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${name}: failed to stop cleanly: ${describeError(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Stops accepting connections and resolves once the requests in flight are answered. Idle
 * keep-alive connections are dropped at once; a busy one gets two seconds to finish.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
