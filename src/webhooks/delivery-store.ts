import { Injectable } from '@nestjs/common';
import { In, IsNull, Not } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { EventEntity } from '../events/event.entity';
import { AttemptEntity, DeliveryEntity } from './delivery.entity';
import { EndpointEntity } from './endpoint.entity';
import { EndpointsService } from './endpoints.service';
import { nextRetryDelayMs } from './retry-policy';

/** A claimed delivery with the exact bytes to send. */
export interface ClaimedDelivery {
  delivery: DeliveryEntity;
  body: string;
}

/** What one attempt produced, as the sender saw it. */
export interface AttemptOutcome {
  at: string;
  statusCode: number | null;
  durationMs: number;
  /** null on success; otherwise the contract's error class. */
  error: string | null;
  responseBody: string | null;
  /** From Retry-After on 429/503: the earliest next attempt. */
  retryAfterMs: number | null;
}

export interface CompletedAttempt {
  delivery: DeliveryEntity;
  outcome: AttemptOutcome;
}

/**
 * The delivery outbox's storage side: claiming due work under a lease, renewing and
 * releasing leases, and recording attempts with their consequences, each in one transaction.
 */
@Injectable()
export class DeliveryStore {
  private readonly postgres: boolean;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly endpoints: EndpointsService,
  ) {
    this.postgres = config.isPostgres;
  }

  /**
   * Claims up to `slots.get(endpointId)` due deliveries per endpoint, each endpoint through its
   * own index range, so a huge backlog at one endpoint costs the others nothing.
   */
  async claim(workerId: string, slots: Map<string, number>): Promise<ClaimedDelivery[]> {
    if (slots.size === 0) return [];
    return this.uow.run(async (tx) => {
      const now = this.clock.iso();
      const ids: string[] = [];
      for (const [endpointId, limit] of slots) {
        if (limit <= 0) continue;
        const query = tx.manager
          .createQueryBuilder(DeliveryEntity, 'd')
          .select('d.id', 'id')
          .where('d.endpoint_id = :endpointId', { endpointId })
          .andWhere("d.status = 'pending'")
          .andWhere('d.next_attempt_at <= :now', { now })
          .andWhere('(d.lease_expires_at IS NULL OR d.lease_expires_at < :now)', { now })
          .orderBy('d.next_attempt_at', 'ASC')
          .limit(limit);
        if (this.postgres) query.setLock('pessimistic_write').setOnLocked('skip_locked');
        const rows = await query.getRawMany<{ id: string }>();
        ids.push(...rows.map((row) => row.id));
      }
      if (ids.length === 0) return [];
      await tx.manager.update(
        DeliveryEntity,
        { id: In(ids) },
        { leaseOwner: workerId, leaseExpiresAt: this.clock.iso(this.config.webhookLeaseMs) },
      );
      const deliveries = await tx.manager.find(DeliveryEntity, { where: { id: In(ids) } });
      return this.withBodies(tx, deliveries);
    });
  }

  /** Extends the lease of work this worker still has in flight. */
  async renewLeases(workerId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.uow.run((tx) =>
      tx.manager.update(
        DeliveryEntity,
        { id: In(ids), leaseOwner: workerId },
        { leaseExpiresAt: this.clock.iso(this.config.webhookLeaseMs) },
      ),
    );
  }

  /** Gives work back at once, e.g. on shutdown or, for a lone SQLite instance, at start. */
  async releaseLeases(workerId: string | null, ids?: string[]): Promise<number> {
    return this.uow.run(async (tx) => {
      const result = await tx.manager.update(
        DeliveryEntity,
        {
          ...(workerId === null ? { leaseOwner: Not(IsNull()) } : { leaseOwner: workerId }),
          ...(ids ? { id: In(ids) } : {}),
        },
        { leaseOwner: null, leaseExpiresAt: null },
      );
      return result.affected ?? 0;
    });
  }

  /**
   * Records a batch of finished attempts in one transaction: the attempt log, the delivery's
   * new state (success, next retry, or failed), and the endpoint's health (410 and prolonged
   * failure disable it). Returns the deliveries as they now stand.
   */
  async complete(workerId: string, completed: CompletedAttempt[]): Promise<DeliveryEntity[]> {
    if (completed.length === 0) return [];
    return this.uow.run(async (tx) => {
      await tx.manager.insert(
        AttemptEntity,
        completed.map(({ delivery, outcome }) => ({
          deliveryId: delivery.id,
          endpointId: delivery.endpointId,
          at: outcome.at,
          statusCode: outcome.statusCode,
          durationMs: outcome.durationMs,
          error: outcome.error,
          responseBody: outcome.responseBody,
        })),
      );
      const endpointIds = [...new Set(completed.map(({ delivery }) => delivery.endpointId))];
      const endpoints = new Map(
        (await tx.manager.find(EndpointEntity, { where: { id: In(endpointIds) } })).map((e) => [e.id, e]),
      );
      const updated: DeliveryEntity[] = [];
      for (const { delivery, outcome } of completed) {
        // A disabled endpoint's in-flight attempt still counts, but it is not tried again.
        const next = this.nextState(delivery, outcome, endpoints.get(delivery.endpointId)?.enabled !== false);
        const result = await tx.manager.update(DeliveryEntity, { id: delivery.id, leaseOwner: workerId }, next);
        // Someone retried or took over this delivery meanwhile: the attempt is logged, their state stands.
        if ((result.affected ?? 0) > 0) updated.push({ ...delivery, ...next });
        const endpoint = endpoints.get(delivery.endpointId);
        if (endpoint) await this.updateEndpointHealth(tx, endpoint, outcome);
      }
      return updated;
    });
  }

  private nextState(delivery: DeliveryEntity, outcome: AttemptOutcome, mayRetry: boolean): Partial<DeliveryEntity> {
    const common = {
      attemptCount: delivery.attemptCount + 1,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      leaseOwner: null,
      leaseExpiresAt: null,
    };
    if (outcome.error === null) {
      return { ...common, status: 'succeeded', deliveredAt: outcome.at, nextAttemptAt: null };
    }
    const delay =
      outcome.statusCode === 410 || !mayRetry ? null : nextRetryDelayMs(delivery.retryStep, this.config.webhookRetryScheduleMs);
    if (delay === null) return { ...common, status: 'failed', nextAttemptAt: null };
    const wait = Math.max(delay, outcome.retryAfterMs ?? 0);
    return {
      ...common,
      status: 'pending',
      retryStep: delivery.retryStep + 1,
      nextAttemptAt: new Date(Date.parse(outcome.at) + wait).toISOString(),
    };
  }

  private async updateEndpointHealth(tx: Tx, endpoint: EndpointEntity, outcome: AttemptOutcome): Promise<void> {
    if (outcome.error === null) {
      if (endpoint.failingSince !== null) {
        endpoint.failingSince = null;
        await tx.manager.update(EndpointEntity, { id: endpoint.id }, { failingSince: null });
      }
      return;
    }
    if (!endpoint.enabled) return;
    if (outcome.statusCode === 410) {
      endpoint.enabled = false;
      await this.endpoints.disableIn(tx, endpoint.id, `the endpoint answered 410 Gone at ${outcome.at}`);
      return;
    }
    if (endpoint.failingSince === null) {
      endpoint.failingSince = outcome.at;
      await tx.manager.update(EndpointEntity, { id: endpoint.id }, { failingSince: outcome.at });
      return;
    }
    const failingForMs = Date.parse(outcome.at) - Date.parse(endpoint.failingSince);
    if (failingForMs >= this.config.webhookDisableAfterMs) {
      endpoint.enabled = false;
      await this.endpoints.disableIn(
        tx,
        endpoint.id,
        `every delivery failed since ${endpoint.failingSince} (WEBHOOK_DISABLE_AFTER)`,
      );
    }
  }

  /** Builds each body once: `{ type, timestamp, data }` with `data` spliced in as stored. */
  private async withBodies(tx: Tx, deliveries: DeliveryEntity[]): Promise<ClaimedDelivery[]> {
    const eventIds = deliveries.filter((d) => d.payload === null).map((d) => d.eventId);
    const events = eventIds.length
      ? await tx.manager.find(EventEntity, { where: { id: In([...new Set(eventIds)]) } })
      : [];
    const bodies = new Map(
      events.map((event) => [
        event.id,
        `{"type":${JSON.stringify(event.type)},"timestamp":${JSON.stringify(event.timestamp)},"data":${event.data}}`,
      ]),
    );
    const claimed: ClaimedDelivery[] = [];
    for (const delivery of deliveries) {
      const body = delivery.payload ?? bodies.get(delivery.eventId);
      // An outbox row always has its event: they are written in one transaction.
      if (body === undefined) throw new Error(`delivery ${delivery.id} has no event ${delivery.eventId}`);
      claimed.push({ delivery, body });
    }
    return claimed;
  }
}
