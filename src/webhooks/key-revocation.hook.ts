import { Injectable, OnModuleInit } from '@nestjs/common';
import { KeyRevocationHook, KeyRevocationHooks } from '../auth/key-revocation';
import { Tx } from '../database/unit-of-work';
import { EndpointEntity } from './endpoint.entity';
import { EndpointsService } from './endpoints.service';

/** A revoked key's endpoints stop receiving webhooks: each is disabled as any disable does, in the revocation's transaction. */
@Injectable()
export class RevokedKeyEndpoints implements KeyRevocationHook, OnModuleInit {
  constructor(
    private readonly hooks: KeyRevocationHooks,
    private readonly endpoints: EndpointsService,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async onKeyRevoked(tx: Tx, keyId: string): Promise<void> {
    const owned = await tx.manager.find(EndpointEntity, { select: { id: true }, where: { ownerKeyId: keyId, enabled: true } });
    for (const endpoint of owned) await this.endpoints.disableIn(tx, endpoint.id, 'key_revoked');
  }
}
