import { Logger } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { Availability, WaitlistService } from '../guests/waitlist.service';

/** `/floor`: public table availability for lobby boards; no handshake needed. */
@WebSocketGateway({ namespace: '/floor', cors: { origin: true } })
export class FloorGateway implements OnGatewayConnection {
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

  /**
   * Sends availability to this instance's clients (every instance refreshes its own on each
   * change, so nothing derived crosses the adapter). Unchanged availability is not resent.
   */
  /** Whether any board is connected to this instance; without one there is nothing to compute. */
  hasClients(): boolean {
    if (this.namespace.sockets.size > 0) return true;
    // A board that connects later gets availability on connect; compare later sends to that, not to this.
    this.lastSent = undefined;
    return false;
  }

  publishAvailability(availability: Availability): void {
    const serialized = JSON.stringify(availability);
    if (serialized === this.lastSent) return;
    this.lastSent = serialized;
    this.namespace.local.emit('availability', availability);
  }
}
