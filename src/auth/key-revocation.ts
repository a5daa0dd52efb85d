import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { discovered } from '../common/discovered';
import type { Tx } from '../database/unit-of-work';

/**
 * Work that must happen when an API key is revoked, inside the revocation's transaction (so it
 * commits or rolls back with it). Feature modules that own things a key made (webhook endpoints)
 * or holds open (sockets) supply one, marked `@OnKeyRevocation()`; auth depends on none of them.
 */
export interface KeyRevocationHook {
  onKeyRevoked(tx: Tx, keyId: string): Promise<void>;
}

/**
 * Marks a provider as a KeyRevocationHook: every provider so marked, in any module, runs on each
 * revocation (today `SocketAuth` and the webhooks module's `RevokedKeyEndpoints`).
 */
export const OnKeyRevocation = DiscoveryService.createDecorator<undefined>();

/** Runs the `@OnKeyRevocation()` hooks in a revocation's transaction. */
@Injectable()
export class KeyRevocationHooks {
  /** Found on first use, once every module's providers exist. */
  private hooks: KeyRevocationHook[] | undefined;

  constructor(private readonly discovery: DiscoveryService) {}

  async runIn(tx: Tx, keyId: string): Promise<void> {
    this.hooks ??= discovered<KeyRevocationHook>(this.discovery, OnKeyRevocation, 'onKeyRevoked');
    for (const hook of this.hooks) await hook.onKeyRevoked(tx, keyId);
  }
}
