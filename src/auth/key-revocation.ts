import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/unit-of-work';

/**
 * Work that must happen when an API key is revoked, inside the revocation's transaction (so it
 * commits or rolls back with it). Feature modules that own things a key made (webhook endpoints)
 * or holds open (sockets) supply one; auth depends on none of them.
 */
export interface KeyRevocationHook {
  onKeyRevoked(tx: Tx, keyId: string): Promise<void>;
}

/** The hooks run on each revocation; a module adds its own in `onModuleInit` (see the webhooks module). */
@Injectable()
export class KeyRevocationHooks {
  private readonly hooks: KeyRevocationHook[] = [];

  register(hook: KeyRevocationHook): void {
    this.hooks.push(hook);
  }

  async runIn(tx: Tx, keyId: string): Promise<void> {
    for (const hook of this.hooks) await hook.onKeyRevoked(tx, keyId);
  }
}
