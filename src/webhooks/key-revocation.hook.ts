import { Injectable } from '@nestjs/common';
import { KeyRevocationHook, OnKeyRevocation } from '../auth/key-revocation';
import { Tx } from '../database/unit-of-work';
import { DeliveryLifecycle } from './delivery-transitions';
import { EndpointEntity } from './endpoint.entity';

/** A revoked key's endpoints stop receiving webhooks: each is disabled as any disable does, in the revocation's transaction. */
@Injectable()
@OnKeyRevocation()
export class RevokedKeyEndpoints implements KeyRevocationHook {
  constructor(private readonly lifecycle: DeliveryLifecycle) {}

  async onKeyRevoked(tx: Tx, keyId: string): Promise<void> {
    const owned = await tx.manager.find(EndpointEntity, { select: { id: true }, where: { ownerKeyId: keyId, enabled: true } });
    for (const endpoint of owned) await this.lifecycle.disableEndpoint(tx, endpoint.id, 'key_revoked');
  }
}
