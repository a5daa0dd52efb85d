import { Injectable } from '@nestjs/common';
import { EntityManager, LessThan } from 'typeorm';
import { Principal } from '../auth/scopes';
import { Clock } from '../common/clock';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { DOMAIN_EVENT_TYPES } from '../events/domain-events';
import { replayTypes, replayWindow } from './replay-window';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { AttemptEntity, DeliveryEntity, DeliveryStatus } from './delivery.entity';
import { AttemptView, DeliveryView, toAttemptView, toDeliveryView } from './delivery-view';
import { EndpointEntity } from './endpoint.entity';
import { EndpointsService } from './endpoints.service';
import { DeliveryLifecycle } from './delivery-transitions';
import { webhookBody } from './delivery-rows';
import { EventEntity } from '../events/event.entity';
import { secretsInUse } from './signing';
import { WebhookSender } from './webhook-sender';
import { COUNT_PENDING } from './sql/pending';

const STATS_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Attempts shown with each delivery in a list; the rest are paged through GET …/deliveries/:id/attempts. */
export const ATTEMPTS_IN_LIST = 20;

interface AttemptRow {
  seq: number | string;
  delivery_id: string;
  at: string;
  status_code: number | string | null;
  duration_ms: number | string;
  error: string | null;
  response_body: string | null;
}

function attemptFromRow(row: AttemptRow): AttemptView {
  return {
    at: row.at,
    statusCode: row.status_code === null ? null : Number(row.status_code),
    durationMs: Number(row.duration_ms),
    error: row.error,
    responseBody: row.response_body,
  };
}

// The newest $2 attempts of each delivery in $1, each through its own index range (delivery_id, seq),
// so a delivery with a long history costs no more than one with twenty attempts.
const RECENT_ATTEMPTS_POSTGRES = `
  SELECT a.* FROM unnest($1::varchar[]) AS d(id)
  CROSS JOIN LATERAL (
    SELECT seq, delivery_id, at, status_code, duration_ms, error, response_body FROM webhook_attempts
    WHERE delivery_id = d.id ORDER BY seq DESC LIMIT $2
  ) a`;

const RECENT_ATTEMPTS_SQLITE = `
  SELECT a.seq, a.delivery_id, a.at, a.status_code, a.duration_ms, a.error, a.response_body
  FROM json_each(?) AS d
  JOIN webhook_attempts a ON a.seq IN (
    SELECT seq FROM webhook_attempts WHERE delivery_id = d.value ORDER BY seq DESC LIMIT ?
  )`;

const ATTEMPT_TOTALS_POSTGRES = `
  SELECT delivery_id, count(*) AS total FROM webhook_attempts WHERE delivery_id = ANY($1::varchar[]) GROUP BY delivery_id`;

const ATTEMPT_TOTALS_SQLITE = `
  SELECT delivery_id, count(*) AS total FROM webhook_attempts WHERE delivery_id IN (SELECT value FROM json_each(?)) GROUP BY delivery_id`;

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

interface StatsRow {
  id: string;
  url: string;
  enabled: boolean | number;
  attempts: number | string | null;
  successes: number | string | null;
  p50: number | string | null;
  p99: number | string | null;
  backlog: number | string;
  last_error: string | null;
  last_error_at: string | null;
}

/**
 * Per endpoint: its attempts since $1 (found through the (endpoint_id, at) index), their success
 * count and nearest-rank p50/p99 latency (rank ceil(p·n/100), as integer arithmetic), the pending
 * backlog (through the claim index), and the newest failed attempt ever (one step in the partial failures index).
 */
function statsSql(since: string): string {
  const lastFailure = (column: string) =>
    `(SELECT f.${column} FROM webhook_attempts f WHERE f.endpoint_id = e.id AND f.error IS NOT NULL ORDER BY f.seq DESC LIMIT 1)`;
  return `
  WITH recent AS (
    SELECT a.endpoint_id, a.duration_ms, a.error,
           row_number() OVER (PARTITION BY a.endpoint_id ORDER BY a.duration_ms) AS rn,
           count(*) OVER (PARTITION BY a.endpoint_id) AS n
    FROM webhook_endpoints e JOIN webhook_attempts a ON a.endpoint_id = e.id AND a.at >= ${since}
  ), summary AS (
    SELECT endpoint_id, max(n) AS attempts, sum(CASE WHEN error IS NULL THEN 1 ELSE 0 END) AS successes,
           max(CASE WHEN rn = (50 * n + 99) / 100 THEN duration_ms END) AS p50,
           max(CASE WHEN rn = (99 * n + 99) / 100 THEN duration_ms END) AS p99
    FROM recent GROUP BY endpoint_id
  )
  SELECT e.id, e.url, e.enabled, s.attempts, s.successes, s.p50, s.p99,
         (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending') AS backlog,
         ${lastFailure('error')} AS last_error, ${lastFailure('at')} AS last_error_at
  FROM webhook_endpoints e
  LEFT JOIN summary s ON s.endpoint_id = e.id
  ORDER BY e.id`;
}

