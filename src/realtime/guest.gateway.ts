import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { SocketAuth } from '../auth/socket-auth';
import { GuestSnapshot, OfferSnapshot } from '../events/event-data';
import { GuestsService } from '../guests/guests.service';
import { OffersService } from '../guests/offers.service';

function roomOf(guestId: string): string {
  return `guest:${guestId}`;
}

/** `/guest`: one guest's own status and offers, for the holder of that guest's token. */
@WebSocketGateway({ namespace: '/guest', cors: { origin: true } })
export class GuestGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger('GuestGateway');
  @WebSocketServer() private readonly namespace!: Namespace;

  constructor(
    private readonly auth: SocketAuth,
    private readonly guests: GuestsService,
    private readonly offers: OffersService,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use(this.auth.requireGuest());
  }

  async handleConnection(socket: Socket): Promise<void> {
    const principal = socket.data.principal;
    if (principal?.kind !== 'guest') {
      socket.disconnect(true);
      return;
    }
    await socket.join(roomOf(principal.guestId));
    try {
      const [status, offers] = await Promise.all([
        this.guests.get(principal.guestId),
        this.offers.list(principal.guestId),
      ]);
      socket.emit('status', status);
      socket.emit('offers', offers);
    } catch (error) {
      this.logger.error({ err: error }, 'could not send the guest state on connect');
    }
  }

  publishStatus(guest: GuestSnapshot): void {
    this.namespace.to(roomOf(guest.id)).emit('status', guest);
  }

  publishOffer(offer: OfferSnapshot): void {
    this.namespace.to(roomOf(offer.guestId)).emit('offer', offer);
  }
}
