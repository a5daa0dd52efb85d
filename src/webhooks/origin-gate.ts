/**
 * At most `limit` attempts on the wire per origin (scheme, host and port), the rest waiting here in
 * arrival order. The sender's connection pool holds `limit` connections per origin, so an attempt
 * admitted here never queues inside the pool: its deadline and its `webhook-timestamp` start when
 * it can actually be sent. Without this, many endpoints on one host (one integrator's, or a hosted
 * receiver's) share that host's connections, and an attempt queued behind them used up its timeout
 * (and a retry step) before it left, and carried a stale timestamp when it did.
 */
export class OriginGate {
  private readonly origins = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly limit: number) {}

  /** Resolves once the attempt may go; every acquire must be followed by exactly one release. */
  acquire(origin: string): Promise<void> {
    const state = this.origins.get(origin) ?? { active: 0, waiting: [] };
    this.origins.set(origin, state);
    if (state.active < this.limit) {
      state.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => state.waiting.push(resolve));
  }

  release(origin: string): void {
    const state = this.origins.get(origin);
    if (!state) return;
    const next = state.waiting.shift();
    // The freed place passes straight to the next in line, so `active` stays as it is.
    if (next) next();
    else if (--state.active === 0) this.origins.delete(origin);
  }

  /** Attempts waiting for a place at `origin` (for tests and metrics). */
  waitingAt(origin: string): number {
    return this.origins.get(origin)?.waiting.length ?? 0;
  }

  activeAt(origin: string): number {
    return this.origins.get(origin)?.active ?? 0;
  }
}
