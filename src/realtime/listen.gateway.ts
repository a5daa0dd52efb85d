import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { SocketAuth } from '../auth/socket-auth';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import { PgListener } from '../database/pg-listener';
import type { DomainEventType } from '../events/domain-events';
import { CHANGES_CHANNEL, EventsService } from '../events/events.service';
import { ANY_DOMAIN_EVENT, OnSignal } from '../events/signals';
import { HandshakeError, parseHandshake } from './listen-handshake';

/** Events sent to one listener and not yet acknowledged: the most the server ever buffers for it. */
export const LISTEN_WINDOW = 100;
/** A listener that acknowledges nothing for this long while events are outstanding is cut off. */
export const LISTEN_ACK_TIMEOUT_MS = 120_000;
const PAGE = 100;
/** Looks at the feed again this soon while it holds committed events back (PostgreSQL, see EventsService.tail). */
const HELD_RETRY_MS = 10;

interface ListenState {
  socket: Socket;
  /** The last event read from the feed for this listener (sent, or skipped by its filter); null = from the start. */
  cursor: string | null;
  types: Set<DomainEventType> | undefined;
  unacked: number;
  lastAckAt: number;
  pumping: boolean;
  again: boolean;
}

/**
 * `/listen`: the feed, for `maitred listen` on a developer's laptop (an `endpoints` or admin key).
 *
 * Each listener is driven by its own feed cursor, never by in-process emits: replay (`after`) and
 * live are the same loop, so there is no seam to lose or repeat an event at, and on PostgreSQL an
 * event held back behind an older open transaction is sent only once the feed releases it, in
 * feed order. Every instance pumps its own sockets, woken by local commits and NOTIFY from others.
 * Flow control: at most LISTEN_WINDOW unacknowledged events per listener; beyond that the feed
 * itself is the buffer (the listener just lags), and one that stops acknowledging is disconnected.
 * Pumps run one feed read at a time per socket and never touch the dispatcher.
 */
@WebSocketGateway({ namespace: '/listen', cors: { origin: true } })
export class ListenGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('ListenGateway');
  private readonly states = new Map<string, ListenState>();
  private stuckTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly auth: SocketAuth,
    private readonly events: EventsService,
    private readonly listener: PgListener,
    private readonly clock: Clock,
  ) {}

  afterInit(namespace: Namespace): void {
    this.auth.protectWithKey(namespace, 'endpoints');
    // Checked before the socket is admitted, so a bad `after` or filter is a connect_error naming it.
    namespace.use((socket, next) => {
      this.admit(socket).then(
        () => next(),
        (error: unknown) => {
          if (error instanceof HandshakeError) {
            next(error);
            return;
          }
          this.logger.error({ err: error }, 'admitting a listener failed');
          next(new Error('could not start listening'));
        },
      );
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.listen(CHANGES_CHANNEL, () => this.wakeAll());
    this.stuckTimer = setInterval(() => this.cutOffStuck(), 5_000);
    this.stuckTimer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.stuckTimer) clearInterval(this.stuckTimer);
  }

  @OnSignal(ANY_DOMAIN_EVENT)
  onEvent(): void {
    this.wakeAll();
  }

  private async admit(socket: Socket): Promise<void> {
    const { after, types } = parseHandshake(socket.handshake.auth);
    let cursor: string | null;
    if (after === undefined) cursor = await this.events.latestId();
    else {
      cursor = after;
      if (after !== null) {
        try {
          await this.events.tail({ after, limit: 1 });
        } catch (error) {
          // Only an id the feed does not know is the listener's mistake; a failing database is ours.
          if (error instanceof InvalidInputError) throw new HandshakeError(`invalid after: unknown event id ${after}`);
          throw error;
        }
      }
    }
    this.states.set(socket.id, {
      socket,
      cursor,
      types,
      unacked: 0,
      lastAckAt: this.clock.nowMs(),
      pumping: false,
      again: false,
    });
  }

  handleConnection(socket: Socket): void {
    const state = this.states.get(socket.id);
    if (!state) return;
    // The cursor tells the CLI where it starts, so it can resume from there before anything arrived.
    socket.emit('ready', { after: state.cursor });
    this.wake(state);
  }

  handleDisconnect(socket: Socket): void {
    this.states.delete(socket.id);
  }

  private wakeAll(): void {
    for (const state of this.states.values()) this.wake(state);
  }

  private wake(state: ListenState): void {
    if (this.stopped) return;
    if (state.pumping) {
      state.again = true;
      return;
    }
    state.pumping = true;
    void this.pump(state).finally(() => {
      state.pumping = false;
      if (state.again && this.states.has(state.socket.id)) {
        state.again = false;
        this.wake(state);
      }
    });
  }

  private async pump(state: ListenState): Promise<void> {
    try {
      while (!this.stopped && state.socket.connected && state.unacked < LISTEN_WINDOW) {
        const limit = Math.min(PAGE, LISTEN_WINDOW - state.unacked);
        const page = await this.events.tail({ after: state.cursor ?? undefined, limit });
        for (const event of page.data) {
          if (state.types && !state.types.has(event.type)) continue;
          if (state.unacked === 0) state.lastAckAt = this.clock.nowMs();
          state.unacked += 1;
          state.socket.emit('event', event, () => {
            state.unacked -= 1;
            state.lastAckAt = this.clock.nowMs();
            this.wake(state);
          });
        }
        state.cursor = page.next;
        if (page.held) {
          setTimeout(() => this.wake(state), HELD_RETRY_MS).unref();
          return;
        }
        if (page.data.length < limit) return;
      }
    } catch (error) {
      this.logger.error({ err: error }, 'listen feed read failed');
      setTimeout(() => this.wake(state), 1_000).unref();
    }
  }

  /** Public for tests, which move the clock past the timeout instead of waiting two minutes. */
  cutOffStuck(): void {
    const now = this.clock.nowMs();
    for (const state of this.states.values()) {
      if (state.unacked > 0 && now - state.lastAckAt > LISTEN_ACK_TIMEOUT_MS) {
        this.logger.warn(`listener ${state.socket.id} acknowledged nothing for ${LISTEN_ACK_TIMEOUT_MS} ms; disconnecting`);
        state.socket.disconnect(true);
      }
    }
  }
}
