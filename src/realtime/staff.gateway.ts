import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { SocketAuth } from '../auth/socket-auth';
import { AppConfig } from '../config/app-config';
import { RecordedEvent } from '../events/domain-events';
import { GuestSnapshot } from '../events/event-data';
import type { DeliveryView } from '../webhooks/delivery-view';
import { WaitlistService } from '../guests/waitlist.service';

/** `/staff`: the waitlist, every event and every delivery attempt, for staff or admin keys. */
@WebSocketGateway({ namespace: '/staff', cors: { origin: true } })
export class StaffGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('StaffGateway');
  @WebSocketServer() private readonly namespace!: Namespace;
  private lastWaitlist: string | undefined;

  constructor(
    private readonly auth: SocketAuth,
    private readonly waitlist: WaitlistService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Clients connected to this instance, per namespace (`/floor`, `/staff`, `/guest`, `/listen`):
   * every gateway shares one Socket.IO server, which this gateway's namespace reaches.
   */
  clientsByNamespace(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [name, namespace] of this.namespace.server._nsps) counts.set(name, namespace.sockets.size);
    return counts;
  }

  afterInit(namespace: Namespace): void {
    this.auth.protectWithKey(namespace, 'staff');
  }

  async handleConnection(socket: Socket): Promise<void> {
    try {
      socket.emit('waitlist', await this.waitlist.waitlist());
    } catch (error) {
      this.logger.error({ err: error }, 'could not send the waitlist on connect');
    }
  }

  handleDisconnect(): void {
    // Nothing is sent while no screen is open, so the last waitlist sent goes stale: the next screen
    // gets the current one on connect, and later sends must compare to that, not to this.
    if (this.namespace.sockets.size === 0) this.lastWaitlist = undefined;
  }

  /** Whether any staff screen is connected to this instance (it gets the waitlist on connect). */
  hasClients(): boolean {
    return this.namespace.sockets.size > 0;
  }

  /** Sends the waitlist to this instance's staff clients when it changed (each instance refreshes its own). */
  publishWaitlist(waitlist: GuestSnapshot[]): void {
    // A refresh that began before the last screen closed must not leave its waitlist as the one "sent".
    if (!this.hasClients()) return;
    const serialized = JSON.stringify(waitlist);
    if (serialized === this.lastWaitlist) return;
    this.lastWaitlist = serialized;
    this.namespace.local.emit('waitlist', waitlist);
  }

  /** An event to this instance's staff clients (every instance tails the feed for its own). */
  publishEvent(event: RecordedEvent): void {
    this.namespace.local.emit('event', event);
  }

  /** A delivery attempt finished: the Delivery without attempts. */
  publishDelivery(delivery: DeliveryView): void {
    // One SQLite instance with no screen open has nobody to tell: encoding every attempt for no
    // one cost a fifth of a drain's throughput. With PostgreSQL another instance's screens may be
    // listening, and only the adapter can reach them.
    if (!this.config.isPostgres && !this.hasClients()) return;
    this.namespace.emit('delivery', delivery);
  }
}
