import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ATTEMPTS_RECORDED, DELIVERIES_DUE, DELIVERY_ATTEMPTED, ENDPOINTS_CHANGED, OnSignal, SignalBus } from '../events/signals';
import { PgListener } from '../database/pg-listener';
import { UnitOfWork } from '../database/unit-of-work';
import type { AttemptOutcome, CompletedAttempt } from './delivery-policy';
import { type ClaimedDelivery, DELIVERIES_CHANNEL, DeliveryLifecycle } from './delivery-transitions';
import { toDeliveryView } from './delivery-view';
import type { Delivery } from './delivery.entity';
import { EndpointEntity } from './endpoint.entity';
import { secretsInUse } from './signing';
import { allocateSlots } from './slot-allocation';
import { isRateLimited, type RateOutcomes, THROTTLE_STATUSES } from './rate-limit';
import { WebhookSender } from './webhook-sender';
import { TracingService } from '../tracing/tracing.service';

/**
 * What went wrong, without the SQL parameters a QueryFailedError carries (response bodies,
 * and elsewhere personal data): its message and, from the database, its code.
 */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}

/** Whether the endpoint's claims go through its token bucket (a configured or an adaptive limit). */
function rateLimited(endpoint: EndpointEntity): boolean {
  return isRateLimited({ limit: endpoint.rateLimitPerSecond, effective: endpoint.rateEffective });
}

/** A slow safety net: due retries and work left by other instances are found at least this often. */
const POLL_INTERVAL_MS = 1_000;
/** Other instances may change endpoints; a cached view is trusted for at most this long. */
const ENDPOINT_CACHE_MS = 2_000;
/**
 * Due work at an endpoint the cached view lacks (created on another instance) reloads it, but at
 * most this often, so due rows of an endpoint disabled meanwhile cannot reload it every tick.
 */
const ENDPOINT_MISS_RELOAD_MS = 200;
/** At most this many attempts in flight for an endpoint whose last attempt failed (see SlotLimits). */
const FAILING_ENDPOINT_CONCURRENCY = 2;
/** On shutdown, in-flight attempts get this long to finish before their leases are given back. */
const SHUTDOWN_GRACE_MS = 5_000;
/**
 * Fan-outs to at most this many enabled endpoints are handed to this instance's dispatcher as they
 * are written; a larger fleet's rows go through claims (the hand-off statement returns every row).
 */
const HAND_OFF_MAX_ENDPOINTS = 64;

