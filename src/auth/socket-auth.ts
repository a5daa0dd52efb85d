import { Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { ApiKeysService } from './api-keys.service';
import { GuestTokensService } from './guest-tokens.service';
import { Principal, Scope, hasScope } from './scopes';

type SocketNext = (error?: Error) => void;
export type SocketMiddleware = (socket: Socket, next: SocketNext) => void;

declare module 'socket.io' {
  interface SocketData {
    principal?: Principal;
  }
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

/** Namespace middleware that authenticates from `handshake.auth`, so refused clients get `connect_error`. */
@Injectable()
export class SocketAuth {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly guestTokens: GuestTokensService,
  ) {}

  requireScope(scope: Scope): SocketMiddleware {
    return (socket, next) => {
      const token = field(socket.handshake.auth, 'token');
      if (!token) return next(unauthorized());
      this.apiKeys.verify(token).then(
        (principal) => {
          if (!principal || !hasScope(principal, scope)) return next(unauthorized());
          socket.data.principal = principal;
          next();
        },
        () => next(unauthorized()),
      );
    };
  }

  requireGuest(): SocketMiddleware {
    return (socket, next) => {
      const guestId = field(socket.handshake.auth, 'guestId');
      const token = field(socket.handshake.auth, 'token');
      if (!guestId || !token) return next(unauthorized());
      this.guestTokens.verify(guestId, token).then(
        (ok) => {
          if (!ok) return next(unauthorized());
          socket.data.principal = { kind: 'guest', guestId };
          next();
        },
        () => next(unauthorized()),
      );
    };
  }
}
