import { Logger } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { Availability, WaitlistService } from '../guests/waitlist.service';

/** `/floor`: public table availability for lobby boards; no handshake needed. */
@WebSocketGateway({ namespace: '/floor', cors: { origin: true } })
export class FloorGateway implements OnGatewayConnection {
  private readonly logger = new Logger('FloorGateway');
  @WebSocketServer() private readonly namespace!: Namespace;

  constructor(private readonly waitlist: WaitlistService) {}

  async handleConnection(socket: Socket): Promise<void> {
    try {
      socket.emit('availability', await this.waitlist.availability());
    } catch (error) {
      this.logger.error({ err: error }, 'could not send availability on connect');
    }
  }

  publishAvailability(availability: Availability): void {
    this.namespace.emit('availability', availability);
  }
}
