import { bucketAttempts } from '../lib/chart';
import type { Delivery } from '../lib/types';

const WIDTH = 288;
const HEIGHT = 72;
const PAD = 4;

/** The last hour of attempts in 5-minute bars (green ok, red failed) with mean latency as a line. */
export function DeliveryChart({ deliveries }: { deliveries: Delivery[] }) {
  // The clock at render: a render follows every new list of deliveries, so a fresh attempt is never in the future.
  // eslint-disable-next-line react-hooks/purity -- deliberately the clock at render, as said above.
  const data = bucketAttempts(deliveries, Date.now());
  const barWidth = (WIDTH - PAD * 2) / data.buckets.length;
  const plotHeight = HEIGHT - PAD * 2;
  const scale = (count: number) => (count / data.maxCount) * plotHeight;
  const latencyPoints = data.buckets
    .map((bucket, i) =>
      bucket.meanLatencyMs === null
        ? null
        : `${PAD + barWidth * i + barWidth / 2},${PAD + plotHeight - (bucket.meanLatencyMs / data.maxLatencyMs) * plotHeight}`,
    )
    .filter((point): point is string => point !== null);
  const summary =
    data.total === 0
      ? 'No attempts in the last hour'
      : `${data.total} attempt${data.total === 1 ? '' : 's'} in the last hour · ${Math.round((data.successRate ?? 0) * 100)}% ok · mean ${Math.round(
          data.meanLatencyMs ?? 0,
        )} ms`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} className="chart-axis" />
        {data.buckets.map((bucket, i) => {
          const x = PAD + barWidth * i + 2;
          const w = Math.max(1, barWidth - 4);
          const okHeight = scale(bucket.succeeded);
          const badHeight = scale(bucket.failed);
          return (
            <g key={bucket.start}>
              <title>
                {`${new Date(bucket.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${bucket.succeeded} ok, ${bucket.failed} failed${
                  bucket.meanLatencyMs !== null ? `, ${Math.round(bucket.meanLatencyMs)} ms` : ''
                }`}
              </title>
              <rect x={x} width={w} y={HEIGHT - PAD - okHeight} height={okHeight} className="chart-ok" />
              <rect x={x} width={w} y={HEIGHT - PAD - okHeight - badHeight} height={badHeight} className="chart-bad" />
            </g>
          );
        })}
        {latencyPoints.length > 1 && <polyline points={latencyPoints.join(' ')} className="chart-latency" />}
        {latencyPoints.length === 1 && latencyPoints[0] && (
          <circle cx={latencyPoints[0].split(',')[0]} cy={latencyPoints[0].split(',')[1]} r={2.5} className="chart-latency-dot" />
        )}
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