/**
 * The delivery worker inside each instance. Deliveries written by this instance's own commits
 * are handed to it already leased (handOffEndpoints, takeHandOff); everything else it claims per
 * endpoint under a lease (renewed while attempts run), woken right after a commit that created
 * deliveries. It sends with bounded global and per-endpoint concurrency so a slow endpoint only
 * ever occupies its own slots, and records finished attempts in batches.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly inFlight = new Map<string, ClaimedDelivery>();
  private readonly inFlightByEndpoint = new Map<string, number>();
  /**
   * Deliveries leased to this worker that wait for a free slot of their endpoint, oldest first:
   * handed off by a fan-out while the endpoint's slots filled up. Their leases are renewed like
   * those in flight; they were never sent, so a crash re-sends none of them twice.
   */
  private readonly ready = new Map<string, ClaimedDelivery[]>();
  /** Endpoints whose most recent attempt on this instance failed. */
  private readonly failingEndpoints = new Set<string>();
  private readonly finished: CompletedAttempt[] = [];
  private readonly running = new Set<Promise<void>>();
  private endpoints = new Map<string, EndpointEntity>();
  private endpointsLoadedAt = 0;
  private endpointsStale = true;
  private tickScheduled = false;
  private ticking = false;
  private tickAgain = false;
  /**
   * Where the next claim starts offering slots: an endpoint id, since the list of endpoints with
   * due work differs from tick to tick (the next one at or after it starts).
   */
  private slotCursor = '';
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private stopping = false;
  private started = false;
  private pollTimer: NodeJS.Timeout | undefined;
  /**
   * Rate-limited endpoints whose token bucket ran dry in this worker's last claim: until when (by
   * Date.now) they are left out of claims, so an empty bucket costs no claim a trip to the row.
   */
  private readonly throttledUntil = new Map<string, number>();
  /** One wake-up at the earliest of those times (a limited backlog drains without waiting for the poll). */
  private throttleTimer: NodeJS.Timeout | undefined;
  private throttleTimerAt = Number.POSITIVE_INFINITY;
  /** Attempts started per endpoint in the current and previous second: the observed rate (see `observedRate`). */
  private readonly startedPerSecond = new Map<string, { second: number; count: number; previous: number }>();
  private leaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly lifecycle: DeliveryLifecycle,
    private readonly sender: WebhookSender,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly signals: SignalBus,
    private readonly listener: PgListener,
    private readonly tracing: TracingService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.isPostgres) {
      // A lone SQLite instance that starts again owns every lease: whatever was in flight
      // when it died is due now, not when the lease would have run out.
      const released = await this.lifecycle.release(null);
      if (released > 0) this.logger.log(`released ${released} lease(s) left by the previous run`);
    }
    // Other instances' commits wake this one at once; the poll below is only a safety net.
    await this.listener.listen(DELIVERIES_CHANNEL, () => {
      this.wake();
    });
    this.pollTimer = setInterval(() => {
      this.wake();
    }, POLL_INTERVAL_MS);
    this.pollTimer.unref();
    this.leaseTimer = setInterval(
      () => {
        this.renewLeases();
      },
      Math.max(1_000, Math.floor(this.config.webhookLeaseMs / 3)),
    );
    this.leaseTimer.unref();
    this.started = true;
    this.wake();
  }

  /** Whether this worker has started and is not shutting down (readiness reports it). */
  isRunning(): boolean {
    return this.started && !this.stopping;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearInterval(this.leaseTimer);
    clearTimeout(this.throttleTimer);
    const deadline = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([Promise.allSettled([...this.running]), deadline]);
    await this.flush();
    const unfinished = [...this.inFlight.keys(), ...this.readyIds()];
    if (unfinished.length > 0) {
      await this.lifecycle.release(this.workerId, unfinished);
      this.logger.log(`released ${unfinished.length} unfinished deliveries for another worker`);
    }
  }

  @OnSignal(ENDPOINTS_CHANGED)
  onEndpointsChanged(): void {
    this.endpointsStale = true;
    this.wake();
  }

  /**
   * The endpoints whose deliveries a fan-out may lease to this worker right away, inside the
   * event's transaction: known, enabled and healthy here, with a free slot and room in the global
   * budget now. They skip the claim's trips through the database (the latency of a check-in's
   * webhooks); when slots fill up meanwhile, they wait their turn in `ready`, leased.
   */
  handOffEndpoints(): string[] {
    if (this.stopping || this.endpointsStale || Date.now() - this.endpointsLoadedAt > ENDPOINT_CACHE_MS) return [];
    if (this.endpoints.size === 0 || this.endpoints.size > HAND_OFF_MAX_ENDPOINTS) return [];
    if (this.inFlight.size + this.readyCount() >= this.config.webhookConcurrency) return [];
    const eligible: string[] = [];
    // A paused endpoint (circuit breaker open) is left out here; the fan-out's SQL checks it again
    // against the row, since this view may be up to ENDPOINT_CACHE_MS old.
    // Rate-limited endpoints too: their rows must go through a claim, which draws on their bucket.
    for (const [id, endpoint] of this.endpoints) {
      if (endpoint.pausedUntil === null && !rateLimited(endpoint) && this.busy(id) < this.capOf(id)) eligible.push(id);
    }
    return eligible;
  }

  /** Deliveries a fan-out leased to this worker, once their transaction has committed. */
  takeHandOff(items: readonly ClaimedDelivery[]): void {
    if (this.stopping) {
      // Committed while shutting down: the release pass may have run already and the lease timer
      // is off, so queued here they would hold their leases until they ran out. Never sent, so
      // another worker (or this one's next start) can take them at once.
      this.releaseNow(items.map((item) => item.delivery.id));
      return;
    }
    for (const item of items) {
      const endpointId = item.delivery.endpointId;
      if ((this.inFlightByEndpoint.get(endpointId) ?? 0) < this.capOf(endpointId)) {
        this.start(item);
        continue;
      }
      const queue = this.ready.get(endpointId);
      if (queue) queue.push(item);
      else this.ready.set(endpointId, [item]);
    }
  }

  private releaseNow(ids: string[]): void {
    if (ids.length === 0) return;
    this.lifecycle.release(this.workerId, ids).catch((error: unknown) => {
      this.logger.error({ err: error }, 'releasing hand-offs during shutdown failed');
    });
  }

  /** Leased deliveries waiting for a slot, over all endpoints (at most HAND_OFF_MAX_ENDPOINTS queues). */
  private readyCount(): number {
    let count = 0;
    for (const queue of this.ready.values()) count += queue.length;
    return count;
  }

  /** Attempts in flight plus leased deliveries waiting for a slot, at one endpoint. */
  private busy(endpointId: string): number {
    return (this.inFlightByEndpoint.get(endpointId) ?? 0) + (this.ready.get(endpointId)?.length ?? 0);
  }

  private capOf(endpointId: string): number {
    const perEndpoint = this.config.webhookEndpointConcurrency;
    return this.failingEndpoints.has(endpointId) ? Math.min(perEndpoint, FAILING_ENDPOINT_CONCURRENCY) : perEndpoint;
  }

  private readyIds(): string[] {
    return [...this.ready.values()].flatMap((queue) => queue.map((item) => item.delivery.id));
  }

  /** Looks for due work soon; many wake-ups in one tick coalesce into one claim. */
  @OnSignal(DELIVERIES_DUE)
  wake(): void {
    this.scheduleTick();
  }

  private scheduleTick(): void {
    if (this.tickScheduled || this.stopping) return;
    this.tickScheduled = true;
    setImmediate(() => {
      this.tickScheduled = false;
      void this.tick();
    });
  }

  private async tick(): Promise<void> {
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    try {
      if (this.stopping) return;
      // May be zero or less: idle endpoints still get one slot each (see `slots`).
      const free = this.config.webhookConcurrency - this.inFlight.size - this.readyCount();
      const { slots, probes } = await this.slots(free);
      if (slots.size === 0 && probes.length === 0) return;
      const limited = [...slots.keys(), ...probes].filter((id) => {
        const endpoint = this.endpoints.get(id);
        return endpoint !== undefined && rateLimited(endpoint);
      });
      const { claimed, offered, throttled } = await this.lifecycle.claimWithLimits(this.workerId, slots, probes, limited);
      for (const item of claimed) this.start(item);
      this.noteThrottled(throttled);
      // A full claim suggests more is due; a short one means we have caught up. Endpoints the budget
      // left out come first in the next claim, at the next wake-up (see allocateSlots). What the
      // rate limits held back does not count: those endpoints wait for their own wake-up.
      if (claimed.length > 0 && claimed.length >= offered) this.tickAgain = true;
    } catch (error) {
      this.logger.error({ err: error }, 'claiming deliveries failed; will try again');
    } finally {
      this.ticking = false;
      if (this.tickAgain) {
        this.tickAgain = false;
        this.scheduleTick();
      }
    }
  }

  /**
   * Free slots per enabled endpoint with due work, shared fairly within the global budget (see
   * `allocateSlots`). Idle endpoints are not offered any: asking the database which endpoints have
   * work first keeps a tick's cost to those, whatever the number of endpoints.
   */
  private async slots(free: number): Promise<{ slots: Map<string, number>; probes: string[] }> {
    const none = { slots: new Map<string, number>(), probes: [] };
    const due = await this.lifecycle.dueEndpoints();
    if (due.length === 0) return none;
    const endpoints = await this.enabledEndpoints(due);
    // Paused endpoints (circuit breaker open) get no slots; those whose cool-down has passed are
    // offered to the probe (one attempt, if this worker wins it). The claim checks the rows.
    const now = this.clock.iso();
    const probes = due.filter((id) => {
      const pausedUntil = endpoints.get(id)?.pausedUntil ?? null;
      return pausedUntil !== null && pausedUntil <= now && this.busy(id) === 0;
    });
    const nowMs = Date.now();
    const candidates = due.filter(
      (id) => endpoints.has(id) && endpoints.get(id)?.pausedUntil === null && !((this.throttledUntil.get(id) ?? 0) > nowMs),
    );
    if (candidates.length === 0) return { ...none, probes };
    const start = Math.max(
      0,
      candidates.findIndex((id) => id >= this.slotCursor),
    );
    const busy = this.ready.size === 0 ? this.inFlightByEndpoint : new Map(candidates.map((id) => [id, this.busy(id)] as const));
    const allocation = allocateSlots(candidates, busy, this.failingEndpoints, free, start, {
      perEndpoint: this.config.webhookEndpointConcurrency,
      failing: FAILING_ENDPOINT_CONCURRENCY,
    });
    this.slotCursor = candidates[allocation.cursor];
    return { slots: allocation.slots, probes };
  }

  /**
   * The enabled endpoints by id, reloaded only when a tick has due work and the view is stale
   * (many endpoint changes between two ticks cost one reload, and none while nothing is due).
   */
  private async enabledEndpoints(due: readonly string[]): Promise<Map<string, EndpointEntity>> {
    const age = Date.now() - this.endpointsLoadedAt;
    const missing = age > ENDPOINT_MISS_RELOAD_MS && due.some((id) => !this.endpoints.has(id));
    if (this.endpointsStale || missing || age > ENDPOINT_CACHE_MS) {
      this.endpointsStale = false;
      const rows = await this.uow.read((manager) =>
        manager.find(EndpointEntity, { where: { enabled: true }, order: { id: 'ASC' } }),
      );
      this.endpoints = new Map(rows.map((endpoint) => [endpoint.id, endpoint]));
      this.endpointsLoadedAt = Date.now();
    }
    return this.endpoints;
  }

  /**
   * Endpoints whose bucket the claim found short stay out of claims until their next token, and a
   * wake-up is set for the earliest of them.
   */
  private noteThrottled(throttled: ReadonlyMap<string, number>): void {
    const nowMs = Date.now();
    for (const [id, until] of this.throttledUntil) if (until <= nowMs) this.throttledUntil.delete(id);
    for (const [id, ms] of throttled) {
      const at = nowMs + Math.max(1, ms);
      this.throttledUntil.set(id, at);
      if (at >= this.throttleTimerAt && this.throttleTimer !== undefined) continue;
      clearTimeout(this.throttleTimer);
      this.throttleTimerAt = at;
      this.throttleTimer = setTimeout(() => {
        this.throttleTimer = undefined;
        this.throttleTimerAt = Number.POSITIVE_INFINITY;
        this.wake();
      }, at - nowMs);
      this.throttleTimer.unref();
    }
  }

  /** Attempts this instance started to the endpoint in about the last second (for rate adaptation). */
  private observedRate(endpointId: string): number {
    const seen = this.startedPerSecond.get(endpointId);
    if (!seen) return 0;
    const second = Math.floor(Date.now() / 1000);
    if (seen.second === second) return Math.max(seen.count, seen.previous);
    return seen.second === second - 1 ? seen.count : 0;
  }

  private noteStarted(endpointId: string): void {
    const second = Math.floor(Date.now() / 1000);
    const seen = this.startedPerSecond.get(endpointId);
    if (seen?.second === second) {
      seen.count++;
      return;
    }
    const previous = seen?.second === second - 1 ? seen.count : 0;
    this.startedPerSecond.set(endpointId, { second, count: 1, previous });
  }

  private start(item: ClaimedDelivery): void {
    const { delivery } = item;
    this.noteStarted(delivery.endpointId);
    this.inFlight.set(delivery.id, item);
    this.inFlightByEndpoint.set(delivery.endpointId, (this.inFlightByEndpoint.get(delivery.endpointId) ?? 0) + 1);
    const run = this.attempt(item).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async attempt(item: ClaimedDelivery): Promise<void> {
    const endpoint = this.endpoints.get(item.delivery.endpointId);
    let outcome: AttemptOutcome | null = null;
    if (endpoint) {
      // A span per attempt, in the trace of the request that recorded the event.
      const span = this.tracing.startAttempt(item.traceContext, item.delivery.eventId, item.delivery.id);
      outcome = await this.sender.send({
        url: endpoint.url,
        secrets: this.validSecrets(endpoint),
        messageId: item.delivery.eventId,
        body: item.body,
        traceparent: span.traceparent,
      });
      span.end(outcome);
    }
    if (outcome === null) {
      // The endpoint vanished or was disabled after the claim: nothing to send, give the lease back.
      await this.lifecycle.release(this.workerId, [item.delivery.id]).catch((error: unknown) => {
        this.logger.error({ err: error }, 'releasing a lease failed');
      });
      this.settle([item.delivery.id]);
      return;
    }
    if (outcome.error === null) this.failingEndpoints.delete(item.delivery.endpointId);
    else this.failingEndpoints.add(item.delivery.endpointId);
    this.finished.push({ delivery: item.delivery, outcome, probe: item.probe === true });
    this.scheduleFlush();
  }

  private validSecrets(endpoint: EndpointEntity): string[] {
    return secretsInUse(endpoint, this.clock.iso());
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** Records every finished attempt so far in one transaction (batched for throughput). */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.finished.splice(0, this.finished.length);
      if (batch.length === 0) return;
      const breakers = new Map<string, string | null>();
      const updated = await this.record(batch, breakers);
      // Every attempt was made, whether or not its outcome could be recorded: metrics count them all.
      this.signals.emit(ATTEMPTS_RECORDED, batch);
      this.applyBreakers(breakers);
      await this.adaptRates(batch);
      for (const delivery of updated) this.signals.emit(DELIVERY_ATTEMPTED, toDeliveryView(delivery));
      this.settle(batch.map(({ delivery }) => delivery.id));
    });
    return this.flushing;
  }

  /**
   * Records a batch together, or, when that fails, each attempt on its own: one bad row then
   * costs only its own delivery a retry (its lease stays with this worker and expires).
   */
  private async record(batch: CompletedAttempt[], breakers: Map<string, string | null>): Promise<Delivery[]> {
    try {
      const result = await this.lifecycle.completeWithBreakers(this.workerId, batch);
      for (const [id, pausedUntil] of result.breakers) breakers.set(id, pausedUntil);
      return result.deliveries;
    } catch (error) {
      if (batch.length === 1) {
        this.logger.error(
          `recording the attempt of ${batch[0].delivery.id} failed (${describeError(error)}); it is attempted again after its lease`,
        );
        return [];
      }
      this.logger.error(
        `recording ${batch.length} attempts together failed (${describeError(error)}); recording them one by one`,
      );
    }
    const updated: Delivery[] = [];
    for (const item of batch) updated.push(...(await this.record([item], breakers)));
    return updated;
  }

  /**
   * Circuit breakers this instance's attempts changed: the cached view follows at once, and the
   * leased deliveries of a paused endpoint still waiting for a slot are given back unsent (they
   * wait for the probe in the database, like the rest of its work).
   */
  private applyBreakers(breakers: ReadonlyMap<string, string | null>): void {
    for (const [id, pausedUntil] of breakers) {
      // The cached row is this dispatcher's own copy (reloaded whole from the database).
      const endpoint = this.endpoints.get(id);
      if (endpoint) endpoint.pausedUntil = pausedUntil;
      if (pausedUntil === null) continue;
      const queue = this.ready.get(id);
      if (!queue) continue;
      this.ready.delete(id);
      const ids = queue.map((item) => item.delivery.id);
      this.lifecycle.release(this.workerId, ids).catch((error: unknown) => {
        // Their leases then run out and they are claimed again after the pause.
        this.logger.error({ err: error }, 'giving back the deliveries of a paused endpoint failed');
      });
    }
  }

  /**
   * Rate adaptation (see rate-limit.ts) for the endpoints in this batch that answered 429/502/504
   * or are adapting already; every other endpoint's row is left alone. A failure to adapt costs
   * one step of adaptation, never the attempts: they are recorded already.
   */
  private async adaptRates(batch: readonly CompletedAttempt[]): Promise<void> {
    const outcomes = new Map<string, RateOutcomes>();
    for (const { delivery, outcome } of batch) {
      const throttled = outcome.statusCode !== null && THROTTLE_STATUSES.includes(outcome.statusCode);
      const id = delivery.endpointId;
      if (!throttled && (this.endpoints.get(id)?.rateEffective ?? null) === null && !outcomes.has(id)) continue;
      const seen = outcomes.get(id) ?? { throttled: 0, succeeded: 0 };
      if (throttled) seen.throttled++;
      else if (outcome.error === null) seen.succeeded++;
      outcomes.set(id, seen);
    }
    if (outcomes.size === 0) return;
    try {
      const observed = new Map([...outcomes.keys()].map((id) => [id, this.observedRate(id)] as const));
      const changed = await this.lifecycle.adaptRates(outcomes, observed);
      for (const [id, next] of changed) {
        const endpoint = this.endpoints.get(id);
        if (!endpoint) continue;
        endpoint.rateEffective = next.effective;
        endpoint.rateThrottledAt = next.throttledAt;
      }
    } catch (error) {
      this.logger.error(`adapting the rate of ${outcomes.size} endpoint(s) failed (${describeError(error)})`);
    }
  }

  private settle(ids: string[]): void {
    for (const id of ids) {
      const item = this.inFlight.get(id);
      if (!item) continue;
      this.inFlight.delete(id);
      const endpointId = item.delivery.endpointId;
      const left = (this.inFlightByEndpoint.get(endpointId) ?? 1) - 1;
      if (left > 0) this.inFlightByEndpoint.set(endpointId, left);
      else this.inFlightByEndpoint.delete(endpointId);
      this.startReady(endpointId);
    }
    this.wake();
  }

  /** The next leased delivery waiting for this endpoint's slot, if its slot is free now. */
  private startReady(endpointId: string): void {
    const queue = this.ready.get(endpointId);
    if (!queue || this.stopping || (this.inFlightByEndpoint.get(endpointId) ?? 0) >= this.capOf(endpointId)) return;
    const next = queue.shift();
    if (queue.length === 0) this.ready.delete(endpointId);
    if (!next) return;
    this.start(next);
  }

  private renewLeases(): void {
    const ids = [...this.inFlight.keys(), ...this.readyIds()];
    if (ids.length === 0) return;
    this.lifecycle.renew(this.workerId, ids).catch((error: unknown) => {
      this.logger.error({ err: error }, 'renewing leases failed');
    });
  }
}
