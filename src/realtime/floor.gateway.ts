import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { Availability, WaitlistService } from '../guests/waitlist.service';

/** `/floor`: public table availability for lobby boards; no handshake needed. */
@WebSocketGateway({ namespace: '/floor', cors: { origin: true } })
export class FloorGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('FloorGateway');
  @WebSocketServer() private readonly namespace!: Namespace;
  private lastSent: string | undefined;

  constructor(private readonly waitlist: WaitlistService) {}

  async handleConnection(socket: Socket): Promise<void> {
    try {
      socket.emit('availability', await this.waitlist.availability());
    } catch (error) {
      this.logger.error({ err: error }, 'could not send availability on connect');
    }
  }

  handleDisconnect(): void {
    // Nothing is sent while no board is open, so the last availability sent goes stale: the next
    // board gets the current one on connect, and later sends must compare to that, not to this.
    if (this.namespace.sockets.size === 0) this.lastSent = undefined;
  }

  /** Whether any board is connected to this instance; without one there is nothing to compute. */
  hasClients(): boolean {
    return this.namespace.sockets.size > 0;
  }

  /**
   * Sends availability to this instance's clients (every instance refreshes its own on each
   * change, so nothing derived crosses the adapter). Unchanged availability is not resent.
   */
  publishAvailability(availability: Availability): void {
    // A refresh that began before the last board closed must not leave its availability as the one "sent".
    if (!this.hasClients()) return;
    const serialized = JSON.stringify(availability);
    if (serialized === this.lastSent) return;
    this.lastSent = serialized;
    this.namespace.local.emit('availability', availability);
  }
}
