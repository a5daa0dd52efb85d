import { Injectable } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import type { Tx } from '../database/unit-of-work';
import { ApiKeysService } from './api-keys.service';
import { GuestTokensService } from './guest-tokens.service';
import { KeyRevocationHook, OnKeyRevocation } from './key-revocation';
import { Principal, Scope, hasScope } from './scopes';

type SocketNext = (error?: Error) => void;
export type SocketMiddleware = (socket: Socket, next: SocketNext) => void;

/** What the middleware leaves on `socket.data` (Socket.IO types it `any` unless every Socket is parameterised). */
interface AuthSocketData {
  principal?: Principal;
}

/** The principal the namespace middleware admitted this socket as; undefined before it ran or when it refused. */
export function principalOf(socket: Socket): Principal | undefined {
  return (socket.data as AuthSocketData).principal;
}

function admitAs(socket: Socket, principal: Principal): void {
  (socket.data as AuthSocketData).principal = principal;
}

function unauthorized(): Error {
  // Socket.IO hands this message to the client's `connect_error`.
  return new Error('unauthorized');
}

function field(auth: unknown, name: string): string | undefined {
  if (typeof auth !== 'object' || auth === null) return undefined;
  const value = (auth as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The room every socket that authenticated with a key joins, so revoking the key can reach them all. */
export function keyRoom(keyId: string): string {
  return `key:${keyId}`;
}

/**
 * Namespace middleware that authenticates from `handshake.auth`, so refused clients get
 * `connect_error`. Key-authenticated sockets join their key's room; revoking the key closes
 * them on every instance, through the Socket.IO adapter, once the revocation committed.
 */
@Injectable()
@OnKeyRevocation()
export class SocketAuth implements KeyRevocationHook {
  private readonly keyNamespaces = new Set<Namespace>();

  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly guestTokens: GuestTokensService,
  ) {}

  /** Lets only sockets with a key holding `scope` into `namespace`, and closes them when that key is revoked. */
  protectWithKey(namespace: Namespace, scope: Scope): void {
    this.keyNamespaces.add(namespace);
    namespace.use(this.requireScope(scope));
    // A revocation that commits between the handshake's check and the socket joining the namespace
    // finds nothing to disconnect; checking once more when it is connected closes that window.
    namespace.on('connection', (socket: Socket) => {
      const token = field(socket.handshake.auth, 'token');
      const recheck = token ? this.apiKeys.verify(token) : Promise.resolve(undefined);
      recheck.then(
        (principal) => {
          if (!principal) socket.disconnect(true);
        },
        () => socket.disconnect(true),
      );
    });
  }

  requireScope(scope: Scope): SocketMiddleware {
    return (socket, next) => {
      const token = field(socket.handshake.auth, 'token');
      if (!token) {
        next(unauthorized());
        return;
      }
      const admit = async (): Promise<Error | undefined> => {
        const principal = await this.apiKeys.verify(token);
        if (!principal || !hasScope(principal, scope)) return unauthorized();
        admitAs(socket, principal);
        if (principal.kind === 'key') await socket.join(keyRoom(principal.keyId));
        return undefined;
      };
      admit().then(
        (refusal) => {
          next(refusal);
        },
        () => {
          next(unauthorized());
        },
      );
    };
  }

  onKeyRevoked(tx: Tx, keyId: string): Promise<void> {
    // After commit: a rolled-back revocation must not cut anyone off. Every instance runs the same
    // gateways, so the same namespaces exist there and the adapter delivers the request to each.
    tx.afterCommit(() => {
      for (const namespace of this.keyNamespaces) namespace.in(keyRoom(keyId)).disconnectSockets(true);
    });
    return Promise.resolve();
  }

  requireGuest(): SocketMiddleware {
    return (socket, next) => {
      const guestId = field(socket.handshake.auth, 'guestId');
      const token = field(socket.handshake.auth, 'token');
      if (!guestId || !token) {
        next(unauthorized());
        return;
      }
      this.guestTokens.verify(guestId, token).then(
        (ok) => {
          if (!ok) {
            next(unauthorized());
            return;
          }
          admitAs(socket, { kind: 'guest', guestId });
          next();
        },
        () => {
          next(unauthorized());
        },
      );
    };
  }
}
