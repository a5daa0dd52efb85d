import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, MoreThanOrEqual, Not } from 'typeorm';
import { Principal } from '../auth/scopes';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError } from '../common/errors';
import { UnitOfWork } from '../database/unit-of-work';
import { AttemptEntity, DeliveryEntity, DeliveryStatus } from './delivery.entity';
import { AttemptView, DeliveryView, toAttemptView, toDeliveryView } from './delivery-view';
import { EndpointEntity } from './endpoint.entity';
import { EndpointsService } from './endpoints.service';
import { FanoutService } from './fanout.service';

const STATS_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface EndpointStats {
  endpointId: string;
  url: string;
  enabled: boolean;
  successRate: number | null;
  p50LatencyMs: number | null;
  p99LatencyMs: number | null;
  backlog: number;
  lastError: string | null;
  lastErrorAt: string | null;
  attempts24h: number;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** The integrator's view of deliveries: history with attempts, manual retry, recovery, stats. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly endpoints: EndpointsService,
    private readonly clock: Clock,
    private readonly fanout: FanoutService,
  ) {}

  async list(
    principal: Principal,
    endpointId: string,
    query: { status?: DeliveryStatus; before?: string; limit: number },
  ): Promise<Array<DeliveryView & { attempts: AttemptView[] }>> {
    return this.uow.read(async (manager) => {
      await this.endpoints.visible(manager, principal, endpointId);
      const deliveries = await manager.find(DeliveryEntity, {
        where: {
          endpointId,
          ...(query.status ? { status: query.status } : {}),
          ...(query.before ? { id: LessThan(query.before) } : {}),
        },
        order: { id: 'DESC' },
        take: query.limit,
      });
      const attempts = deliveries.length
        ? await manager.find(AttemptEntity, {
            where: { deliveryId: In(deliveries.map((d) => d.id)) },
            order: { seq: 'ASC' },
          })
        : [];
      const byDelivery = new Map<string, AttemptView[]>();
      for (const attempt of attempts) {
        const list = byDelivery.get(attempt.deliveryId) ?? [];
        list.push(toAttemptView(attempt));
        byDelivery.set(attempt.deliveryId, list);
      }
      return deliveries.map((delivery) => ({ ...toDeliveryView(delivery), attempts: byDelivery.get(delivery.id) ?? [] }));
    });
  }

  /** Queues a delivery again now, whatever its state, with a fresh retry schedule. */
  async retry(principal: Principal, deliveryId: string): Promise<DeliveryView> {
    return this.uow.run(async (tx) => {
      const delivery = await tx.manager.findOne(DeliveryEntity, { where: { id: deliveryId } });
      if (!delivery) throw new NotFoundError('Delivery', deliveryId);
      // Visibility follows the endpoint: another key's delivery is 404 like its endpoint.
      try {
        await this.endpoints.visible(tx.manager, principal, delivery.endpointId);
      } catch {
        throw new NotFoundError('Delivery', deliveryId);
      }
      if (delivery.leaseOwner !== null && delivery.leaseExpiresAt !== null && delivery.leaseExpiresAt > this.clock.iso()) {
        throw new ConflictError(`Delivery ${deliveryId} is being attempted right now; retry it once that attempt is recorded`);
      }
      const endpoint = await tx.manager.findOne(EndpointEntity, { where: { id: delivery.endpointId } });
      if (endpoint && !endpoint.enabled) {
        throw new ConflictError(`Endpoint ${delivery.endpointId} is disabled; enable it before retrying its deliveries`);
      }
      const requeued = {
        status: 'pending' as const,
        retryStep: 0,
        nextAttemptAt: this.clock.iso(),
        leaseOwner: null,
        leaseExpiresAt: null,
      };
      await tx.manager.update(DeliveryEntity, { id: deliveryId }, requeued);
      await this.fanout.deliveriesDue(tx);
      return toDeliveryView({ ...delivery, ...requeued });
    });
  }

  /** Re-queues the endpoint's failed deliveries created since `since`. */
  async recover(principal: Principal, endpointId: string, since: string): Promise<{ count: number }> {
    return this.uow.run(async (tx) => {
      await this.endpoints.visible(tx.manager, principal, endpointId);
      const result = await tx.manager.update(
        DeliveryEntity,
        { endpointId, status: 'failed', createdAt: MoreThanOrEqual(new Date(since).toISOString()) },
        { status: 'pending', retryStep: 0, nextAttemptAt: this.clock.iso(), leaseOwner: null, leaseExpiresAt: null },
      );
      await this.fanout.deliveriesDue(tx);
      return { count: result.affected ?? 0 };
    });
  }

  async stats(): Promise<EndpointStats[]> {
    return this.uow.read(async (manager) => {
      const endpoints = await manager.find(EndpointEntity, { order: { id: 'ASC' } });
      const since = this.clock.iso(-STATS_WINDOW_MS);
      const stats: EndpointStats[] = [];
      for (const endpoint of endpoints) {
        const attempts = await manager.find(AttemptEntity, {
          where: { endpointId: endpoint.id, at: MoreThanOrEqual(since) },
          select: { durationMs: true, error: true, at: true },
          order: { seq: 'DESC' },
          take: 10_000,
        });
        const backlog = await manager.count(DeliveryEntity, { where: { endpointId: endpoint.id, status: 'pending' } });
        const lastFailure =
          attempts.find((attempt) => attempt.error !== null) ??
          (await manager.findOne(AttemptEntity, {
            where: { endpointId: endpoint.id, error: Not(IsNull()) },
            order: { seq: 'DESC' },
          }));
        const latencies = attempts.map((attempt) => attempt.durationMs).sort((a, b) => a - b);
        const successes = attempts.filter((attempt) => attempt.error === null).length;
        stats.push({
          endpointId: endpoint.id,
          url: endpoint.url,
          enabled: Boolean(endpoint.enabled),
          successRate: attempts.length ? successes / attempts.length : null,
          p50LatencyMs: percentile(latencies, 50),
          p99LatencyMs: percentile(latencies, 99),
          backlog,
          lastError: lastFailure?.error ?? null,
          lastErrorAt: lastFailure?.at ?? null,
          attempts24h: attempts.length,
        });
      }
      return stats;
    });
  }
}