const STATS_POSTGRES = statsSql('$1');
const STATS_SQLITE = statsSql('?');

/** The integrator's view of deliveries: history with attempts, manual retry, recovery, stats. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly endpoints: EndpointsService,
    private readonly clock: Clock,
    private readonly lifecycle: DeliveryLifecycle,
    private readonly config: AppConfig,
    private readonly sender: WebhookSender,
  ) {}

  /** Deliveries not yet succeeded nor failed, across every endpoint and instance. */
  async pendingCount(): Promise<number> {
    const rows = await this.uow.read((manager) => manager.query<{ n: number | string }[]>(COUNT_PENDING));
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * An endpoint's deliveries, newest first, each with its newest ATTEMPTS_IN_LIST attempts (oldest
   * of them first) and how many it has in all: manual retries make attempts unbounded, and the
   * rest are paged through `attempts`.
   */
  async list(
    principal: Principal,
    endpointId: string,
    query: { status?: DeliveryStatus; before?: string; limit: number },
  ): Promise<(DeliveryView & { attempts: AttemptView[]; attemptsTotal: number })[]> {
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
      if (deliveries.length === 0) return [];
      const ids = deliveries.map((d) => d.id);
      const postgres = this.config.isPostgres;
      const param = postgres ? ids : JSON.stringify(ids);
      const recent: AttemptRow[] = await manager.query(postgres ? RECENT_ATTEMPTS_POSTGRES : RECENT_ATTEMPTS_SQLITE, [
        param,
        ATTEMPTS_IN_LIST,
      ]);
      const totals: { delivery_id: string; total: number | string }[] = await manager.query(
        postgres ? ATTEMPT_TOTALS_POSTGRES : ATTEMPT_TOTALS_SQLITE,
        [param],
      );
      const byDelivery = new Map<string, AttemptView[]>();
      for (const row of recent.sort((a, b) => Number(a.seq) - Number(b.seq))) {
        const list = byDelivery.get(row.delivery_id) ?? [];
        list.push(attemptFromRow(row));
        byDelivery.set(row.delivery_id, list);
      }
      const totalOf = new Map(totals.map((row) => [row.delivery_id, Number(row.total)]));
      return deliveries.map((delivery) => ({
        ...toDeliveryView(delivery),
        attempts: byDelivery.get(delivery.id) ?? [],
        attemptsTotal: totalOf.get(delivery.id) ?? 0,
      }));
    });
  }

  /**
   * One delivery's attempts, newest first, older than the cursor `before` (an attempt's place in
   * the log); another key's delivery is 404.
   */
  async attempts(
    principal: Principal,
    deliveryId: string,
    query: { before?: string; limit: number },
  ): Promise<{ data: AttemptView[]; attemptsTotal: number; next: string | null }> {
    return this.uow.read(async (manager) => {
      await this.visibleDelivery(manager, principal, deliveryId);
      const rows = await manager.find(AttemptEntity, {
        where: { deliveryId, ...(query.before !== undefined ? { seq: LessThan(Number(query.before)) } : {}) },
        order: { seq: 'DESC' },
        // One more than asked tells whether an older page exists.
        take: query.limit + 1,
      });
      const attemptsTotal = await manager.count(AttemptEntity, { where: { deliveryId } });
      const page = rows.slice(0, query.limit);
      const next = rows.length > query.limit ? String(page[page.length - 1].seq) : null;
      return { data: page.map(toAttemptView), attemptsTotal, next };
    });
  }

  /** The delivery if this caller may see its endpoint; anything else is 404 like the endpoint. */
  private async visibleDelivery(manager: EntityManager, principal: Principal, deliveryId: string): Promise<DeliveryEntity> {
    const delivery = await manager.findOne(DeliveryEntity, { where: { id: deliveryId } });
    if (!delivery) throw new NotFoundError('Delivery', deliveryId);
    try {
      await this.endpoints.visible(manager, principal, delivery.endpointId);
    } catch {
      throw new NotFoundError('Delivery', deliveryId);
    }
    return delivery;
  }

  /**
   * The request of a delivery's latest attempt as it went out (or its next one, timed now, when it
   * has none): URL, headers with the signatures, and the exact body. Signing is deterministic, so
   * rebuilding it from the attempt's recorded time gives the same bytes; it uses the secrets in use
   * now, which differ from that attempt's only if they were rotated since.
   */
  async request(
    principal: Principal,
    deliveryId: string,
  ): Promise<{ method: 'POST'; url: string; headers: Record<string, string>; body: string }> {
    return this.uow.read(async (manager) => {
      const delivery = await this.visibleDelivery(manager, principal, deliveryId);
      const endpoint = await manager.findOne(EndpointEntity, { where: { id: delivery.endpointId } });
      if (!endpoint) throw new NotFoundError('Delivery', deliveryId);
      let body = delivery.payload;
      if (body === null) {
        const event = await manager.findOne(EventEntity, { where: { id: delivery.eventId } });
        if (!event) throw new NotFoundError('Delivery', deliveryId);
        body = webhookBody(event.type, event.timestamp, event.data);
      }
      const last = await manager.findOne(AttemptEntity, { where: { deliveryId }, order: { seq: 'DESC' } });
      const atMs = last ? Date.parse(last.at) : this.clock.nowMs();
      const headers = this.sender.headers(
        { secrets: secretsInUse(endpoint, this.clock.iso()), messageId: delivery.eventId, body },
        Math.floor(atMs / 1000),
      );
      return { method: 'POST', url: endpoint.url, headers, body };
    });
  }

  /** Queues a delivery again now, whatever its state, with a fresh retry schedule. */
  async retry(principal: Principal, deliveryId: string): Promise<DeliveryView> {
    return this.uow.run(async (tx) => {
      // Visibility follows the endpoint: another key's delivery is 404 like its endpoint.
      const delivery = await this.visibleDelivery(tx.manager, principal, deliveryId);
      if (delivery.leaseOwner !== null && delivery.leaseExpiresAt !== null && delivery.leaseExpiresAt > this.clock.iso()) {
        throw new ConflictError(`Delivery ${deliveryId} is being attempted right now; retry it once that attempt is recorded`);
      }
      const endpoint = await tx.manager.findOne(EndpointEntity, { where: { id: delivery.endpointId } });
      if (endpoint && !endpoint.enabled) {
        throw new ConflictError(`Endpoint ${delivery.endpointId} is disabled; enable it before retrying its deliveries`);
      }
      return toDeliveryView(await this.lifecycle.retryOne(tx, delivery));
    });
  }

  /** Re-queues the endpoint's failed deliveries created since `since`. */
  async recover(principal: Principal, endpointId: string, since: string): Promise<{ count: number }> {
    return this.uow.run(async (tx) => {
      await this.endpoints.visible(tx.manager, principal, endpointId);
      return { count: await this.lifecycle.recover(tx, endpointId, since) };
    });
  }

  /**
   * Sends the endpoint every feed event in [since, until] that its filter (and `eventTypes`, when
   * given) matches again, as new deliveries with their original webhook-ids.
   */
  async replay(
    principal: Principal,
    endpointId: string,
    input: { since: string; until?: string; eventTypes?: string[] },
  ): Promise<{ count: number }> {
    const window = replayWindow(input.since, input.until, this.clock.iso());
    if (!window.ok) throw new InvalidInputError(window.message, [{ field: window.field, message: window.message }]);
    return this.uow.run(async (tx) => {
      const endpoint = await this.endpoints.visible(tx.manager, principal, endpointId);
      if (!endpoint.enabled) throw new ConflictError(`Endpoint ${endpointId} is disabled; enable it before replaying to it`);
      const types = replayTypes(DOMAIN_EVENT_TYPES, endpoint.eventTypes, input.eventTypes);
      return { count: await this.lifecycle.replay(tx, endpointId, window, types) };
    });
  }

  /** One aggregate statement over the last 24 h (see statsSql), whatever the number of endpoints. */
  async stats(): Promise<EndpointStats[]> {
    const postgres = this.config.isPostgres;
    const rows: StatsRow[] = await this.uow.read((manager) =>
      manager.query(postgres ? STATS_POSTGRES : STATS_SQLITE, [this.clock.iso(-STATS_WINDOW_MS)]),
    );
    return rows.map((row) => {
      const attempts = Number(row.attempts ?? 0);
      return {
        endpointId: row.id,
        url: row.url,
        enabled: Boolean(row.enabled),
        successRate: attempts ? Number(row.successes) / attempts : null,
        p50LatencyMs: row.p50 === null ? null : Number(row.p50),
        p99LatencyMs: row.p99 === null ? null : Number(row.p99),
        backlog: Number(row.backlog),
        lastError: row.last_error,
        lastErrorAt: row.last_error_at,
        attempts24h: attempts,
      };
    });
  }
}
