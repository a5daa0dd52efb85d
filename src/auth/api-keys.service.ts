import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { NotFoundError } from '../common/errors';
import { newId } from '../common/ids';
import { UnitOfWork } from '../database/unit-of-work';
import { ApiKeyEntity } from './api-key.entity';
import { KeyRevocationHooks } from './key-revocation';
import { Principal, Scope, isScope } from './scopes';
import { generateSecret, hashSecret, secretMatchesHash } from './secrets';

export interface ApiKeyView {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt: string | null;
}

const ENV_ADMIN: Principal = { kind: 'key', keyId: 'key_env_admin', name: 'ADMIN_API_KEY', scopes: ['admin'] };

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly envAdminHash: string | undefined;

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly uow: UnitOfWork,
    private readonly revocationHooks: KeyRevocationHooks,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.envAdminHash = config.adminApiKey ? hashSecret(config.adminApiKey) : undefined;
  }

  /**
   * Without ADMIN_API_KEY an admin key is generated on first start, stored hashed and
   * printed once; later starts find it and print nothing.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.envAdminHash) return;
    const generated = await this.uow.run(async (tx) => {
      const active = await tx.manager.find(ApiKeyEntity, { where: { revokedAt: IsNull() } });
      if (active.some((key) => parseScopes(key.scopes).includes('admin'))) return undefined;
      return this.insert(tx.manager, 'admin (generated at first start)', ['admin']);
    });
    if (generated) process.stdout.write(`Admin API key: ${generated.key}\n`);
  }

  async create(name: string, scopes: Scope[]): Promise<ApiKeyView & { key: string }> {
    return this.uow.run((tx) => this.insert(tx.manager, name, scopes));
  }

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.uow.read((manager) => manager.find(ApiKeyEntity, { order: { id: 'ASC' } }));
    return rows.map(toView);
  }

  /**
   * Revokes a key and, in the same transaction, whatever the key still owns or holds open
   * (its endpoints are disabled, its sockets are closed once this commits). Revoking again
   * repeats that work, so a key revoked before the hooks existed can be cleaned up.
   */
  async revoke(id: string): Promise<ApiKeyView> {
    return this.uow.run(async (tx) => {
      const row = await tx.manager.findOne(ApiKeyEntity, { where: { id } });
      if (!row) throw new NotFoundError('API key', id);
      if (!row.revokedAt) {
        row.revokedAt = this.clock.iso();
        await tx.manager.update(ApiKeyEntity, { id }, { revokedAt: row.revokedAt });
      }
      await this.revocationHooks.runIn(tx, id);
      return toView(row);
    });
  }

  /** Resolves a bearer key to its principal, or undefined when unknown or revoked. */
  async verify(key: string): Promise<Principal | undefined> {
    if (this.envAdminHash && secretMatchesHash(key, this.envAdminHash)) return ENV_ADMIN;
    const hash = hashSecret(key);
    // The lookup is by hash, so timing reveals nothing about any stored key; the final
    // comparison is constant-time all the same.
    // Not through UnitOfWork.read, so authenticating never queues behind writes. On SQLite this read
    // can see another unit of work's uncommitted change, which is harmless: a key being created is
    // unknown to anyone until its creation commits and answers with it, and seeing a revocation
    // early refuses a key a moment sooner (fails closed).
    const row = await this.keys.findOne({ where: { keyHash: hash } });
    if (!row || row.revokedAt || !secretMatchesHash(key, row.keyHash)) return undefined;
    return { kind: 'key', keyId: row.id, name: row.name, scopes: parseScopes(row.scopes) };
  }

  private async insert(
    manager: Repository<ApiKeyEntity>['manager'],
    name: string,
    scopes: Scope[],
  ): Promise<ApiKeyView & { key: string }> {
    const key = generateSecret('mtr_');
    const row: ApiKeyEntity = {
      id: newId('key'),
      name,
      scopes: [...new Set(scopes)].join(','),
      keyHash: hashSecret(key),
      createdAt: this.clock.iso(),
      revokedAt: null,
    };
    await manager.insert(ApiKeyEntity, row);
    return { ...toView(row), key };
  }
}

function parseScopes(stored: string): Scope[] {
  return stored.split(',').filter(isScope);
}

function toView(row: ApiKeyEntity): ApiKeyView {
  return { id: row.id, name: row.name, scopes: parseScopes(row.scopes), createdAt: row.createdAt, revokedAt: row.revokedAt };
}
