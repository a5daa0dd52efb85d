import { attemptSucceeded, bucketAttempts } from './chart';
import type { Attempt, Delivery } from './types';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
const attempt = (minutesAgo: number, statusCode: number | null, durationMs: number, error: string | null = null): Attempt => ({
  at: at(minutesAgo),
  statusCode,
  durationMs,
  error,
  responseBody: null,
});
const delivery = (attempts: Attempt[]): Delivery => ({
  id: 'dlv_1',
  eventId: 'evt_1',
  endpointId: 'ep_1',
  eventType: 'guest.checked_in',
  status: 'succeeded',
  attemptCount: attempts.length,
  nextAttemptAt: null,
  lastStatusCode: null,
  lastError: null,
  createdAt: at(70),
  deliveredAt: null,
  attempts,
});

describe('the last-hour delivery chart', () => {
  it('counts an attempt as successful only for a 2xx without an error', () => {
    expect(attemptSucceeded(attempt(1, 204, 5))).toBe(true);
    expect(attemptSucceeded(attempt(1, 500, 5, 'http_500'))).toBe(false);
    expect(attemptSucceeded(attempt(1, 301, 5, 'redirect'))).toBe(false);
    expect(attemptSucceeded(attempt(1, null, 15000, 'timeout'))).toBe(false);
  });

  it('buckets the last hour into 5-minute bars with success and mean latency', () => {
    const data = bucketAttempts(
      [
        delivery([attempt(58, 500, 100, 'http_500'), attempt(57, 200, 20)]),
        delivery([attempt(2, 200, 40), attempt(1, 200, 60), attempt(90, 200, 1)]),
      ],
      NOW,
    );
    expect(data.buckets).toHaveLength(12);
    expect(data.total).toBe(4); // the attempt 90 minutes ago is outside the hour
    expect(data.successRate).toBe(0.75);
    expect(data.meanLatencyMs).toBe(55);
    expect(data.buckets[0]).toMatchObject({ succeeded: 1, failed: 1, meanLatencyMs: 60 });
    expect(data.buckets[11]).toMatchObject({ succeeded: 2, failed: 0, meanLatencyMs: 50 });
    expect(data.buckets[5]).toMatchObject({ succeeded: 0, failed: 0, meanLatencyMs: null });
    expect(data.maxCount).toBe(2);
  });

  it('is empty without attempts', () => {
    const data = bucketAttempts([delivery([])], NOW);
    expect(data.total).toBe(0);
    expect(data.successRate).toBeNull();
    expect(data.maxCount).toBe(1);
  });
});
