import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import { newId } from '../common/ids';
import { UnitOfWork } from '../database/unit-of-work';
import { OfferSnapshot, shapeGuestForEvent } from '../events/event-data';
import { EventsService } from '../events/events.service';
import { IdempotencyService, IdempotentRequest, IdempotentResult } from '../idempotency/idempotency.service';
import { GuestEntity } from './guest.entity';
import { GuestsService } from './guests.service';
import { OfferEntity } from './offer.entity';

export function toOfferSnapshot(offer: OfferEntity): OfferSnapshot {
  return {
    id: offer.id,
    guestId: offer.guestId,
    title: offer.title,
    description: offer.description,
    createdAt: offer.createdAt,
  };
}

@Injectable()
export class OffersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: EventsService,
    private readonly guests: GuestsService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
  ) {}

  create(
    guestId: string,
    input: { title: string; description?: string | null },
    request: IdempotentRequest,
  ): Promise<IdempotentResult<OfferSnapshot>> {
    return this.idempotency.execute(
      request,
      async (tx) => {
        const guest = await this.guests.lock(tx, guestId);
        const offer: OfferEntity = {
          id: newId('off'),
          guestId: guest.id,
          title: input.title,
          description: input.description ?? null,
          createdAt: this.clock.iso(),
        };
        await tx.manager.insert(OfferEntity, offer);
        const snapshot = toOfferSnapshot(offer);
        const guestView = await this.guests.viewIn(tx, guest);
        await this.events.record(tx, 'offer.created', { offer: snapshot, guest: shapeGuestForEvent(guestView) });
        return snapshot;
      },
      (body) => body.guestId,
    );
  }

  async list(guestId: string): Promise<OfferSnapshot[]> {
    return this.uow.read(async (manager) => {
      const exists = await manager.exists(GuestEntity, { where: { id: guestId } });
      if (!exists) throw new NotFoundError('Guest', guestId);
      const offers = await manager.find(OfferEntity, { where: { guestId }, order: { id: 'ASC' } });
      return offers.map(toOfferSnapshot);
    });
  }
}
