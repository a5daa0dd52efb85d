import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { OnSignal, ATTEMPTS_RECORDED, RETENTION_BATCH } from '../events/signals';
import type { RetentionBatch } from '../retention/retention-batch';
import { StaffGateway } from '../realtime/staff.gateway';
import type { CompletedAttempt } from '../webhooks/delivery-policy';
import { DeliveriesService } from '../webhooks/deliveries.service';

/**
 * Where the request's start time and its app's histogram are kept on its response, so that one
 * shared 'finish' listener serves every request: no closure is allocated per request.
 */
const STARTED = Symbol('maitred.metrics.started');
const HISTOGRAM = Symbol('maitred.metrics.histogram');
type TimedResponse = Response & { [STARTED]?: number; [HISTOGRAM]?: Histogram<'route' | 'status'> };

/** What a request that matched no route is labelled: raw URLs would make a label per path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The Prometheus metrics of one application, in a registry of its own (tests run several apps in
 * one process; the global registry would mix them). Hot-path work is one histogram observation per
 * request and two per attempt batch entry; gauges are computed when scraped.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'route' | 'status'>;
  private readonly attempts: Counter<'outcome'>;
  private readonly attemptDuration: Histogram<'outcome'>;
  private readonly checkins: Counter;
  private readonly retentionBatch: Histogram<'stage'>;
  private readonly retentionDeleted: Counter<'stage'>;
  private readonly retentionLongest: Gauge;
  private longestRetentionBatchSeconds = 0;

  constructor(
    private readonly config: AppConfig,
    deliveries: DeliveriesService,
    staff: StaffGateway,
  ) {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'maitred_http_request_duration_seconds',
      help: 'HTTP requests by route template and status, from arrival to the last byte of the response',
      labelNames: ['route', 'status'],
      registers,
    });
    this.attempts = new Counter({
      name: 'maitred_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: success, or the failure (timeout, connection_refused, http_503, …)',
      labelNames: ['outcome'],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'maitred_webhook_attempt_duration_seconds',
      help: 'How long webhook attempts took, by outcome',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
      registers,
    });
    this.checkins = new Counter({
      name: 'maitred_checkins_total',
      help: 'Guests checked in on this instance',
      registers,
    });
    // Retention batches hold the write path; the contract's budget is 50 ms each, hence the buckets around it.
    this.retentionBatch = new Histogram({
      name: 'maitred_retention_batch_duration_seconds',
      help: 'How long each retention batch held the write path (its transaction), by stage',
      labelNames: ['stage'],
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.retentionDeleted = new Counter({
      name: 'maitred_retention_deleted_total',
      help: 'Rows retention deleted on this instance, by stage (guests: left guests erased)',
      labelNames: ['stage'],
      registers,
    });
    this.retentionLongest = new Gauge({
      name: 'maitred_retention_longest_batch_seconds',
      help: 'The longest retention batch on this instance since it started',
      registers,
    });
    new Gauge({
      name: 'maitred_webhook_pending_deliveries',
      help: 'Deliveries not yet succeeded nor failed, in the whole database (due now or waiting for a retry)',
      registers,
      async collect() {
        this.set(await deliveries.pendingCount());
      },
    });
    new Gauge({
      name: 'maitred_socket_clients',
      help: 'Socket.IO clients connected to this instance, by namespace',
      labelNames: ['namespace'],
      registers,
      collect() {
        this.reset();
        for (const [namespace, count] of staff.clientsByNamespace()) this.set({ namespace }, count);
      },
    });
  }

  get enabled(): boolean {
    return this.config.metricsEnabled;
  }

  /** Times every request (registered before everything else in createApp). */
  readonly httpMiddleware = (_request: Request, response: Response, next: NextFunction): void => {
    const timed = response as TimedResponse;
    timed[STARTED] = performance.now();
    timed[HISTOGRAM] = this.httpDuration;
    // `on`, not `once` (which wraps the listener in a closure): a response finishes only once.
    response.on('finish', observeRequest);
    next();
  };

  /** Counts check-ins recorded by this instance (after commit, so a rolled-back one never counts). */
  @OnSignal('guest.checked_in')
  onCheckIn(): void {
    this.checkins.inc();
  }

  @OnSignal(ATTEMPTS_RECORDED)
  onAttempts(batch: readonly CompletedAttempt[]): void {
    for (const { outcome } of batch) {
      const label = outcome.error ?? 'success';
      this.attempts.inc({ outcome: label });
      this.attemptDuration.observe({ outcome: label }, outcome.durationMs / 1000);
    }
  }

  @OnSignal(RETENTION_BATCH)
  onRetentionBatch({ stage, rows, ms }: RetentionBatch): void {
    const seconds = ms / 1000;
    this.retentionBatch.observe({ stage }, seconds);
    this.retentionDeleted.inc({ stage }, rows);
    if (seconds > this.longestRetentionBatchSeconds) {
      this.longestRetentionBatchSeconds = seconds;
      this.retentionLongest.set(seconds);
    }
  }

  /** The scrape: Prometheus text format. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const registry = Registry.merge([this.registry, processRegistry()]);
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
}

let processMetrics: Registry | undefined;

/**
 * prom-client's default metrics, once per process: they describe the process, not an app, and
 * their collectors (a GC observer, an event-loop monitor) cannot be stopped, so one set per app
 * piled up in a process that starts many (the test suite), every GC calling all of them.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** The shared 'finish' listener: `this` is the response. */
function observeRequest(this: TimedResponse): void {
  const started = this[STARTED];
  const histogram = this[HISTOGRAM];
  if (started === undefined || histogram === undefined) return;
  const request = this.req;
  // The route template Express matched (`/api/guests/:id`), never the raw URL.
  const route = (request.route as { path?: unknown } | undefined)?.path;
  histogram.observe(
    { route: typeof route === 'string' ? request.baseUrl + route : UNMATCHED_ROUTE, status: this.statusCode },
    (performance.now() - started) / 1000,
  );
}
