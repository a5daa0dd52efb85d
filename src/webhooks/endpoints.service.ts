import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal, hasScope } from '../auth/scopes';
import { Clock } from '../common/clock';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { ENDPOINTS_CHANGED, SignalBus } from '../events/signals';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { CreateEndpointDto, UpdateEndpointDto } from './dto/endpoint.dto';
import { EndpointEntity } from './endpoint.entity';
import { DeliveryLifecycle } from './delivery-transitions';
import type { OrderingMode } from './ordering';
import { generateSecretFor, shareableSecret, type SigningScheme } from './signing';
import { CLOSED, type EndpointHealthName, healthView } from './circuit-breaker';
import { checkEndpointUrl } from './ssrf/url-policy';

export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  signing: SigningScheme;
  health: EndpointHealthName;
  nextProbeAt: string | null;
  rateLimitPerSecond: number | null;
  ordering: OrderingMode;
  createdAt: string;
  updatedAt: string;
}

/** An endpoint's signing material as its owner may see it: the HMAC secret, or the Ed25519 public key. */
export type SharedSecret = { secret: string } | { publicKey: string };

export function toEndpointView(endpoint: EndpointEntity): EndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    // Kept from before the entity was typed: a raw SQLite row would carry 0/1 here.
    enabled: Boolean(endpoint.enabled as unknown),
    disabledReason: endpoint.disabledReason,
    signing: endpoint.signing,
    ...healthView(endpoint),
    rateLimitPerSecond: endpoint.rateLimitPerSecond,
    ordering: endpoint.ordering,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

/**
 * A new configured rate limit (or none) starts afresh: a full bucket and no adaptation, which
 * would otherwise still hold it to a rate learnt under the old one.
 */
function rateLimitSet(
  limit: number | null,
): Pick<EndpointEntity, 'rateLimitPerSecond' | 'rateEffective' | 'rateTokens' | 'rateRefilledAt' | 'rateThrottledAt'> {
  return { rateLimitPerSecond: limit, rateEffective: null, rateTokens: null, rateRefilledAt: null, rateThrottledAt: null };
}

/** pg_advisory_xact_lock key serialising endpoint creation (next to the migration and event-order keys). */
const ENDPOINT_CREATION_LOCK = 727_274_002;

/** Registration and management of webhook endpoints, each owned by the key that created it. */
@Injectable()
export class EndpointsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly signals: SignalBus,
    private readonly lifecycle: DeliveryLifecycle,
  ) {}

  async create(principal: Principal, input: CreateEndpointDto): Promise<EndpointView & SharedSecret> {
    const url = await this.checkUrl(input.url);
    return this.uow.run(async (tx) => {
      const ownerKeyId = ownerOf(principal);
      await this.checkLimits(tx, ownerKeyId);
      const now = this.clock.iso();
      const signing = input.signing ?? 'hmac';
      const endpoint: EndpointEntity = {
        id: newId('ep'),
        url,
        description: input.description ?? null,
        eventTypes: input.eventTypes ?? [],
        enabled: true,
        disabledReason: null,
        ownerKeyId,
        signing,
        ordering: input.ordering ?? 'none',
        secret: generateSecretFor(signing),
        previousSecret: null,
        previousSecretExpiresAt: null,
        failingSince: null,
        ...CLOSED,
        ...rateLimitSet(input.rateLimitPerSecond ?? null),
        createdAt: now,
        updatedAt: now,
      };
      await tx.manager.insert(EndpointEntity, endpoint);
      this.changed(tx);
      return { ...toEndpointView(endpoint), ...shareableSecret(endpoint.secret) };
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
      // Applies to deliveries written from now on: rows already queued keep the key they were written with.
      if (input.ordering !== undefined) patch.ordering = input.ordering;
      if (input.signing !== undefined && input.signing !== endpoint.signing) {
        // New material for the new scheme; the old keeps signing alongside for the grace period,
        // as in a rotation, so receivers can switch verifiers without losing a delivery.
        Object.assign(patch, this.rotated(endpoint, input.signing));
      }
      if (input.rateLimitPerSecond !== undefined && input.rateLimitPerSecond !== endpoint.rateLimitPerSecond) {
        Object.assign(patch, rateLimitSet(input.rateLimitPerSecond));
      }
      if (input.enabled === true && !endpoint.enabled) {
        // Re-enabled: a fresh start, breaker closed.
        Object.assign(patch, { enabled: true, disabledReason: null, failingSince: null, ...CLOSED });
      }
      await tx.manager.update(EndpointEntity, { id }, patch);
      if (input.enabled === false && endpoint.enabled) {
        await this.lifecycle.disableEndpoint(tx, id, `disabled by ${principal.kind === 'key' ? principal.name : 'a caller'}`);
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

  /**
   * New material of the endpoint's scheme (an HMAC secret or an Ed25519 key pair); the old one
   * keeps signing alongside it for WEBHOOK_SECRET_GRACE.
   */
  async rotateSecret(principal: Principal, id: string): Promise<SharedSecret> {
    return this.uow.run(async (tx) => {
      const endpoint = await this.visible(tx.manager, principal, id);
      const patch = this.rotated(endpoint, endpoint.signing);
      await tx.manager.update(EndpointEntity, { id }, patch);
      this.changed(tx);
      return shareableSecret(patch.secret);
    });
  }

  /** The HMAC secret, or for an Ed25519 endpoint its public key (the private key never leaves). */
  async secret(principal: Principal, id: string): Promise<SharedSecret> {
    const endpoint = await this.uow.read((manager) => this.visible(manager, principal, id));
    return shareableSecret(endpoint.secret);
  }

  private rotated(
    endpoint: EndpointEntity,
    signing: SigningScheme,
  ): Pick<EndpointEntity, 'signing' | 'secret' | 'previousSecret' | 'previousSecretExpiresAt' | 'updatedAt'> {
    return {
      signing,
      secret: generateSecretFor(signing),
      previousSecret: endpoint.secret,
      previousSecretExpiresAt: this.clock.iso(this.config.webhookSecretGraceMs),
      updatedAt: this.clock.iso(),
    };
  }

  /** Queues a `webhook.test` event for this endpoint only, whatever its filter. */
  async sendTest(principal: Principal, id: string): Promise<{ eventId: string }> {
    return this.uow.run(async (tx) => {
      const endpoint = await this.visible(tx.manager, principal, id);
      if (!endpoint.enabled) throw new ConflictError(`Endpoint ${id} is disabled; enable it before sending a test`);
      return this.lifecycle.insertTest(tx, endpoint.id);
    });
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
      throw new InvalidInputError('url must be an absolute http(s) URL', [
        { field: 'url', message: 'must be an absolute http(s) URL' },
      ]);
    }
    const verdict = await checkEndpointUrl(parsed.toString(), this.config.webhookAllowedHosts);
    if (!verdict.ok) throw new InvalidInputError(verdict.reason, [{ field: 'url', message: verdict.reason }]);
    // Stored as the integrator wrote it, so their listing shows their URL.
    return raw;
  }

  private changed(tx: Tx): void {
    tx.afterCommit(() => {
      this.signals.emit(ENDPOINTS_CHANGED, undefined);
    });
  }
}

function ownerOf(principal: Principal): string {
  return principal.kind === 'key' ? principal.keyId : `guest:${principal.guestId}`;
}
