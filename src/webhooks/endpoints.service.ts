import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { Principal, hasScope } from '../auth/scopes';
import { Clock } from '../common/clock';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { DeliveryEntity, pendingDelivery } from './delivery.entity';
import { CreateEndpointDto, UpdateEndpointDto } from './dto/endpoint.dto';
import { EndpointEntity } from './endpoint.entity';
import { FanoutService } from './fanout.service';
import { generateWebhookSecret } from './signing';
import { checkEndpointUrl } from './ssrf/url-policy';
import { WEBHOOK_TEST_TYPE } from './webhook-events';

export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toEndpointView(endpoint: EndpointEntity): EndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    enabled: Boolean(endpoint.enabled),
    disabledReason: endpoint.disabledReason,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

/** pg_advisory_xact_lock key serialising endpoint creation (next to the migration and event-order keys). */
const ENDPOINT_CREATION_LOCK = 727_274_002;

/** In-process signal: an endpoint was created, changed or removed (the dispatcher refreshes its view). */
export const ENDPOINTS_CHANGED = 'webhooks.endpoints_changed';

/** Registration and management of webhook endpoints, each owned by the key that created it. */
@Injectable()
export class EndpointsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly emitter: EventEmitter2,
    private readonly fanout: FanoutService,
  ) {}

  async create(principal: Principal, input: CreateEndpointDto): Promise<EndpointView & { secret: string }> {
    const url = await this.checkUrl(input.url);
    return this.uow.run(async (tx) => {
      const ownerKeyId = ownerOf(principal);
      await this.checkLimits(tx, ownerKeyId);
      const now = this.clock.iso();
      const endpoint: EndpointEntity = {
        id: newId('ep'),
        url,
        description: input.description ?? null,
        eventTypes: input.eventTypes ?? [],
        enabled: true,
        disabledReason: null,
        ownerKeyId,
        secret: generateWebhookSecret(),
        previousSecret: null,
        previousSecretExpiresAt: null,
        failingSince: null,
        createdAt: now,
        updatedAt: now,
      };
      await tx.manager.insert(EndpointEntity, endpoint);
      this.changed(tx);
      return { ...toEndpointView(endpoint), secret: endpoint.secret };
    });
  }

  /**
   * Every endpoint costs each state change a delivery row, so their number is capped. On
   * PostgreSQL concurrent creations take turns (a transaction-scoped advisory lock) so that two
   * of them cannot both see room for one more; SQLite's units of work run one at a time anyway.
   */
  private async checkLimits(tx: Tx, ownerKeyId: string): Promise<void> {
    if (this.config.isPostgres) await tx.manager.query('SELECT pg_advisory_xact_lock($1)', [ENDPOINT_CREATION_LOCK]);
    const { webhookMaxEndpointsPerKey: perKey, webhookMaxEndpoints: total } = this.config;
    if ((await tx.manager.count(EndpointEntity, { where: { ownerKeyId } })) >= perKey) {
      throw new ConflictError(`This key already has ${perKey} webhook endpoints, the limit (WEBHOOK_MAX_ENDPOINTS_PER_KEY)`);
    }
    if ((await tx.manager.count(EndpointEntity)) >= total) {
      throw new ConflictError(`The deployment already has ${total} webhook endpoints, the limit (WEBHOOK_MAX_ENDPOINTS)`);
    }
  }

  async list(principal: Principal): Promise<EndpointView[]> {
    const rows = await this.uow.read((manager) =>
      manager.find(EndpointEntity, {
        where: hasScope(principal, 'admin') ? {} : { ownerKeyId: ownerOf(principal) },
        order: { id: 'ASC' },
      }),
    );
    return rows.map(toEndpointView);
  }

  async get(principal: Principal, id: string): Promise<EndpointView> {
    return toEndpointView(await this.uow.read((manager) => this.visible(manager, principal, id)));
  }

  async update(principal: Principal, id: string, input: UpdateEndpointDto): Promise<EndpointView> {
    const url = input.url === undefined ? undefined : await this.checkUrl(input.url);
    return this.uow.run(async (tx) => {
      const endpoint = await this.visible(tx.manager, principal, id);
      const patch: Partial<EndpointEntity> = { updatedAt: this.clock.iso() };
      if (url !== undefined) patch.url = url;
      if (input.description !== undefined) patch.description = input.description;
      if (input.eventTypes !== undefined) patch.eventTypes = input.eventTypes;
      if (input.enabled === true && !endpoint.enabled) {
        Object.assign(patch, { enabled: true, disabledReason: null, failingSince: null });
      }
      await tx.manager.update(EndpointEntity, { id }, patch);
      if (input.enabled === false && endpoint.enabled) {
        await this.disableIn(tx, id, `disabled by ${principal.kind === 'key' ? principal.name : 'a caller'}`);
      }
      this.changed(tx);
      return toEndpointView(await this.reload(tx.manager, id));
    });
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      await this.visible(tx.manager, principal, id);
      await tx.manager.delete(EndpointEntity, { id });
      this.changed(tx);
    });
  }

  /** A new secret; the old one keeps signing alongside it for WEBHOOK_SECRET_GRACE. */
  async rotateSecret(principal: Principal, id: string): Promise<{ secret: string }> {
    return this.uow.run(async (tx) => {
      const endpoint = await this.visible(tx.manager, principal, id);
      const secret = generateWebhookSecret();
      await tx.manager.update(EndpointEntity, { id }, {
        secret,
        previousSecret: endpoint.secret,
        previousSecretExpiresAt: this.clock.iso(this.config.webhookSecretGraceMs),
        updatedAt: this.clock.iso(),
      });
      this.changed(tx);
      return { secret };
    });
  }

  async secret(principal: Principal, id: string): Promise<{ secret: string }> {
    const endpoint = await this.uow.read((manager) => this.visible(manager, principal, id));
    return { secret: endpoint.secret };
  }

  /** Queues a `webhook.test` event for this endpoint only, whatever its filter. */
  async sendTest(principal: Principal, id: string): Promise<{ eventId: string }> {
    return this.uow.run(async (tx) => {
      const endpoint = await this.visible(tx.manager, principal, id);
      if (!endpoint.enabled) throw new ConflictError(`Endpoint ${id} is disabled; enable it before sending a test`);
      const eventId = newId('evt');
      const now = this.clock.iso();
      const body = {
        type: WEBHOOK_TEST_TYPE,
        timestamp: now,
        data: { endpointId: endpoint.id, message: 'This is a test event from Maitred.' },
      };
      await tx.manager.insert(
        DeliveryEntity,
        pendingDelivery({
          id: newId('dlv'),
          eventId,
          endpointId: endpoint.id,
          eventType: WEBHOOK_TEST_TYPE,
          now,
          payload: JSON.stringify(body),
        }),
      );
      await this.fanout.deliveriesDue(tx);
      return { eventId };
    });
  }

  /**
   * Disables an endpoint: it gets no new deliveries, and its pending ones fail now, so that
   * re-enabling does not resurrect old work unless someone recovers it on purpose.
   */
  async disableIn(tx: Tx, id: string, reason: string): Promise<void> {
    await tx.manager.update(EndpointEntity, { id }, { enabled: false, disabledReason: reason, updatedAt: this.clock.iso() });
    // Attempts in flight keep their lease: their outcome is still recorded, without a retry.
    const now = this.clock.iso();
    await tx.manager
      .createQueryBuilder()
      .update(DeliveryEntity)
      .set({ status: 'failed', nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null })
      .where('endpoint_id = :id', { id })
      .andWhere("status = 'pending'")
      .andWhere('(lease_expires_at IS NULL OR lease_expires_at < :now)', { now })
      .execute();
    this.changed(tx);
  }

  /** The endpoint if this caller may see it: its owner, or an admin. Anything else is 404. */
  async visible(manager: EntityManager, principal: Principal, id: string): Promise<EndpointEntity> {
    const endpoint = await manager.findOne(EndpointEntity, { where: { id } });
    if (!endpoint || (!hasScope(principal, 'admin') && endpoint.ownerKeyId !== ownerOf(principal))) {
      throw new NotFoundError('Endpoint', id);
    }
    return endpoint;
  }

  private async reload(manager: EntityManager, id: string): Promise<EndpointEntity> {
    const endpoint = await manager.findOne(EndpointEntity, { where: { id } });
    if (!endpoint) throw new NotFoundError('Endpoint', id);
    return endpoint;
  }

  private async checkUrl(raw: string): Promise<string> {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new InvalidInputError('url must be an absolute http(s) URL', [{ field: 'url', message: 'must be an absolute http(s) URL' }]);
    }
    const verdict = await checkEndpointUrl(parsed.toString(), this.config.webhookAllowedHosts);
    if (!verdict.ok) throw new InvalidInputError(verdict.reason, [{ field: 'url', message: verdict.reason }]);
    // Stored as the integrator wrote it, so their listing shows their URL.
    return raw;
  }

  private changed(tx: Tx): void {
    tx.afterCommit(() => this.emitter.emit(ENDPOINTS_CHANGED));
  }
}

function ownerOf(principal: Principal): string {
  return principal.kind === 'key' ? principal.keyId : `guest:${principal.guestId}`;
}
