/**
 * The one way the end-to-end tests wait: on a condition, never for a fixed time (the machine is shared
 * and slow at times; a sleep long enough there wastes time everywhere else, a short one flakes).
 */
export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Named in the timeout error. */
  label?: string;
  /** Between checks (default 25 ms). */
  intervalMs?: number;
}

/** Calls `check` until it returns a truthy value and returns that value, or throws after the timeout. */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, label = 'condition', intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
