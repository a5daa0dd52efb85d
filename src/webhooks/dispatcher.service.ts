import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DELIVERIES_DUE, DELIVERY_ATTEMPTED, ENDPOINTS_CHANGED, OnSignal, SignalBus } from '../events/signals';
import { PgListener } from '../database/pg-listener';
import { UnitOfWork } from '../database/unit-of-work';
import type { CompletedAttempt } from './delivery-policy';
import { type ClaimedDelivery, DELIVERIES_CHANNEL, DeliveryLifecycle } from './delivery-transitions';
import { toDeliveryView } from './delivery-view';
import type { Delivery } from './delivery.entity';
import { EndpointEntity } from './endpoint.entity';
import { allocateSlots } from './slot-allocation';
import { WebhookSender } from './webhook-sender';

/**
 * What went wrong, without the SQL parameters a QueryFailedError carries (response bodies,
 * and elsewhere personal data): its message and, from the database, its code.
 */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}

/** A slow safety net: due retries and work left by other instances are found at least this often. */
const POLL_INTERVAL_MS = 1_000;
/** Other instances may change endpoints; a cached view is trusted for at most this long. */
const ENDPOINT_CACHE_MS = 2_000;
/** At most this many attempts in flight for an endpoint whose last attempt failed (see SlotLimits). */
const FAILING_ENDPOINT_CONCURRENCY = 2;
/** On shutdown, in-flight attempts get this long to finish before their leases are given back. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * The delivery worker inside each instance. It is woken right after a commit that created
 * deliveries, claims due work per endpoint under a lease (renewed while attempts run), sends
 * with bounded global and per-endpoint concurrency so a slow endpoint only ever occupies its
 * own slots, and records finished attempts in batches.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly inFlight = new Map<string, ClaimedDelivery>();
  private readonly inFlightByEndpoint = new Map<string, number>();
  /** Endpoints whose most recent attempt on this instance failed. */
  private readonly failingEndpoints = new Set<string>();
  private readonly finished: CompletedAttempt[] = [];
  private readonly running = new Set<Promise<void>>();
  private endpoints: EndpointEntity[] = [];
  private endpointsLoadedAt = 0;
  private endpointsStale = true;
  private tickScheduled = false;
  private ticking = false;
  private tickAgain = false;
  /** Where the next claim starts offering slots. */
  private slotCursor = 0;
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private stopping = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly lifecycle: DeliveryLifecycle,
    private readonly sender: WebhookSender,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly signals: SignalBus,
    private readonly listener: PgListener,
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
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearInterval(this.leaseTimer);
    const deadline = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([Promise.allSettled([...this.running]), deadline]);
    await this.flush();
    const unfinished = [...this.inFlight.keys()];
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
      const free = this.config.webhookConcurrency - this.inFlight.size;
      const slots = await this.slots(free);
      if (slots.size === 0) return;
      const claimed = await this.lifecycle.claim(this.workerId, slots);
      for (const item of claimed) this.start(item);
      const requested = [...slots.values()].reduce((sum, n) => sum + n, 0);
      // A full claim suggests more is due; a short one means we have caught up. Endpoints the budget
      // left out come first in the next claim, at the next wake-up (see allocateSlots).
      if (claimed.length > 0 && claimed.length >= requested) this.tickAgain = true;
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

  /** Free slots per enabled endpoint, shared fairly within the global budget (see `allocateSlots`). */
  private async slots(free: number): Promise<Map<string, number>> {
    const endpoints = await this.enabledEndpoints();
    const allocation = allocateSlots(
      endpoints.map((endpoint) => endpoint.id),
      this.inFlightByEndpoint,
      this.failingEndpoints,
      free,
      this.slotCursor,
      { perEndpoint: this.config.webhookEndpointConcurrency, failing: FAILING_ENDPOINT_CONCURRENCY },
    );
    this.slotCursor = allocation.cursor;
    return allocation.slots;
  }

  private async enabledEndpoints(): Promise<EndpointEntity[]> {
    if (this.endpointsStale || Date.now() - this.endpointsLoadedAt > ENDPOINT_CACHE_MS) {
      this.endpointsStale = false;
      this.endpoints = await this.uow.read((manager) =>
        manager.find(EndpointEntity, { where: { enabled: true }, order: { id: 'ASC' } }),
      );
      this.endpointsLoadedAt = Date.now();
    }
    return this.endpoints;
  }

  private start(item: ClaimedDelivery): void {
    const { delivery } = item;
    this.inFlight.set(delivery.id, item);
    this.inFlightByEndpoint.set(delivery.endpointId, (this.inFlightByEndpoint.get(delivery.endpointId) ?? 0) + 1);
    const run = this.attempt(item).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async attempt(item: ClaimedDelivery): Promise<void> {
    const endpoint = this.endpoints.find((candidate) => candidate.id === item.delivery.endpointId);
    const outcome = endpoint
      ? await this.sender.send({
          url: endpoint.url,
          secrets: this.validSecrets(endpoint),
          messageId: item.delivery.eventId,
          body: item.body,
        })
      : null;
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
    this.finished.push({ delivery: item.delivery, outcome });
    this.scheduleFlush();
  }

  private validSecrets(endpoint: EndpointEntity): string[] {
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > this.clock.iso()) {
      secrets.push(endpoint.previousSecret);
    }
    return secrets;
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
      const updated = await this.record(batch);
      for (const delivery of updated) this.signals.emit(DELIVERY_ATTEMPTED, toDeliveryView(delivery));
      this.settle(batch.map(({ delivery }) => delivery.id));
    });
    return this.flushing;
  }

  /**
   * Records a batch together, or, when that fails, each attempt on its own: one bad row then
   * costs only its own delivery a retry (its lease stays with this worker and expires).
   */
  private async record(batch: CompletedAttempt[]): Promise<Delivery[]> {
    try {
      return await this.lifecycle.complete(this.workerId, batch);
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
    for (const item of batch) updated.push(...(await this.record([item])));
    return updated;
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
    }
    this.wake();
  }

  private renewLeases(): void {
    const ids = [...this.inFlight.keys()];
    if (ids.length === 0) return;
    this.lifecycle.renew(this.workerId, ids).catch((error: unknown) => {
      this.logger.error({ err: error }, 'renewing leases failed');
    });
  }
}
