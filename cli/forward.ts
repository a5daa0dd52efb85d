import { Webhook } from 'standardwebhooks';

export interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: unknown;
}

export interface ForwardResult {
  /** The local answer's status, or undefined when there was none (refused, timeout). */
  status: number | undefined;
  error: string | undefined;
  durationMs: number;
  attempts: number;
}

/** Waits between attempts after a local 5xx or no answer; the last attempt is the fourth. */
export const RETRY_DELAYS_MS = [500, 1_000, 2_000];
const TIMEOUT_MS = 10_000;

function retryable(status: number | undefined): boolean {
  return status === undefined || status >= 500;
}

function errorName(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** Sends one event to the local URL as a Standard Webhooks request signed with the session secret. */
export async function forwardOnce(url: string, webhook: Webhook, event: FeedEvent, version: string): Promise<ForwardResult> {
  const body = JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
  const at = new Date();
  const signature = webhook.sign(event.id, at, body);
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `maitred-listen/${version}`,
        'webhook-id': event.id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return { status: response.status, error: undefined, durationMs: performance.now() - started, attempts: 1 };
  } catch (error) {
    return { status: undefined, error: errorName(error), durationMs: performance.now() - started, attempts: 1 };
  }
}

/** forwardOnce, retried with backoff on a 5xx or no answer; `onRetry` reports each failed attempt. */
export async function forward(
  url: string,
  webhook: Webhook,
  event: FeedEvent,
  version: string,
  onRetry: (result: ForwardResult, delayMs: number) => void,
  sleep: (ms: number) => Promise<void>,
): Promise<ForwardResult> {
  let result = await forwardOnce(url, webhook, event, version);
  for (let i = 0; i < RETRY_DELAYS_MS.length && retryable(result.status); i++) {
    onRetry(result, RETRY_DELAYS_MS[i]);
    await sleep(RETRY_DELAYS_MS[i]);
    result = { ...(await forwardOnce(url, webhook, event, version)), attempts: i + 2 };
  }
  return result;
}
