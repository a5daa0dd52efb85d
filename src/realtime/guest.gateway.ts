import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { SocketAuth, principalOf } from '../auth/socket-auth';
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
  private readonly lastStatus = new Map<string, string>();

  constructor(
    private readonly auth: SocketAuth,
    private readonly guests: GuestsService,
    private readonly offers: OffersService,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use(this.auth.requireGuest());
  }

  async handleConnection(socket: Socket): Promise<void> {
    const principal = principalOf(socket);
    if (principal?.kind !== 'guest') {
      socket.disconnect(true);
      return;
    }
    await socket.join(roomOf(principal.guestId));
    try {
      const [status, offers] = await Promise.all([this.guests.get(principal.guestId), this.offers.list(principal.guestId)]);
      socket.emit('status', status);
      socket.emit('offers', offers);
      // A new page starts from what it was just sent.
      this.lastStatus.set(status.id, JSON.stringify(status));
    } catch (error) {
      this.logger.error({ err: error }, 'could not send the guest state on connect');
    }
  }

  /** Guests with a page open on this instance. */
  localGuestIds(): string[] {
    const ids: string[] = [];
    for (const room of this.namespace.adapter.rooms.keys()) {
      if (room.startsWith('guest:')) ids.push(room.slice('guest:'.length));
    }
    return ids;
  }

  /** Sends a guest's status to their clients on this instance, unless it is what they last got. */
  publishStatus(guest: GuestSnapshot): void {
    const serialized = JSON.stringify(guest);
    if (this.lastStatus.get(guest.id) === serialized) return;
    this.lastStatus.set(guest.id, serialized);
    this.namespace.local.to(roomOf(guest.id)).emit('status', guest);
  }

  /** Forgets what was sent to guests who no longer have a page open here. */
  forgetAllBut(ids: Set<string>): void {
    for (const id of this.lastStatus.keys()) if (!ids.has(id)) this.lastStatus.delete(id);
  }

  /** An offer to its guest's clients on this instance (every instance tails the feed for its own). */
  publishOffer(offer: OfferSnapshot): void {
    this.namespace.local.to(roomOf(offer.guestId)).emit('offer', offer);
  }
}
