import type { Attempt, Delivery } from './types';

/**
 * The portal's "last hour" chart: attempts bucketed by time, each bucket with its successes,
 * failures and mean latency. Computed from the deliveries' attempt logs, so it needs no
 * admin-only stats endpoint and works for any `endpoints` key.
 */
export interface Bucket {
  start: number;
  end: number;
  succeeded: number;
  failed: number;
  meanLatencyMs: number | null;
}

export interface ChartData {
  buckets: Bucket[];
  total: number;
  succeeded: number;
  successRate: number | null;
  meanLatencyMs: number | null;
  maxCount: number;
  maxLatencyMs: number;
}

export function attemptSucceeded(attempt: Attempt): boolean {
  return attempt.error === null && attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
}

export function bucketAttempts(deliveries: readonly Delivery[], now: number, spanMs = 60 * 60_000, count = 12): ChartData {
  const width = spanMs / count;
  const start = now - spanMs;
  const buckets: Bucket[] = Array.from({ length: count }, (_, i) => ({
    start: start + i * width,
    end: start + (i + 1) * width,
    succeeded: 0,
    failed: 0,
    meanLatencyMs: null,
  }));
  const latencySums = new Array<number>(count).fill(0);
  let total = 0;
  let succeeded = 0;
  let latencySum = 0;
  for (const delivery of deliveries) {
    for (const attempt of delivery.attempts ?? []) {
      const at = Date.parse(attempt.at);
      if (!Number.isFinite(at) || at < start || at > now) continue;
      const index = Math.min(count - 1, Math.floor((at - start) / width));
      const bucket = buckets[index];
      if (!bucket) continue;
      const ok = attemptSucceeded(attempt);
      if (ok) bucket.succeeded += 1;
      else bucket.failed += 1;
      latencySums[index] = (latencySums[index] ?? 0) + attempt.durationMs;
      total += 1;
      if (ok) succeeded += 1;
      latencySum += attempt.durationMs;
    }
  }
  buckets.forEach((bucket, i) => {
    const n = bucket.succeeded + bucket.failed;
    bucket.meanLatencyMs = n > 0 ? (latencySums[i] ?? 0) / n : null;
  });
  return {
    buckets,
    total,
    succeeded,
    successRate: total > 0 ? succeeded / total : null,
    meanLatencyMs: total > 0 ? latencySum / total : null,
    maxCount: Math.max(1, ...buckets.map((b) => b.succeeded + b.failed)),
    maxLatencyMs: Math.max(1, ...buckets.map((b) => b.meanLatencyMs ?? 0)),
  };
}
