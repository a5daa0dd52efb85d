import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ANY_DOMAIN_EVENT, type RecordedEvent } from '../events/domain-events';
import { GuestsService } from '../guests/guests.service';
import { WaitlistService } from '../guests/waitlist.service';
import { FLOOR_CHANGED } from '../tables/tables.service';
import type { DeliveryView } from '../webhooks/delivery-view';
import { DELIVERY_ATTEMPTED } from '../webhooks/webhook-events';
import { FloorGateway } from './floor.gateway';
import { GuestGateway } from './guest.gateway';
import { StaffGateway } from './staff.gateway';

/**
 * Turns committed events into live pushes. Events stream to staff one by one; the derived
 * views (availability, the waitlist, each waiting guest's place and quote) are recomputed
 * once per burst of events rather than once per event, since they only need the latest state.
 */
@Injectable()
export class RealtimeListener {
  private readonly logger = new Logger('RealtimeListener');
  private refreshScheduled = false;
  private refreshRunning: Promise<void> | undefined;
  private readonly touchedGuests = new Set<string>();

  constructor(
    private readonly floor: FloorGateway,
    private readonly staff: StaffGateway,
    private readonly guestGateway: GuestGateway,
    private readonly waitlist: WaitlistService,
    private readonly guests: GuestsService,
  ) {}

  @OnEvent(ANY_DOMAIN_EVENT)
  onEvent(event: RecordedEvent): void {
    this.staff.publishEvent(event);
    if (event.type === 'offer.created') {
      this.guestGateway.publishOffer((event as RecordedEvent<'offer.created'>).data.offer);
    }
    const guest = (event.data as { guest?: { id?: unknown } }).guest;
    if (guest && typeof guest.id === 'string') this.touchedGuests.add(guest.id);
    this.scheduleRefresh();
  }

  @OnEvent(DELIVERY_ATTEMPTED)
  onDeliveryAttempted(delivery: DeliveryView): void {
    this.staff.publishDelivery(delivery);
  }

  @OnEvent(FLOOR_CHANGED)
  onFloorChanged(): void {
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.refreshScheduled) return;
    this.refreshScheduled = true;
    setImmediate(() => {
      const previous = this.refreshRunning ?? Promise.resolve();
      this.refreshRunning = previous.then(() => this.refresh());
    });
  }

  private async refresh(): Promise<void> {
    this.refreshScheduled = false;
    const touched = [...this.touchedGuests];
    this.touchedGuests.clear();
    try {
      const [availability, waiting] = await Promise.all([this.waitlist.availability(), this.waitlist.waitlist()]);
      this.floor.publishAvailability(availability);
      this.staff.publishWaitlist(waiting);
      const waitingIds = new Set(waiting.map((guest) => guest.id));
      for (const guest of waiting) this.guestGateway.publishStatus(guest);
      for (const id of touched) {
        if (!waitingIds.has(id)) this.guestGateway.publishStatus(await this.guests.get(id));
      }
    } catch (error) {
      this.logger.error({ err: error }, 'live refresh failed');
    }
  }
}
